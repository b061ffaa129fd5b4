package org.fraudscorer.scorer.app;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
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
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    /**
     * Where a command's Kafka client settings come from, as the messages name them: every command's {@code --config}
     * and {@code -p}, but retrain's file option is {@code --kafka-config} (its {@code --config} is the training's).
     */
    public static final String SETTINGS = "--config (retrain: --kafka-config) or -p";
    /** Set on the thread that creates the check's client: see {@link #creatingClientOnThisThread()}. */
    private static final ThreadLocal<Boolean> CREATING = ThreadLocal.withInitial(() -> false);

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
        Admin admin = create(() -> Admin.create(p), p);
        try {
            return admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).nodes()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
        } catch (TimeoutException e) {
            throw noAnswer(p, servers, timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                // the admin client's own deadline, a moment before this one: the same "no answer"
                throw noAnswer(p, servers, timeout);
            }
            if (cause instanceof SslAuthenticationException) {
                String reason = rootMessage(cause);
                if (refusedClientCertificate(reason)) {
                    // the cluster wants a certificate from this client (mutual TLS) and got none it accepts
                    throw new IllegalStateException("Kafka at " + servers + " refused this client's TLS certificate ("
                            + reason + "); check the ssl.keystore.* settings of " + SETTINGS + ": the cluster asks "
                            + "each client for a certificate (mutual TLS) signed by an authority it trusts and "
                            + "valid today" + (reason.endsWith("handshake_failure") ? " (or, with a certificate, "
                            + "that ssl.enabled.protocols and ssl.cipher.suites allow one of the cluster's)" : ""));
                }
                // The server answered, but the TLS handshake failed: most often the client does not trust the
                // cluster's certificate, or the certificate does not name the server; the deepest cause says which.
                throw new IllegalStateException("the TLS handshake with Kafka at " + servers + " failed ("
                        + reason + "); check the ssl.* settings of " + SETTINGS + ": the trust store "
                        + "(ssl.truststore.*) must hold the authority that signed the cluster's certificate, and the "
                        + "certificate must name the server");
            }
            if (cause instanceof AuthenticationException) {
                // The cluster answered: the servers and the network are right, the credentials or TLS settings not.
                throw new IllegalStateException("Kafka at " + servers + " refused this client's authentication ("
                        + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": "
                        + cause.getMessage()) + "); check the security settings of " + SETTINGS
                        + " (security.protocol, "
                        + "sasl.*, ssl.*)");
            }
            throw unreachable(servers, timeout, cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        } finally {
            // Bounded: a server that accepted the connection and never answers keeps a request in flight, and an
            // unbounded close waits for it forever (seen with a silent listener).
            admin.close(CLOSE_TIMEOUT);
        }
    }

    /**
     * Creates a Kafka client with {@code client}'s settings. Settings it cannot be created with are one line: bootstrap
     * servers none of whose host names resolves (a misspelt host), or the settings themselves (a trust store that
     * cannot be read, a SASL mechanism without its login, ...); what Kafka logs about them meanwhile is left out
     * ({@link #creatingClientOnThisThread}).
     */
    public static <T> T create(java.util.function.Supplier<T> create, Properties client) {
        CREATING.set(true);
        try {
            return create.get();
        } catch (KafkaException e) {
            String servers = String.valueOf(client.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof org.apache.kafka.common.config.ConfigException && t.getMessage() != null
                        && t.getMessage().startsWith("No resolvable bootstrap urls")) {
                    // it said the settings of --config or -p cannot be used, of a host given by --bootstrap-servers
                    throw new IllegalStateException("cannot reach Kafka at " + servers + ": no host name of it "
                            + "resolves to an address (a misspelt host, or no DNS here?); check --bootstrap-servers "
                            + "and the network, then try again");
                }
            }
            throw new IllegalStateException("the Kafka client settings of " + SETTINGS + " cannot be used: "
                    + causes(e));
        } finally {
            CREATING.remove();
        }
    }

    /**
     * Whether this thread is creating the check's client (or another, through {@link #create}). Kafka logs some
     * failures of the settings there without the client's id (a trust store file that is not there: an ERROR with a
     * stack trace from its SSL engine factory), which the command then reports in its one line; the launcher's
     * logging leaves them out by this.
     */
    public static boolean creatingClientOnThisThread() {
        return CREATING.get();
    }

    /**
     * What went wrong, from the causes under {@code e}: the first that is not Kafka's wrapper of them ("Failed to
     * create new KafkaAdminClient", "Failed to construct kafka producer") and the deepest (a missing file's name, a
     * JAAS entry not found), once each.
     */
    static String causes(Throwable e) {
        String first = null;
        String deepest = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getCause() != null && t.getCause() != t && t.getCause().toString().equals(t.getMessage())) {
                continue; // a bare wrapper (new KafkaException(cause)): its message is the cause's class and message
            }
            String m = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName()
                    : t instanceof java.nio.file.NoSuchFileException ? "no such file " + t.getMessage()
                    : t.getMessage();
            if (first == null && !m.startsWith("Failed to create new") && !m.startsWith("Failed to construct kafka")) {
                first = m;
            }
            deepest = m;
        }
        return first == null || first.contains(deepest) ? deepest : first + ": " + deepest;
    }

    /**
     * Whether a failed handshake's reason is the server's alert about this client's certificate (the JDK's
     * "Received fatal alert: bad_certificate", "certificate_required", "unknown_ca", ...): a cluster on mutual TLS
     * that got no certificate, or one it does not accept. TLS 1.2 servers (and JDKs since JDK-8311644) answer a
     * missing certificate with {@code handshake_failure}, which other mismatches give too: the message says both.
     */
    static boolean refusedClientCertificate(String reason) {
        return reason != null && reason.startsWith("Received fatal alert: ") && (reason.endsWith("bad_certificate")
                || reason.endsWith("certificate_required") || reason.endsWith("unknown_ca")
                || reason.endsWith("certificate_expired") || reason.endsWith("certificate_unknown")
                || reason.endsWith("access_denied") || reason.endsWith("handshake_failure"));
    }

    /** The message of the deepest cause that has one (the handshake's own reason, under Kafka's and the JDK's). */
    static String rootMessage(Throwable e) {
        String message = e.getClass().getSimpleName();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return message;
    }

    /**
     * No answer within the timeout. When a bootstrap server still accepts a TCP connection, something listens there
     * and did not speak Kafka with this client: most often a security.protocol that is not the listener's (a
     * plaintext client on a TLS or SASL listener is dropped during the handshake and retried until the deadline).
     */
    private static IllegalStateException noAnswer(Properties p, String servers, Duration timeout) {
        String accepting = acceptingServer(servers);
        if (accepting == null) {
            return unreachable(servers, timeout, "no answer");
        }
        return new IllegalStateException("Kafka at " + servers + " gave no answer within " + timeout.toSeconds()
                + " s, though " + accepting + " accepts connections: check security.protocol (here "
                + p.getProperty("security.protocol", "PLAINTEXT") + ") and the security settings of " + SETTINGS + " "
                + "(the listener may want another of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL), and that the brokers' "
                + "advertised.listeners are reachable from here");
    }

    /** The first bootstrap server that accepts a TCP connection within a second, or null. */
    static String acceptingServer(String servers) {
        for (String server : servers.split(",")) {
            String s = server.strip();
            String host = org.apache.kafka.common.utils.Utils.getHost(s);
            Integer port = org.apache.kafka.common.utils.Utils.getPort(s);
            if (host == null || port == null) {
                continue;
            }
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(host, port), 1_000);
                return s;
            } catch (java.io.IOException | IllegalArgumentException | SecurityException e) {
                // not this one
            }
        }
        return null;
    }

    private static IllegalStateException unreachable(String servers, Duration timeout, String why) {
        return new IllegalStateException("cannot reach Kafka at " + servers + " within " + timeout.toSeconds()
                + " s (" + why + "); check --bootstrap-servers and the network, then try again");
    }
}
