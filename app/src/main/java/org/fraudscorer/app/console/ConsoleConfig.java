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
 * @param hostNames      besides IP addresses (or the loopback names), the names the console answers to in the
 *                       {@code Host} header (lower case): those analysts use, or a proxy in front passes on (a console
 *                       on loopback behind a TLS proxy); any other name is refused, so that a web page of another
 *                       site whose name is made to resolve to the console's address (DNS rebinding) cannot read it.
 *                       Given, they require a token, on loopback too
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

    /**
     * The most alerts held (and sent whole to every page that opens): at 10,000 a snapshot is a few tens of MB; at the
     * 100,000 once allowed, 151 MB, and a dozen concurrent page loads ran the server out of memory (helper session).
     */
    public static final int MAX_ALERTS = 10_000;

    public ConsoleConfig {
        hostNames = hostNames == null ? java.util.Set.of() : hostNames.stream()
                .map(n -> n.trim().toLowerCase(java.util.Locale.ROOT)).filter(n -> !n.isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(flaggedTopic, "flaggedTopic");
        Objects.requireNonNull(labelsTopic, "labelsTopic");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(host, "host");
        for (String[] t : new String[][] {{"--flagged-topic", flaggedTopic}, {"--labels-topic", labelsTopic}}) {
            String problem = org.fraudscorer.scorer.config.Topics.nameProblem(t[1]);
            if (problem != null) { // the reader thread died on it while the page said "live"
                throw new IllegalArgumentException(t[0] + ": " + problem);
            }
        }
        if (flaggedTopic.equals(labelsTopic)) {
            throw new IllegalArgumentException("the flagged and labels topics must differ");
        }
        if (groupId.isBlank()) {
            throw new IllegalArgumentException("--group-id must not be empty");
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("--console-host must be an address or a host name, got '" + host + "'");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        if (maxAlerts < 1 || maxAlerts > MAX_ALERTS) {
            throw new IllegalArgumentException("max alerts must be in [1, " + MAX_ALERTS + "], got " + maxAlerts);
        }
        token = token == null || token.isBlank() ? null : token;
        if (token != null && token.length() < 16) {
            throw new IllegalArgumentException("the console token must be at least 16 characters");
        }
        // it travels in an HTTP header: a browser sends each character as one byte (ISO-8859-1), and a header value
        // loses its edge spaces, so a character beyond U+00FF, a control character or an edge space never matches
        if (token != null && (!token.matches("[\\x20-\\x7e\\xa0-\\xff]+") || !token.equals(token.strip()))) {
            throw new IllegalArgumentException("the console token must be printable Latin-1 characters (no control "
                    + "characters, none beyond U+00FF) without spaces at its ends: no browser could send another");
        }
        if (!isLoopback(host) && token == null) {
            throw new IllegalArgumentException("--console-host " + host + " exposes the console beyond this machine: "
                    + "set a token (--console-token or $" + TOKEN_ENV + ") that every write must carry");
        }
        if (!hostNames.isEmpty() && token == null) { // on loopback: names a proxy in front serves it by
            throw new IllegalArgumentException("--console-host-names " + String.join(",", new java.util.TreeSet<>(
                    hostNames)) + " serves the console by names beyond this machine (through a proxy): set a token "
                    + "(--console-token or $" + TOKEN_ENV + ") that every write must carry");
        }
        if (scorerMetrics != null && !("http".equals(scorerMetrics.getScheme()) || "https".equals(scorerMetrics.getScheme()))) {
            throw new IllegalArgumentException("the scorer metrics URL must be http(s), got " + scorerMetrics);
        }
        if (scorerMetrics != null && (scorerMetrics.getHost() == null || scorerMetrics.getHost().isEmpty())) {
            // taken, it failed every second on the page as 'IllegalArgumentException' (helper session)
            throw new IllegalArgumentException("the scorer metrics URL must name a host, got " + scorerMetrics);
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
