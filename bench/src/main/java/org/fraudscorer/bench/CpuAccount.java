package org.fraudscorer.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the CPU went during a benchmark phase, by thread group: the measured Streams application's threads (its
 * stream threads, its producers' and consumers' network threads), the load generator (the run's main thread, which
 * also polls the measuring consumer, the load producers and their network threads), the other topologies' threads
 * (paused, still polling), and every other Java thread: with the embedded broker mostly the broker's, reported as
 * {@code broker_us}; on a given cluster, where no broker runs in this process, as {@code other_threads_us} (admin
 * clients, the scorer's and the run's cluster watches, timers). The JIT compilers and the garbage collector are not
 * Java threads and so appear only in the process total.
 */
final class CpuAccount {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** Any topology's threads: their names hold its application id, {@code bench-<mode>-app}, then a dash. */
    private static final Pattern TOPOLOGY_THREAD = Pattern.compile(".*bench-(" + String.join("|",
            StreamBench.MODES.stream().map(Pattern::quote).toList()) + ")-app-.*");

    private final String appPrefix;
    private final boolean brokerInProcess;
    private final Map<Long, Long> startByThread = new HashMap<>();
    private final long processStart;
    private static final java.lang.management.CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    private final long jitStartMs;

    /**
     * Starts counting; {@code appPrefix} is the Streams client id prefix (its application id);
     * {@code brokerInProcess} whether the broker runs in this process (the embedded one).
     */
    CpuAccount(String appPrefix, boolean brokerInProcess) {
        this.appPrefix = appPrefix;
        this.brokerInProcess = brokerInProcess;
        for (long id : THREADS.getAllThreadIds()) {
            long t = THREADS.getThreadCpuTime(id);
            if (t >= 0) {
                startByThread.put(id, t);
            }
        }
        processStart = OS.getProcessCpuTime();
        jitStartMs = JIT.getTotalCompilationTime();
    }

    /**
     * CPU seconds per group since construction, and {@code jit}: the JIT compilers' compilation time over the same
     * window (elapsed time summed over compiler threads, as the JVM reports it — not CPU time, and already part of
     * {@code jitGcOther}; shown to tell compilation from garbage collection).
     *
     * @param rest every Java thread in no other group: the broker's when {@code brokerInProcess}, else other threads
     */
    record Split(double process, double app, double load, double otherTopologies, double rest,
                 boolean brokerInProcess, double jitGcOther, double jit) {
        /**
         * Microseconds of CPU per event for each group, as the benchmark's JSON reports them (two decimals);
         * {@code broker_us} is null on a given cluster (its CPU is not this process's), {@code other_threads_us}
         * null with the embedded broker (they are in {@code broker_us} then).
         */
        ObjectNode perEvent(long events) {
            double us = 1e6 / events;
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("process_us", micros(process * us)).put("app_us", micros(app * us))
                    .put("load_us", micros(load * us)).put("other_topologies_us", micros(otherTopologies * us));
            if (brokerInProcess) {
                n.put("broker_us", micros(rest * us)).putNull("other_threads_us");
            } else {
                n.putNull("broker_us").put("other_threads_us", micros(rest * us));
            }
            n.put("jit_gc_other_us", micros(jitGcOther * us)).put("jit_us", micros(jit * us));
            return n;
        }

        private static double micros(double v) {
            return Math.round(v * 100) / 100.0;
        }
    }

    /** The group of a thread named {@code name}: 0 the app, 1 the load, 2 another topology, 3 the rest. */
    int group(String name) {
        if (name.contains(appPrefix)) {
            return 0;
        }
        if (name.equals("main") || name.startsWith("bench-producer")
                || name.startsWith("kafka-producer-network-thread | producer-")) {
            return 1; // main polls the measuring consumer (no group: no thread of its own) and sends the backlogs
        }
        return TOPOLOGY_THREAD.matcher(name).matches() ? 2 : 3;
    }

    Split stop() {
        double[] groups = new double[4];
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long now = THREADS.getThreadCpuTime(ids[i]);
            if (now < 0 || infos[i] == null) {
                continue;
            }
            double s = (now - startByThread.getOrDefault(ids[i], 0L)) / 1e9;
            String name = infos[i].getThreadName();
            if (System.getenv("BENCH_CPU_DEBUG") != null && s > 0.05) {
                System.err.printf(Locale.ROOT, "  cpu %.3f s %s%n", s, name);
            }
            groups[group(name)] += s;
        }
        double process = (OS.getProcessCpuTime() - processStart) / 1e9;
        double jit = (JIT.getTotalCompilationTime() - jitStartMs) / 1e3; // compiler threads' elapsed time
        double threads = groups[0] + groups[1] + groups[2] + groups[3];
        return new Split(process, groups[0], groups[1], groups[2], groups[3], brokerInProcess,
                Math.max(0, process - threads), jit);
    }
}
