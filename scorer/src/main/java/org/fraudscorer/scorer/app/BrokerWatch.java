package org.fraudscorer.scorer.app;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the cluster for its brokers every few seconds, so that an outage shows: Kafka Streams rides one out on its own
 * and reports RUNNING throughout, and its clients log nothing for minutes, so a scorer whose broker is gone looked
 * healthy ({@code /health} UP, no log line). After {@code warnAfter} without an answer it logs a warning (again every
 * 5 minutes while it lasts), {@code /health} says DEGRADED with {@code brokerUnreachableSince}, and
 * {@code fraud_broker_reachable} is 0; the first answer after that is logged with the outage's length.
 */
public final class BrokerWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerWatch.class);
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    static final Duration DEFAULT_WARN_AFTER = Duration.ofSeconds(15);
    private static final Duration REPEAT_WARNING = Duration.ofMinutes(5);

    private final String servers;
    /** What the warning says waits while the cluster is silent. */
    private final String consequence;
    private final Admin admin;
    private final Duration interval;
    private final Duration warnAfter;
    private final ScheduledExecutorService timer;
    private volatile Instant silentSince;
    private volatile String lastReason;
    private volatile boolean reported;
    private Instant lastWarning;

    /** Starts watching the cluster of {@code clientProperties} (its connection and security settings). */
    public static BrokerWatch start(Properties clientProperties) {
        return new BrokerWatch(clientProperties, DEFAULT_INTERVAL, DEFAULT_WARN_AFTER);
    }

    /**
     * Starts watching the cluster for another client than the scorer: {@code clientId} names the watch's admin
     * client, {@code consequence} says in the warning what waits while the cluster is silent.
     */
    public static BrokerWatch start(Properties clientProperties, String clientId, String consequence) {
        return new BrokerWatch(clientProperties, DEFAULT_INTERVAL, DEFAULT_WARN_AFTER, clientId, consequence);
    }

    BrokerWatch(Properties clientProperties, Duration interval, Duration warnAfter) {
        this(clientProperties, interval, warnAfter, "fraud-scorer-broker-watch",
                "decisions wait until it does; the scorer retries on its own");
    }

    /** A watch asking every {@code interval} and warning after {@code warnAfter} (tests: short ones). */
    public BrokerWatch(Properties clientProperties, Duration interval, Duration warnAfter, String clientId,
                       String consequence) {
        this.consequence = consequence;
        this.servers = clientProperties.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "?");
        Map<String, Object> config = new HashMap<>();
        clientProperties.forEach((k, v) -> config.put(String.valueOf(k), v));
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        long ask = Math.max(1_000, interval.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ask);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ask);
        this.admin = Admin.create(config);
        this.interval = interval;
        this.warnAfter = warnAfter;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "broker-watch");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::ask, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void ask() {
        // The silence starts when the first unanswered question was asked, not when its wait ended: counted from the
        // end, /health said DEGRADED 26-31 s into an outage instead of about 15-20 s, and the length logged at the
        // return was short by as much (found by a helper session's outage runs)
        Instant asked = Instant.now();
        try {
            admin.describeCluster().nodes().get(Math.max(1_000, interval.toMillis()), TimeUnit.MILLISECONDS);
            answered();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.RetriableException) {
                silent(e, asked); // a timeout, a lost connection: no answer
            } else {
                answered(); // the cluster answered, if only with a refusal (an ACL): it is there
            }
        } catch (Exception e) {
            silent(e, asked);
        }
    }

    private void answered() {
        Instant since = silentSince;
        silentSince = null;
        if (since != null && reported) {
            LOG.info("Kafka at {} answers again, after {} s without an answer", servers,
                    Duration.between(since, Instant.now()).toSeconds());
        }
        reported = false;
    }

    private void silent(Exception e, Instant asked) {
        Instant now = Instant.now();
        if (silentSince == null) {
            silentSince = asked;
        }
        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
        // the wait's own timeout has no message: its class name alone said nothing to an operator
        lastReason = cause instanceof java.util.concurrent.TimeoutException && cause.getMessage() == null
                ? "no answer within " + Math.max(1_000, interval.toMillis()) + " ms"
                : ThreadFailures.oneLine(cause); // the scorer's one way of putting a failure in one line
        Duration silentFor = Duration.between(silentSince, now);
        if (silentFor.compareTo(warnAfter) >= 0 && (!reported || Duration.between(lastWarning, now)
                .compareTo(REPEAT_WARNING) >= 0)) {
            LOG.warn("Kafka at {} has not answered for {} s ({}): {}", servers, silentFor.toSeconds(), lastReason,
                    consequence);
            reported = true;
            lastWarning = now;
        }
    }

    /** Since when the cluster has not answered, once that has lasted {@code warnAfter}; null while it answers. */
    public Instant unreachableSince() {
        Instant since = silentSince;
        return since != null && reported ? since : null;
    }

    /** Why the last question got no answer (while {@link #unreachableSince()} is set). */
    public String lastReason() {
        return lastReason;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
