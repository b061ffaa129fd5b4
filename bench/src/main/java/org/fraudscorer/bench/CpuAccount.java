package org.fraudscorer.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where the CPU went during a benchmark phase, by thread group: the Streams application's threads (its stream
 * thread, its producer's and consumer's network threads), the broker's threads, the load generator (producer and
 * view consumer), and the rest of the process — the JIT compilers and the garbage collector, which are not Java
 * threads and so appear only in the process total.
 */
final class CpuAccount {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final String appPrefix;
    private final Map<Long, Long> startByThread = new HashMap<>();
    private final long processStart;
    private static final java.lang.management.CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    private final long jitStartMs;

    /** Starts counting; {@code appPrefix} is the Streams client id prefix (its application id). */
    CpuAccount(String appPrefix) {
        this.appPrefix = appPrefix;
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
     */
    record Split(double process, double app, double broker, double load, double jitGcOther, double jit) {
        /** Microseconds of CPU per event for each group, as the benchmark's JSON reports them (two decimals). */
        ObjectNode perEvent(long events) {
            double us = 1e6 / events;
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("process_us", micros(process * us)).put("app_us", micros(app * us))
                    .put("broker_us", micros(broker * us)).put("load_us", micros(load * us))
                    .put("jit_gc_other_us", micros(jitGcOther * us)).put("jit_us", micros(jit * us));
            return n;
        }

        private static double micros(double v) {
            return Math.round(v * 100) / 100.0;
        }
    }

    Split stop() {
        double app = 0;
        double broker = 0;
        double load = 0;
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
            if (name.contains(appPrefix)) {
                app += s;
            } else if (name.startsWith("main") || name.startsWith("bench-producer")
                    || (name.startsWith("kafka-producer-network-thread | producer-"))) {
                load += s;
            } else {
                broker += s; // broker request handlers, network, raft, coordinators, schedulers
            }
        }
        double process = (OS.getProcessCpuTime() - processStart) / 1e9;
        double jit = (JIT.getTotalCompilationTime() - jitStartMs) / 1e3; // compiler threads' elapsed time
        return new Split(process, app, broker, load, Math.max(0, process - app - broker - load), jit);
    }
}
