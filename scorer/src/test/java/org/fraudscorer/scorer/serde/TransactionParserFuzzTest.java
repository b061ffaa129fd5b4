package org.fraudscorer.scorer.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
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
    /** Bytes that steer random payloads into the JSON tokenizer's interesting states. */
    private static final byte[] JSON_ALPHABET = "{}[]\":,.-+eE0123456789 \t\n\r\\/ntrufalsNIy'xV".getBytes(StandardCharsets.US_ASCII);
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
                case 0 -> randomBytes(rnd, rnd.nextInt(rnd.nextInt(10) == 0 ? 6_000 : 64));
                case 1 -> randomFromAlphabet(rnd, rnd.nextInt(80));
                default -> randomFragments(rnd, rnd.nextInt(30));
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
                payload = mutate(rnd, payload);
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

    private static byte[] mutate(Random rnd, byte[] p) {
        if (p.length == 0) {
            return randomBytes(rnd, 1 + rnd.nextInt(4));
        }
        int at = rnd.nextInt(p.length);
        switch (rnd.nextInt(8)) {
            case 0: { // flip one bit
                byte[] q = p.clone();
                q[at] ^= (byte) (1 << rnd.nextInt(8));
                return q;
            }
            case 1: { // replace one byte with a JSON-significant one
                byte[] q = p.clone();
                q[at] = JSON_ALPHABET[rnd.nextInt(JSON_ALPHABET.length)];
                return q;
            }
            case 2: { // delete a range
                int len = Math.min(p.length - at, 1 + rnd.nextInt(8));
                byte[] q = new byte[p.length - len];
                System.arraycopy(p, 0, q, 0, at);
                System.arraycopy(p, at + len, q, at, p.length - at - len);
                return q;
            }
            case 3: // insert random or JSON bytes
                return insert(p, at, rnd.nextBoolean() ? randomBytes(rnd, 1 + rnd.nextInt(4))
                        : randomFromAlphabet(rnd, 1 + rnd.nextInt(4)));
            case 4: { // duplicate a range (duplicate fields, trailing objects)
                int len = Math.min(p.length - at, 1 + rnd.nextInt(40));
                return insert(p, rnd.nextInt(p.length + 1), Arrays.copyOfRange(p, at, at + len));
            }
            case 5: // truncate
                return Arrays.copyOf(p, at);
            case 6: // insert a meaningful fragment
                return insert(p, at, FRAGMENTS[rnd.nextInt(FRAGMENTS.length)].getBytes(StandardCharsets.UTF_8));
            default: { // swap in whitespace (often still valid)
                return insert(p, at, new byte[] {" \t\n\r".getBytes(StandardCharsets.US_ASCII)[rnd.nextInt(4)]});
            }
        }
    }

    private static byte[] insert(byte[] p, int at, byte[] ins) {
        byte[] q = new byte[p.length + ins.length];
        System.arraycopy(p, 0, q, 0, at);
        System.arraycopy(ins, 0, q, at, ins.length);
        System.arraycopy(p, at, q, at + ins.length, p.length - at);
        return q;
    }

    private static byte[] randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private static byte[] randomFromAlphabet(Random rnd, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = JSON_ALPHABET[rnd.nextInt(JSON_ALPHABET.length)];
        }
        return b;
    }

    private static byte[] randomFragments(Random rnd, int n) {
        StringBuilder sb = new StringBuilder(rnd.nextBoolean() ? "{" : "");
        for (int i = 0; i < n; i++) {
            sb.append(FRAGMENTS[rnd.nextInt(FRAGMENTS.length)]);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
