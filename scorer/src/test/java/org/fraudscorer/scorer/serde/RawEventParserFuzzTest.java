package org.fraudscorer.scorer.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.fraudscorer.common.features.FeatureSchema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded fuzzing of the raw-event parser, events and labels, as {@link TransactionParserFuzzTest} does for the
 * creditcard parser: whatever the bytes, {@code parse} returns a well-formed result and never throws; an accepted
 * result carries in-range fields, an id that is the transaction id as written, and fields that survive a round trip
 * through {@link RawEventJson} unchanged.
 */
class RawEventParserFuzzTest {

    private static final int CASES = 20_000;
    private static final String[] FRAGMENTS = {"\"TRANSACTION_ID\":", "\"TX_DATETIME\":", "\"CUSTOMER_ID\":",
        "\"TERMINAL_ID\":", "\"TX_AMOUNT\":", "\"TX_FRAUD\":", "\"2018-04-01T00:00:00\"", "\"2018-02-30T24:61:00\"",
        "NaN", "Infinity", "1e400", "99999999999999999999", "-1", "null", "true", "\"x\"", "{", "}", "[", "]", ",",
        "-0", "1.5", "0", "1", "\\u0000", "\u00e9", "\ud83d\udcb3"};

    private final RawEventFields out = new RawEventFields();

    @ParameterizedTest
    @EnumSource(RawEventParser.Kind.class)
    void randomBytesNeverThrow(RawEventParser.Kind kind) {
        RawEventParser parser = new RawEventParser(kind, 4_096);
        Random rnd = new Random(0xF0220011L + kind.ordinal());
        Map<RejectReason, Integer> seen = new EnumMap<>(RejectReason.class);
        for (int n = 0; n < CASES; n++) {
            byte[] payload = switch (n % 3) {
                case 0 -> PayloadMutations.randomBytes(rnd, rnd.nextInt(rnd.nextInt(10) == 0 ? 6_000 : 64));
                case 1 -> PayloadMutations.randomFromAlphabet(rnd, rnd.nextInt(80));
                default -> PayloadMutations.randomFragments(rnd, rnd.nextInt(30), FRAGMENTS);
            };
            check(parser, payload, seen, n);
        }
        assertThat(seen).containsKeys(RejectReason.NOT_UTF8, RejectReason.MALFORMED_JSON, RejectReason.EMPTY,
                RejectReason.OVERSIZE, RejectReason.NOT_AN_OBJECT);
    }

    @ParameterizedTest
    @EnumSource(RawEventParser.Kind.class)
    void mutatedValidPayloadsNeverThrow(RawEventParser.Kind kind) {
        RawEventParser parser = new RawEventParser(kind, 4_096);
        Random rnd = new Random(0xF0220012L + kind.ordinal());
        Map<RejectReason, Integer> seen = new EnumMap<>(RejectReason.class);
        int accepted = 0;
        for (int n = 0; n < CASES; n++) {
            long id = rnd.nextInt(3) == 0 ? rnd.nextLong() & Long.MAX_VALUE : rnd.nextInt(1_000_000);
            long time = (rnd.nextLong() & Long.MAX_VALUE) % (org.fraudscorer.common.features.events.TxDateTime.MAX_EPOCH_SECONDS + 1);
            byte[] payload = kind == RawEventParser.Kind.EVENT
                    ? RawEventJson.event(id, time, rnd.nextInt(10_000), rnd.nextInt(10_000), amount(rnd))
                    : RawEventJson.label(id, time, rnd.nextInt(10_000), rnd.nextBoolean());
            int mutations = rnd.nextInt(4); // 0: the valid payload itself, which must be accepted
            for (int m = 0; m < mutations; m++) {
                payload = PayloadMutations.mutate(rnd, payload, FRAGMENTS);
            }
            boolean ok = check(parser, payload, seen, n);
            if (mutations == 0) {
                assertThat(ok).as("case %d: the unmutated payload %s", n, new String(payload)).isTrue();
            }
            accepted += ok ? 1 : 0;
        }
        System.out.printf("RawEventParserFuzzTest %s: %d of %d mutated payloads accepted; rejects %s%n", kind, accepted,
                CASES, seen);
        // The mutations must have reached deep into the parser (field types, ranges, dates), not just broken the syntax
        assertThat(seen).containsKeys(RejectReason.MALFORMED_JSON, RejectReason.UNKNOWN_FIELD,
                RejectReason.DUPLICATE_FIELD, RejectReason.WRONG_TYPE, RejectReason.OUT_OF_RANGE);
        assertThat(seen.keySet()).hasSizeGreaterThanOrEqualTo(9);
        assertThat(accepted).isGreaterThan(CASES / 4); // the unmutated quarter, and mutations that kept it valid
    }

    private static double amount(Random rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> 0.0;
            case 1 -> rnd.nextInt(100_000) / 100.0;
            case 2 -> rnd.nextDouble() * FeatureSchema.MAX_AMOUNT;
            default -> Double.longBitsToDouble(rnd.nextLong() & 0x000F_FFFF_FFFF_FFFFL); // subnormal
        };
    }

    /** @return whether the payload was accepted */
    private boolean check(RawEventParser parser, byte[] payload, Map<RejectReason, Integer> seen, int n) {
        ParseResult r;
        try {
            r = parser.parse(payload, out);
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("case " + n + " threw on " + Arrays.toString(payload), e);
        }
        assertThat(r).as("case %d: result", n).isNotNull();
        if (!r.isOk()) {
            assertThat(r.reason()).as("case %d", n).isNotNull();
            assertThat(r.detail()).as("case %d", n).isNotBlank().doesNotContainPattern("\\p{Cntrl}");
            seen.merge(r.reason(), 1, Integer::sum);
            return false;
        }
        String where = "case " + n + ": " + new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(r.detail()).as(where).isNull();
        assertThat(r.id()).as(where).isNotEmpty();
        assertThat(Long.parseLong(r.id())).as(where + " id").isEqualTo(out.transactionId);
        assertThat(out.transactionId).as(where).isNotNegative();
        assertThat(out.epochSeconds).as(where).isBetween(0L, org.fraudscorer.common.features.events.TxDateTime.MAX_EPOCH_SECONDS);
        assertThat(out.terminalId).as(where).isNotNegative();
        long id = out.transactionId;
        long time = out.epochSeconds;
        long terminal = out.terminalId;
        byte[] again;
        if (parser.kind() == RawEventParser.Kind.EVENT) {
            assertThat(out.customerId).as(where).isNotNegative();
            assertThat(out.amount).as(where).isBetween(0.0, FeatureSchema.MAX_AMOUNT);
            long customer = out.customerId;
            double amount = out.amount;
            again = RawEventJson.event(id, time, customer, terminal, amount);
            assertThat(parser.parse(again, out).isOk()).as(where + " written again").isTrue();
            assertThat(out.customerId).as(where).isEqualTo(customer);
            assertThat(Double.doubleToRawLongBits(out.amount)).as(where).isEqualTo(Double.doubleToRawLongBits(amount));
        } else {
            boolean fraud = out.fraud;
            again = RawEventJson.label(id, time, terminal, fraud);
            assertThat(parser.parse(again, out).isOk()).as(where + " written again").isTrue();
            assertThat(out.fraud).as(where).isEqualTo(fraud);
        }
        assertThat(out.transactionId).as(where).isEqualTo(id);
        assertThat(out.epochSeconds).as(where).isEqualTo(time);
        assertThat(out.terminalId).as(where).isEqualTo(terminal);
        return true;
    }
}
