package org.fraudscorer.scorer.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing: whatever the bytes, {@code parse} returns a well-formed result and never throws; an
 * accepted result always carries a complete, finite, in-range input vector. (A plain seeded loop: jqwik is
 * not in the offline repository, and a fixed seed keeps failures reproducible.)
 */
class TransactionParserFuzzTest {

    private static final int CASES = 20_000;
    private static final String[] FRAGMENTS = {"\"Time\":", "\"V1\":", "\"Amount\":", "\"id\":", "\"Class\":", "NaN",
        "Infinity", "1e400", "null", "true", "\"x\"", "{", "}", "[", "]", ",", "-0", "1.5", "\\u0000", "\u00e9", "\ud83d\udcb3"};

    private final TransactionParser parser = new TransactionParser(TestEvents.SCHEMA, 4_096);
    private final double[] inputs = new double[TestEvents.SCHEMA.inputCount()];

    @Test
    void randomBytesNeverThrow() {
        Random rnd = new Random(0xF0220001L);
        Map<RejectReason, Integer> seen = new EnumMap<>(RejectReason.class);
        for (int n = 0; n < CASES; n++) {
            byte[] payload = switch (n % 3) {
                case 0 -> PayloadMutations.randomBytes(rnd, rnd.nextInt(rnd.nextInt(10) == 0 ? 6_000 : 64));
                case 1 -> PayloadMutations.randomFromAlphabet(rnd, rnd.nextInt(80));
                default -> PayloadMutations.randomFragments(rnd, rnd.nextInt(30), FRAGMENTS);
            };
            check(payload, seen, n);
        }
        assertThat(seen).containsKeys(RejectReason.NOT_UTF8, RejectReason.MALFORMED_JSON, RejectReason.EMPTY,
                RejectReason.OVERSIZE, RejectReason.NOT_AN_OBJECT);
    }

    @Test
    void mutatedValidEventsNeverThrow() {
        Random rnd = new Random(0xF0220002L);
        Map<RejectReason, Integer> seen = new EnumMap<>(RejectReason.class);
        int accepted = 0;
        for (int n = 0; n < CASES; n++) {
            double[] v = TestEvents.randomInputs(rnd);
            byte[] payload = TransactionJson.write(TestEvents.SCHEMA, rnd.nextBoolean() ? "tx-" + n : null, v,
                    rnd.nextBoolean() ? rnd.nextInt(2) : null);
            int mutations = 1 + rnd.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                payload = PayloadMutations.mutate(rnd, payload, FRAGMENTS);
            }
            accepted += check(payload, seen, n) ? 1 : 0;
        }
        // The mutations must have reached deep into the parser, not just broken the syntax.
        assertThat(seen.keySet()).hasSizeGreaterThanOrEqualTo(9);
        assertThat(accepted).isPositive();
    }

    /** @return whether the payload was accepted */
    private boolean check(byte[] payload, Map<RejectReason, Integer> seen, int n) {
        ParseResult r;
        try {
            r = parser.parse(payload, inputs);
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("case " + n + " threw on " + Arrays.toString(payload), e);
        }
        if (r == null) {
            fail("case %d: null result", n);
        }
        if (r.isOk()) {
            assertThat(r.detail()).isNull();
            for (double v : inputs) {
                assertThat(Double.isFinite(v)).isTrue();
            }
            assertThat(TestEvents.SCHEMA.validate(inputs)).isNull();
            if (r.id() != null) {
                assertThat(r.id()).isNotEmpty().hasSizeLessThanOrEqualTo(TransactionParser.MAX_ID_LENGTH);
            }
            return true;
        }
        assertThat(r.detail()).as("case %d", n).isNotBlank().doesNotContainPattern("\\p{Cntrl}");
        seen.merge(r.reason(), 1, Integer::sum);
        return false;
    }
}
