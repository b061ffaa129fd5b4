package org.fraudscorer.app;

import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.fraudscorer.app.console.AnalystConsole;
import org.fraudscorer.app.console.ConsoleConfig;
import org.fraudscorer.scorer.app.BrokerCheck;
import org.fraudscorer.scorer.cli.KafkaOptions;
import org.fraudscorer.scorer.config.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./fraud console}: the analysts' page over {@code transactions.flagged}, with the verdict buttons that write
 * labels. See docs/console.md.
 * <pre>
 *   ./fraud console --bootstrap-servers localhost:9092 --scorer-metrics http://127.0.0.1:9464/metrics
 * </pre>
 */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = "Analyst console: a web page of live alerts (from the flagged topic) whose verdicts are written "
                + "to the labels topic.")
public final class ConsoleCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;
    @Option(names = "--flagged-topic", defaultValue = Topics.DEFAULT_FLAGGED, description = "Alerts to show. Defaults to ${DEFAULT-VALUE}.")
    String flaggedTopic;
    @Option(names = "--labels-topic", defaultValue = Topics.DEFAULT_LABELS, description = "Where verdicts are written. Defaults to ${DEFAULT-VALUE}.")
    String labelsTopic;
    @Option(names = "--group-id", defaultValue = "fraud-console", description = "The console's consumer group. Defaults to ${DEFAULT-VALUE}.")
    String groupId;
    @Option(names = "--console-host", defaultValue = ConsoleConfig.DEFAULT_HOST,
            description = "Address to serve the page on. Anything but loopback needs a token. Defaults to ${DEFAULT-VALUE}.")
    String host;
    @Option(names = "--console-port", defaultValue = "8088", description = "Port of the page (0 = any free port). Defaults to ${DEFAULT-VALUE}.")
    int port;
    @Option(names = "--console-token", defaultValue = "${env:" + ConsoleConfig.TOKEN_ENV + "}",
            description = "Secret every write must carry (at least 16 characters); required with a non-loopback --console-host. Defaults to $"
                    + ConsoleConfig.TOKEN_ENV + ".")
    String token;
    @Option(names = "--scorer-metrics", description = "The scorer's /metrics URL (for its throughput, "
            + "flag rate, latency p99 and model version), e.g. http://127.0.0.1:9464/metrics.")
    URI scorerMetrics;
    @Option(names = "--max-alerts", defaultValue = "500", description = "Alerts kept by the server and by the page. Defaults to ${DEFAULT-VALUE}.")
    int maxAlerts;
    @Option(names = "--console-host-names", split = ",", paramLabel = "NAME", description = "The DNS names analysts "
            + "reach the page by (comma-separated): with a non-loopback --console-host, or on loopback the names a "
            + "proxy in front (TLS) passes on as the Host; besides its addresses, the console refuses any other name "
            + "in the Host header, which guards against DNS rebinding. Given, a token is required.")
    java.util.List<String> hostNames = new java.util.ArrayList<>();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConsoleConfig config;
        try {
            config = new ConsoleConfig(kafka.kafka(), flaggedTopic, labelsTopic, groupId, host, port, token, scorerMetrics,
                    maxAlerts, java.util.Set.copyOf(hostNames));
            // the client settings, checked here so that a contradicting -p is a usage error
            AnalystConsole.consumerProperties(config);
            org.fraudscorer.app.console.LabelWriter.producerProperties(config.kafka());
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        BrokerCheck.await(config.kafka(), BrokerCheck.DEFAULT_TIMEOUT);
        CountDownLatch stop = new CountDownLatch(1);
        try (AnalystConsole console = AnalystConsole.start(config)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    console.close();
                } catch (RuntimeException e) {
                    org.fraudscorer.scorer.cli.StopSignal.failedToStop("the console", e);
                }
                stop.countDown();
            }, "console-shutdown"));
            org.fraudscorer.scorer.cli.StopSignal.exitZeroOnTerm(); // SIGTERM: exit 0 once the hook has closed
            System.out.println("Analyst console: " + console.url() + (config.token() != null
                    ? "#token=<your token>  (writes need the token)" : "") + "  — Ctrl-C to stop");
            System.out.println("reading " + flaggedTopic + " (read_committed, group " + groupId + "), writing verdicts to "
                    + labelsTopic);
            stop.await();
        }
        return 0;
    }
}
