package org.fraudscorer.scorer.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.fraudscorer.common.testing.AllocationMeter;
import org.junit.jupiter.api.Test;

/**
 * Bounds the bytes allocated per accepted event (a property of the code, unlike timing), measured once the JIT has
 * compiled the path ({@link AllocationMeter}). docs/speed.md states 66 B per parse (JMH, {@code -prof gc}): what that
 * needs is that a parse allocates the event's id and little else: no per-field object, no tree, no copy of the input.
 * In this loop the JIT removes less than in JMH's (measured here: 113 B with a 9-character id, 33 B without one), so
 * the bounds sit just above these figures: one more object per parse (a boxed double is 16 B; 29 fields of them
 * 464 B) fails the test.
 */
class TransactionParserAllocationTest {

    private static final int EVENTS = 64;
    private static final int MEASURED = 10_240; // a multiple of EVENTS: every round parses the same events
    /** The id's String and its bytes (~56 B), the result, and a few bytes of slack. */
    private static final long MAX_BYTES_PER_PARSE_WITH_ID = 128;
    /** Without an id, the result and a few bytes of slack. */
    private static final long MAX_BYTES_PER_PARSE_WITHOUT_ID = 48;

    @Test
    void happyPathAllocatesTheIdAndLittleElse() {
        TransactionParser parser = new TransactionParser(TestEvents.SCHEMA);
        double[] inputs = new double[TestEvents.SCHEMA.inputCount()];
        byte[][] withId = new byte[EVENTS][];
        byte[][] withoutId = new byte[EVENTS][];
        Random rnd = new Random(11);
        for (int i = 0; i < EVENTS; i++) {
            double[] v = TestEvents.randomInputs(rnd);
            withId[i] = TransactionJson.write(TestEvents.SCHEMA, "tx-" + (100_000 + i), v, i % 2);
            withoutId[i] = TransactionJson.write(TestEvents.SCHEMA, null, v, null);
        }
        long perParseWithId = bytesPerParse(parser, withId, inputs);
        long perParseWithoutId = bytesPerParse(parser, withoutId, inputs);
        System.out.printf("allocated per parse: %d bytes with id, %d bytes without%n", perParseWithId, perParseWithoutId);
        assertThat(perParseWithId).as("bytes per parse, with id").isLessThanOrEqualTo(MAX_BYTES_PER_PARSE_WITH_ID);
        assertThat(perParseWithoutId).as("bytes per parse, without id").isLessThanOrEqualTo(MAX_BYTES_PER_PARSE_WITHOUT_ID);
    }

    private static long bytesPerParse(TransactionParser parser, byte[][] events, double[] inputs) {
        int[] ok = new int[1];
        AllocationMeter.Measurement m = new AllocationMeter().measure(MEASURED, Duration.ofMinutes(3), calls -> {
            for (int i = 0; i < calls; i++) {
                ok[0] += parser.parse(events[i % EVENTS], inputs).isOk() ? 1 : 0;
            }
            return ok[0];
        });
        assertThat(ok[0]).as("every event is valid").isEqualTo(m.rounds() * MEASURED);
        return Math.round(m.bytesPerCall());
    }
}
