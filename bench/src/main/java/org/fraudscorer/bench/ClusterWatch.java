package org.fraudscorer.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.fraudscorer.scorer.app.BrokerWatch;

/**
 * Gives a run up when its cluster has not answered for {@link #GIVE_UP_AFTER}: it interrupts the run's thread, which
 * then fails with {@link #gaveUp()}'s line. Kafka's clients ride out an outage on their own, so a run whose broker
 * died waited minutes (a capacity round up to 4, the load producer 5 more) amid Kafka's stack traces. The asking is
 * the scorer's {@link BrokerWatch} (every 5 s; a refusal, e.g. by an ACL, counts as an answer).
 */
final class ClusterWatch implements AutoCloseable {
    /** How long a run waits for a silent cluster before it gives up. */
    static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);

    private final String servers;
    private final Supplier<Instant> silentSince;
    private final Supplier<String> reason;
    private final Duration giveUpAfter;
    private final Thread runner;
    private final AutoCloseable source;
    private final ScheduledExecutorService timer;
    private volatile String gaveUp;
    private boolean closed;

    /** Watches {@code cluster} for {@code runner}, the run's thread. */
    static ClusterWatch start(StreamBench.Cluster cluster, Thread runner) {
        Properties p = new Properties();
        p.putAll(cluster.client());
        BrokerWatch watch = BrokerWatch.start(p);
        return new ClusterWatch(cluster.bootstrapServers(), watch::unreachableSince, watch::lastReason, GIVE_UP_AFTER,
                Duration.ofSeconds(1), runner, watch);
    }

    /**
     * @param silentSince since when the cluster has not answered, or null while it answers
     * @param source what asks the cluster, closed with this
     */
    ClusterWatch(String servers, Supplier<Instant> silentSince, Supplier<String> reason, Duration giveUpAfter,
                 Duration checkEvery, Thread runner, AutoCloseable source) {
        this.servers = servers;
        this.silentSince = silentSince;
        this.reason = reason;
        this.giveUpAfter = giveUpAfter;
        this.runner = runner;
        this.source = source;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-cluster-watch");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, checkEvery.toMillis(), checkEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void check() {
        Instant since = silentSince.get();
        if (closed || gaveUp != null || since == null) {
            return;
        }
        Duration silent = Duration.between(since, Instant.now());
        if (silent.compareTo(giveUpAfter) >= 0) {
            String why = reason.get();
            gaveUp = "Kafka at " + servers + " has not answered for " + silent.toSeconds() + " s"
                    + (why == null ? "" : " (" + why + ")") + ": the run is given up";
            runner.interrupt(); // out of whatever Kafka call it waits in
        }
    }

    /** The line the run fails with once the cluster was given up, else null. */
    String gaveUp() {
        return gaveUp;
    }

    /** Stops watching; no interrupt comes after this returns. */
    @Override
    public void close() throws Exception {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        timer.shutdownNow();
        source.close();
    }
}
