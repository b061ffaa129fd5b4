package org.fraudscorer.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.IntToLongFunction;

/**
 * Bytes a piece of code allocates on the calling thread, once the JIT has compiled it: the code runs in rounds until
 * a round passes with no JIT compilation anywhere in the JVM and allocates exactly as much as the round before (the
 * path is compiled and its allocation stable), then that round's figure is returned; a figure above zero must hold
 * longer first (see {@link #measure}). No fixed warm-up count, so a
 * slow or loaded host only takes longer; it fails if the figure is not stable within {@code limit}. Per-thread
 * allocation accounting is switched on here: a JVM without it fails the test instead of skipping it.
 */
public final class AllocationMeter {
    private final com.sun.management.ThreadMXBean threads;
    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();

    public AllocationMeter() {
        assertThat(ManagementFactory.getThreadMXBean()).as("a JVM with com.sun.management.ThreadMXBean")
                .isInstanceOf(com.sun.management.ThreadMXBean.class);
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).as("per-thread allocation accounting supported").isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        assertThat(threads.isThreadAllocatedMemoryEnabled()).as("per-thread allocation accounting enabled").isTrue();
        assertThat(jit).as("a JVM with a JIT compiler").isNotNull();
        assertThat(jit.isCompilationTimeMonitoringSupported()).as("JIT compilation time monitoring").isTrue();
    }

    /** The result: bytes allocated by the last (stable) round, how many rounds it took, and the round size. */
    public record Measurement(long bytesPerRound, int rounds, int callsPerRound) {
        public double bytesPerCall() {
            return (double) bytesPerRound / callsPerRound;
        }
    }

    /**
     * Runs {@code round.applyAsLong(calls)} (which makes {@code calls} calls and returns a value to keep the work
     * alive) until stable, as the class says.
     */
    public Measurement measure(int callsPerRound, Duration limit, IntToLongFunction round) {
        return measure(callsPerRound, limit, Long.MAX_VALUE, round);
    }

    /**
     * As {@link #measure(int, Duration, IntToLongFunction)}, for code expected to allocate at most {@code atMost} bytes
     * a round: a stable figure above it is returned only once {@code limit} has passed, so a host too loaded to have
     * compiled the code within the settle time gets the rest of the limit to do it (the caller's assertion then fails
     * on the figure, not on the time).
     */
    public Measurement measure(int callsPerRound, Duration limit, long atMost, IntToLongFunction round) {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        long sink = 0;
        long previous = -1;
        int rounds = 0;
        int stable = 0;
        while (true) {
            long jitBefore = jit.getTotalCompilationTime();
            long before = threads.getCurrentThreadAllocatedBytes();
            sink += round.applyAsLong(callsPerRound);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            boolean jitQuiet = jit.getTotalCompilationTime() == jitBefore;
            rounds++;
            stable = jitQuiet && allocated == previous ? stable + 1 : 0;
            // Nothing allocated, stably: compiled and escape-analysed. Something allocated: it may still be the code
            // before C2's version is installed (on a loaded host a compilation can take longer than several rounds,
            // with no compilation finishing meanwhile; CI once measured the un-intrinsified vector code, 20 KB per
            // record, after 0.3 s), so it must hold for STABLE_ROUNDS rounds and SETTLE_TIME first.
            boolean settled = allocated == 0 ? stable >= 1
                    : stable >= STABLE_ROUNDS && System.nanoTime() - start >= SETTLE_TIME.toNanos();
            boolean lastChance = System.nanoTime() - deadline > -LAST_ROUND_MARGIN.toNanos();
            if (settled && rounds >= MIN_ROUNDS && (allocated <= atMost || lastChance)) {
                blackhole = sink;
                return new Measurement(allocated, rounds, callsPerRound);
            }
            previous = allocated;
            assertThat(System.nanoTime()).as("allocation not stable after %d rounds of %d calls within %s (last %d B)",
                    rounds, callsPerRound, limit, allocated).isLessThan(deadline);
        }
    }

    /** A stable figure over the expected one is returned when the limit is this close: it is the measurement. */
    private static final Duration LAST_ROUND_MARGIN = Duration.ofSeconds(20);
    /** At least this many rounds: the first ones start the JIT's work, however little the code allocates. */
    private static final int MIN_ROUNDS = 3;
    /** An allocating figure counts once this many rounds in a row are equal and JIT-quiet... */
    private static final int STABLE_ROUNDS = 10;
    /** ...and this long after the start: time for a slow C2 compilation to be installed. */
    private static final Duration SETTLE_TIME = Duration.ofSeconds(8);

    @SuppressWarnings("unused")
    private static volatile long blackhole;
}
