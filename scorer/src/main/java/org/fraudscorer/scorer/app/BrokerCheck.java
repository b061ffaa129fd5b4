package org.fraudscorer.scorer.app;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.AuthenticationException;
import org.fraudscorer.scorer.config.ClientSettings;

/**
 * The first thing a scorer (and {@code publish}) does: reach the cluster, or say within a bounded time that it cannot, naming the
 * bootstrap servers. Kafka's clients otherwise retry silently for a minute or more (topic creation, then the
 * Streams client), which looks like a hang to an operator.
 */
public final class BrokerCheck {
    /** How long start-up waits for the cluster before it gives up with a one-line reason. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    /**
     * The check's admin client's id, set over any {@code client.id} of the user's settings (the check's client is
     * its own). Its failure is the command's one-line error, so the launcher's logging leaves out the warnings and
     * errors Kafka's network client logs about the same failure under this id (a refused authentication is an ERROR
     * with a stack trace there).
     */
    public static final String CLIENT_ID = "fraud-broker-check";

    private BrokerCheck() {
    }

    /**
     * Returns the cluster's broker count once a broker answered; throws {@link IllegalStateException} naming the
     * bootstrap servers when none answered within {@code timeout}.
     */
    public static int await(Properties client, Duration timeout) throws InterruptedException {
        Properties p = ClientSettings.forAdmin(client);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        int ms = (int) Math.max(1, timeout.toMillis());
        p.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(ms));
        p.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(ms));
        String servers = String.valueOf(p.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        try (Admin admin = Admin.create(p)) {
            return admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).nodes()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
        } catch (TimeoutException e) {
            throw unreachable(servers, timeout, "no answer");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                // the admin client's own deadline, a moment before this one: the same "no answer"
                throw unreachable(servers, timeout, "no answer");
            }
            if (cause instanceof AuthenticationException) {
                // The cluster answered: the servers and the network are right, the credentials or TLS settings not.
                throw new IllegalStateException("Kafka at " + servers + " refused this client's authentication ("
                        + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": "
                        + cause.getMessage()) + "); check the security settings of --config or -p (security.protocol, "
                        + "sasl.*, ssl.*)");
            }
            throw unreachable(servers, timeout, cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        }
    }

    private static IllegalStateException unreachable(String servers, Duration timeout, String why) {
        return new IllegalStateException("cannot reach Kafka at " + servers + " within " + timeout.toSeconds()
                + " s (" + why + "); check --bootstrap-servers and the network (and security.protocol, when the "
                + "cluster wants TLS or SASL), then try again");
    }
}
