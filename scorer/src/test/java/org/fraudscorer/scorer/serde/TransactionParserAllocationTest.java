package org.fraudscorer.scorer.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bounds the bytes allocated per accepted event (a property of the code, unlike timing). The bound is
 * generous on purpose: it catches regressions such as a per-field String or a tree model, not JIT noise.
 */
class TransactionParserAllocationTest {

    private static final int EVENTS = 64;
    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 10_000;
    private static final long MAX_BYTES_PER_PARSE = 2_048;

    @Test
    void happyPathAllocatesLittle() {
        com.sun.management.ThreadMXBean threads = threadBean();
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
        long perParseWithId = bytesPerParse(threads, parser, withId, inputs);
        long perParseWithoutId = bytesPerParse(threads, parser, withoutId, inputs);
        System.out.printf("allocated per parse: %d bytes with id, %d bytes without%n", perParseWithId, perParseWithoutId);
        assertThat(perParseWithId).isLessThan(MAX_BYTES_PER_PARSE);
        assertThat(perParseWithoutId).isLessThan(MAX_BYTES_PER_PARSE);
    }

    private static long bytesPerParse(com.sun.management.ThreadMXBean threads, TransactionParser parser,
                                      byte[][] events, double[] inputs) {
        int ok = 0;
        for (int i = 0; i < WARM_UP; i++) {
            ok += parser.parse(events[i % EVENTS], inputs).isOk() ? 1 : 0;
        }
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < MEASURED; i++) {
            ok += parser.parse(events[i % EVENTS], inputs).isOk() ? 1 : 0;
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertThat(ok).as("every event is valid").isEqualTo(WARM_UP + MEASURED);
        return allocated / MEASURED;
    }

    private static com.sun.management.ThreadMXBean threadBean() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "needs a JVM with com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation accounting unsupported");
        threads.setThreadAllocatedMemoryEnabled(true);
        return threads;
    }
}
