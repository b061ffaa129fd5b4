package org.fraudscorer.app.console;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Properties;

/**
 * Everything the analyst console needs.
 *
 * @param kafka          connection properties (bootstrap servers, security)
 * @param flaggedTopic   where the scorer writes alerts (read with read_committed)
 * @param labelsTopic    where verdicts go
 * @param groupId        the console's own consumer group
 * @param host           address to bind; anything but loopback requires a token
 * @param port           port to bind (0 = any free port)
 * @param token          required on every write when set; null for none (loopback only)
 * @param scorerMetrics  the scorer's {@code /metrics} URL, or null
 * @param maxAlerts      alerts held by the server and by the page
 * @param hostNames      besides IP addresses, the names a console bound beyond loopback answers to in the
 *                       {@code Host} header (lower case); any other name is refused, so that a web page of another
 *                       site whose name is made to resolve to the console's address (DNS rebinding) cannot read it
 */
public record ConsoleConfig(Properties kafka, String flaggedTopic, String labelsTopic, String groupId, String host,
                            int port, String token, URI scorerMetrics, int maxAlerts, java.util.Set<String> hostNames) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final String TOKEN_ENV = "FRAUD_CONSOLE_TOKEN";

    /** Answering to IP addresses only (and to the loopback names when bound to loopback). */
    public ConsoleConfig(Properties kafka, String flaggedTopic, String labelsTopic, String groupId, String host,
                         int port, String token, URI scorerMetrics, int maxAlerts) {
        this(kafka, flaggedTopic, labelsTopic, groupId, host, port, token, scorerMetrics, maxAlerts, java.util.Set.of());
    }

    public ConsoleConfig {
        hostNames = hostNames == null ? java.util.Set.of() : hostNames.stream()
                .map(n -> n.trim().toLowerCase(java.util.Locale.ROOT)).filter(n -> !n.isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(flaggedTopic, "flaggedTopic");
        Objects.requireNonNull(labelsTopic, "labelsTopic");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(host, "host");
        if (flaggedTopic.equals(labelsTopic)) {
            throw new IllegalArgumentException("the flagged and labels topics must differ");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        if (maxAlerts < 1 || maxAlerts > 100_000) {
            throw new IllegalArgumentException("max alerts must be in [1, 100000], got " + maxAlerts);
        }
        token = token == null || token.isBlank() ? null : token;
        if (token != null && token.length() < 16) {
            throw new IllegalArgumentException("the console token must be at least 16 characters");
        }
        if (!isLoopback(host) && token == null) {
            throw new IllegalArgumentException("--console-host " + host + " exposes the console beyond this machine: "
                    + "set a token (--console-token or $" + TOKEN_ENV + ") that every write must carry");
        }
        if (scorerMetrics != null && !("http".equals(scorerMetrics.getScheme()) || "https".equals(scorerMetrics.getScheme()))) {
            throw new IllegalArgumentException("the scorer metrics URL must be http(s), got " + scorerMetrics);
        }
    }

    /** Whether the console is bound to a loopback address only. */
    public boolean loopback() {
        return isLoopback(host);
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown console host " + host);
        }
    }
}
