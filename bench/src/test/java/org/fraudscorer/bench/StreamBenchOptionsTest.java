package org.fraudscorer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fraudscorer.scorer.config.LatencyProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * StreamBench's command line, through the same {@link StreamBench#commandLine} as its {@code main}, with a runner that
 * only keeps the checked settings: no broker starts.
 */
class StreamBenchOptionsTest {

    /** One invocation: the exit code, the settings the benchmark would have run with (null if refused), the output. */
    record Run(int exitCode, StreamBench.Settings settings, String out, String err) {
        static Run of(String... args) {
            StreamBench.Settings[] got = {null};
            CommandLine cl = StreamBench.commandLine(s -> {
                got[0] = s;
                return 0;
            });
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            return new Run(code, got[0], out.toString(), err.toString());
        }
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        Run run = Run.of();
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        StreamBench.Settings s = run.settings();
        assertThat(s.rate()).isEqualTo(20_000.0);
        assertThat(s.seconds()).isEqualTo(30);
        assertThat(s.warmup()).isEqualTo(5);
        assertThat(s.backlog()).isEqualTo(100_000);
        assertThat(s.rounds()).isEqualTo(5);
        assertThat(s.warmupRounds()).isEqualTo(4);
        assertThat(s.warmupMax()).isEqualTo(10);
        assertThat(s.warmupBacklog()).isEqualTo(60_000);
        assertThat(s.partitions()).isEqualTo(3);
        assertThat(s.json()).isNull();
        assertThat(s.trace()).isNull();
        assertThat(s.traceOffsets()).isZero();
        assertThat(s.isolation()).isEqualTo("read_committed");
        assertThat(s.modes()).containsExactly("passthrough", "serde-passthrough", "parse", "parse-write", "scorer",
                "scorer-compact");
        assertThat(s.profile()).isNull();
        assertThat(s.kafka()).isEmpty();
        assertThat(s.broker()).isEmpty();
        assertThat(s.bootstrapServers()).isNull();
        assertThat(s.embedded()).isTrue();
        assertThat(s.consumer()).as("the product consumers' defaults")
                .containsOnly(Map.entry("receive.buffer.bytes", "-1"), Map.entry("allow.auto.create.topics", "false"));
    }

    @Test
    void everyOptionIsApplied() {
        Run run = Run.of("--rate", "12500.5", "--seconds", "12", "--warmup", "3", "--backlog", "20000", "--rounds", "9",
                "--warmup-rounds", "1", "--warmup-max", "16", "--warmup-backlog", "30000", "--partitions", "4", "--json", "out/stream.json",
                "--trace", "traces", "--trace-offsets", "7", "--isolation", "read_uncommitted",
                "--modes", "passthrough,identity,parse-score",
                "--kafka", "producer.batch.size=16384", "--kafka", "num.stream.threads=1",
                "--broker", "add.partitions.to.txn.retry.backoff.ms=5",
                "--consumer", "fetch.max.wait.ms=20", "--consumer", "max.poll.records=500");
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        StreamBench.Settings s = run.settings();
        assertThat(s.rate()).isEqualTo(12_500.5);
        assertThat(s.seconds()).isEqualTo(12);
        assertThat(s.warmup()).isEqualTo(3);
        assertThat(s.backlog()).isEqualTo(20_000);
        assertThat(s.rounds()).isEqualTo(9);
        assertThat(s.warmupRounds()).isEqualTo(1);
        assertThat(s.warmupMax()).isEqualTo(16);
        assertThat(s.warmupBacklog()).isEqualTo(30_000);
        assertThat(s.partitions()).isEqualTo(4);
        assertThat(s.json()).isEqualTo(Path.of("out/stream.json"));
        assertThat(s.trace()).isEqualTo(Path.of("traces"));
        assertThat(s.traceOffsets()).isEqualTo(7);
        assertThat(s.isolation()).isEqualTo("read_uncommitted");
        assertThat(s.modes()).containsExactly("passthrough", "identity", "parse-score");
        assertThat(s.profile()).isNull();
        assertThat(s.kafka()).containsExactly(Map.entry("producer.batch.size", "16384"),
                Map.entry("num.stream.threads", "1"));
        assertThat(s.broker()).containsExactly(Map.entry("add.partitions.to.txn.retry.backoff.ms", "5"));
        assertThat(s.consumer()).containsOnly(Map.entry("receive.buffer.bytes", "-1"),
                Map.entry("allow.auto.create.topics", "false"), Map.entry("fetch.max.wait.ms", "20"),
                Map.entry("max.poll.records", "500"));
    }

    @Test
    void aGivenClusterReplacesTheEmbeddedBroker() {
        StreamBench.Settings s = Run.of("--bootstrap-servers", "kafka-1:9092,kafka-2:9092", "--modes", "scorer")
                .settings();
        assertThat(s.bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(s.embedded()).isFalse();
        assertThat(s.broker()).isEmpty();
    }

    @Test
    void aGivenClustersConnectionSettingsComeFromConfigAndAreInEveryClientsSettings(
            @TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                + "ssl.truststore.location=/etc/kafka/truststore.jks\nclient.dns.lookup=use_all_dns_ips\n");
        StreamBench.Settings s = Run.of("--bootstrap-servers", "kafka-1:9093", "--config", file.toString()).settings();
        assertThat(s.connection()).containsOnly(Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("ssl.truststore.location", "/etc/kafka/truststore.jks"),
                Map.entry("client.dns.lookup", "use_all_dns_ips"));
        Map<String, Object> client = new StreamBench.Cluster(s.bootstrapServers(), s.connection()).client();
        assertThat(client).containsEntry("bootstrap.servers", "kafka-1:9093")
                .containsEntry("security.protocol", "SASL_SSL").hasSize(5);
        client.put("acks", "all");
        StreamBench.Cluster cluster = new StreamBench.Cluster(s.bootstrapServers(), s.connection());
        assertThat(cluster.client()).as("each client gets a map of its own").doesNotContainKey("acks");
        // The topologies (Streams and, through it, the scorer's own clients), the load producers, the measuring
        // consumer; the admin clients take cluster.client() as it is.
        Map<String, Object> streams = new HashMap<>();
        StreamBench.streamsProperties(cluster, "fraud-bench-1-0000-bench-scorer-app", dir, Map.of("linger.ms", "5"))
                .forEach((k, v) -> streams.put((String) k, v));
        for (Map<String, Object> each : List.of(streams, StreamBench.producerProperties(cluster),
                StreamBench.consumerProperties(cluster, "read_committed", s.consumer()))) {
            assertThat(each).containsEntry("bootstrap.servers", "kafka-1:9093")
                    .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.jks")
                    .containsEntry("client.dns.lookup", "use_all_dns_ips");
        }
        assertThat(streams).containsEntry("application.id", "fraud-bench-1-0000-bench-scorer-app")
                .containsEntry("linger.ms", "5");
        assertThat(cluster.toString()).as("values may be passwords").doesNotContain("SASL_SSL", "truststore.jks")
                .contains("kafka-1:9093", "security.protocol");
        assertThat(Run.of().settings().connection()).isEmpty();
    }

    @Test
    void aConfigWithMoreThanConnectionSettingsOrWithoutAGivenClusterIsRefused(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SSL\nlinger.ms=5\n");
        Run run = Run.of("--bootstrap-servers", "kafka-1:9093", "--config", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.settings()).isNull();
        assertThat(run.err()).startsWith("error: --config holds connection settings only (security.*, ssl.*, sasl.*,"
                + " client.dns.lookup), got linger.ms: give it with --kafka or --consumer");
        Files.writeString(file, "bootstrap.servers=elsewhere:9092\n");
        assertThat(Run.of("--bootstrap-servers", "kafka-1:9093", "--config", file.toString()).err())
                .contains("got bootstrap.servers: give --bootstrap-servers");
        Files.writeString(file, "security.protocol=SSL\n");
        run = Run.of("--config", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: --config needs --bootstrap-servers");
        run = Run.of("--bootstrap-servers", "kafka-1:9093", "--config", dir.resolve("missing.properties").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines().toList()).singleElement().asString().startsWith("error: --config: cannot read ")
                .contains("does not exist");
    }

    @Test
    void aRunsPrefixIsItsStartInMillisecondsAndARandomNumber() {
        assertThat(StreamBench.runPrefix(1_733_360_000_123L, 0xbeef)).isEqualTo("fraud-bench-1733360000123-beef-");
        assertThat(StreamBench.runPrefix(1_733_360_000_123L, 7)).as("two runs in the same millisecond")
                .isEqualTo("fraud-bench-1733360000123-0007-");
    }

    @Test
    void kafkaSplitsAtTheFirstEqualsSignAndTheLastOfAKeyWins() {
        StreamBench.Settings s = Run.of("--kafka", "a=1", "--kafka", "b=x=y", "--kafka", "a=2", "--kafka", "c=")
                .settings();
        assertThat(s.kafka()).containsExactly(Map.entry("a", "2"), Map.entry("b", "x=y"), Map.entry("c", ""));
    }

    @Test
    void theProfileFillsWhatKafkaLeavesUnsetForTheGuaranteeInForce() {
        StreamBench.Settings eos = Run.of("--profile", "low-latency").settings();
        assertThat(eos.profile()).isEqualTo(LatencyProfile.LOW_LATENCY);
        assertThat(eos.kafka()).containsOnly(Map.entry("commit.interval.ms", "20"),
                Map.entry("producer.linger.ms", "5"), Map.entry("producer.compression.type", "none"),
                Map.entry("session.timeout.ms", "10000"));

        StreamBench.Settings overridden = Run.of("--profile", "low-latency", "--kafka", "commit.interval.ms=50")
                .settings();
        assertThat(overridden.kafka()).containsOnly(Map.entry("commit.interval.ms", "50"),
                Map.entry("producer.linger.ms", "5"), Map.entry("producer.compression.type", "none"),
                Map.entry("session.timeout.ms", "10000"));

        StreamBench.Settings alos = Run.of("--kafka", "processing.guarantee=at_least_once", "--profile", "low-latency")
                .settings();
        assertThat(alos.kafka()).containsOnly(Map.entry("processing.guarantee", "at_least_once"),
                Map.entry("commit.interval.ms", "1000"), Map.entry("producer.linger.ms", "5"),
                Map.entry("producer.compression.type", "none"), Map.entry("session.timeout.ms", "10000"));

        StreamBench.Settings throughput = Run.of("--profile", "throughput").settings();
        assertThat(throughput.profile()).isEqualTo(LatencyProfile.THROUGHPUT);
        assertThat(throughput.kafka()).containsOnly(Map.entry("commit.interval.ms", "100"),
                Map.entry("producer.linger.ms", "100"), Map.entry("producer.compression.type", "lz4"));
    }

    @Test
    void theWarmUpMayBeOffAndItsMaximumWinsOverItsMinimum() {
        assertThat(Run.of("--warmup-max", "0").settings().warmupMax()).isZero();
        StreamBench.Settings s = Run.of("--warmup-rounds", "6", "--warmup-max", "2").settings();
        assertThat(s.warmupRounds()).isEqualTo(6);
        assertThat(s.warmupMax()).isEqualTo(2);
        assertThat(Run.of("--warmup", "0", "--seconds", "1").settings().warmup()).isZero();
    }

    /** The command lines of bench/run.sh (quick and full), bench/README.md and docs/latency.md, as written there. */
    static Stream<List<String>> documentedCommandLines() {
        return Stream.of(
                List.of("--backlog", "20000", "--seconds", "12", "--warmup", "3", "--rounds", "2", "--warmup-rounds", "1",
                        "--rate", "20000", "--json", "bench/results/stream.json"),
                List.of("--backlog", "150000", "--seconds", "20", "--warmup", "5", "--rounds", "9", "--warmup-max", "16",
                        "--rate", "20000", "--json", "bench/results/stream.json"),
                List.of("--rate", "20000", "--seconds", "20"),
                List.of("--modes", "passthrough,scorer", "--rounds", "9", "--backlog", "150000", "--warmup-rounds", "4",
                        "--warmup-max", "10", "--warmup-backlog", "60000", "--kafka", "producer.batch.size=16384",
                        "--profile", "low-latency", "--trace", "traces", "--isolation", "read_uncommitted"),
                List.of("--modes", "passthrough,identity"),
                List.of("--modes", "parse,scorer", "--backlog", "150000", "--rounds", "3"),
                List.of("--modes", "scorer", "--rate", "10000", "--seconds", "30", "--warmup", "10", "--rounds", "1",
                        "--backlog", "30000", "--warmup-rounds", "2", "--warmup-max", "4", "--warmup-backlog", "30000",
                        "--profile", "low-latency", "--kafka", "num.stream.threads=1", "--trace", "/tmp/trace"),
                List.of("--modes", "scorer", "--rate", "10000", "--seconds", "30", "--warmup", "10", "--rounds", "1",
                        "--backlog", "30000", "--warmup-rounds", "2", "--warmup-max", "4", "--warmup-backlog", "30000",
                        "--profile", "low-latency", "--trace", "/tmp/trace", "--trace-offsets", "5"),
                List.of("--modes", "scorer", "--rate", "10000", "--seconds", "30", "--warmup", "10", "--rounds", "1",
                        "--backlog", "30000", "--warmup-rounds", "2", "--warmup-max", "4", "--warmup-backlog", "30000",
                        "--kafka", "processing.guarantee=at_least_once", "--kafka", "commit.interval.ms=1000",
                        "--kafka", "producer.linger.ms=5"));
    }

    @ParameterizedTest
    @MethodSource("documentedCommandLines")
    void theDocumentedCommandLinesAreAccepted(List<String> args) {
        Run run = Run.of(args.toArray(String[]::new));
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.settings()).isNotNull();
    }

    /** Each bad command line, and what its one error line must say (the option named, and why). */
    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                Arguments.of(List.of("--bogus"), "Unknown option: '--bogus'"),
                Arguments.of(List.of("extra"), "Unmatched argument at index 0: 'extra'"),
                Arguments.of(List.of("--kafka", "novalue"), "--kafka takes key=value, got 'novalue'"),
                Arguments.of(List.of("--kafka", "=value"), "--kafka takes key=value, got '=value'"),
                Arguments.of(List.of("--kafka", " =value"), "--kafka takes key=value, got ' =value'"),
                Arguments.of(List.of("--broker", "novalue"), "--broker takes key=value, got 'novalue'"),
                Arguments.of(List.of("--broker", "listeners=PLAINTEXT://localhost:1"),
                        "--broker cannot set listeners: the embedded broker sets it itself"),
                Arguments.of(List.of("--bootstrap-servers", "localhost:9092", "--broker", "num.io.threads=4"),
                        "--broker sets the embedded broker's properties; with --bootstrap-servers there is none"),
                Arguments.of(List.of("--bootstrap-servers", ""),
                        "--bootstrap-servers takes host:port[,host:port...] without spaces, got ''"),
                Arguments.of(List.of("--bootstrap-servers", "a:1, b:2"),
                        "--bootstrap-servers takes host:port[,host:port...] without spaces, got 'a:1, b:2'"),
                // what Kafka's clients refused only once made (exit 1 in their words, after topics were created)
                Arguments.of(List.of("--bootstrap-servers", "nonsense"),
                        "--bootstrap-servers takes host:port[,host:port...] (a port up to 65535), got 'nonsense'"),
                Arguments.of(List.of("--bootstrap-servers", "localhost:99999"),
                        "--bootstrap-servers takes host:port[,host:port...] (a port up to 65535), got"
                                + " 'localhost:99999'"),
                Arguments.of(List.of("--bootstrap-servers", "localhost:19392,"), "--bootstrap-servers takes"
                        + " host:port[,host:port...] (a port up to 65535), got 'localhost:19392,' (an empty entry)"),
                Arguments.of(List.of("--bootstrap-servers", "a:1,b"),
                        "--bootstrap-servers takes host:port[,host:port...] (a port up to 65535), got 'a:1,b':"
                                + " 'b' is not"),
                Arguments.of(List.of("--kafka", "linger.ms=abc"),
                        "Kafka setting linger.ms (--kafka): Invalid value abc"),
                Arguments.of(List.of("--kafka", "producer.batch.size=-5"),
                        "Kafka setting producer.batch.size (--kafka): Invalid value -5 for configuration batch.size"),
                Arguments.of(List.of("--kafka", "main.consumer.fetch.max.wait.ms=soon"),
                        "Kafka setting main.consumer.fetch.max.wait.ms (--kafka): Invalid value soon"),
                Arguments.of(List.of("--kafka", "num.stream.threads=two"),
                        "Kafka setting num.stream.threads (--kafka): Invalid value two"),
                Arguments.of(List.of("--consumer", "fetch.max.wait.ms=abc"),
                        "Kafka setting fetch.max.wait.ms (--consumer): Invalid value abc"),
                Arguments.of(List.of("--kafka", "application.id=fraud-scorer-prod"),
                        "--kafka cannot set application.id: the benchmark sets it itself"),
                Arguments.of(List.of("--kafka", "bootstrap.servers=kafka-1:9092"),
                        "--kafka cannot set bootstrap.servers: the benchmark sets it itself (give --bootstrap-servers)"),
                Arguments.of(List.of("--kafka", "state.dir=/var/lib/x"),
                        "--kafka cannot set state.dir: the benchmark sets it itself"),
                Arguments.of(List.of("--consumer", "fetch.max.wait.ms"), "--consumer takes key=value, got 'fetch.max.wait.ms'"),
                Arguments.of(List.of("--consumer", "isolation.level=read_uncommitted"),
                        "--consumer cannot set isolation.level: the benchmark sets it itself"),
                Arguments.of(List.of("--partitions", "0"), "--partitions must be at least 1, got 0"),
                Arguments.of(List.of("--trace-offsets", "5"),
                        "--trace-offsets needs --trace DIR, where it writes <mode>-offsets.csv"),
                Arguments.of(List.of("--trace", "t", "--trace-offsets", "-1"),
                        "--trace-offsets must be at least 0 milliseconds, got -1"),
                Arguments.of(List.of("--isolation", "read_uncommited"),
                        "--isolation must be read_committed or read_uncommitted, got 'read_uncommited'"),
                Arguments.of(List.of("--isolation", "READ_COMMITTED"), "--isolation must be read_committed or"),
                Arguments.of(List.of("--modes", "passthrough,scorr"), "--modes: unknown mode 'scorr'"),
                Arguments.of(List.of("--modes", ""), "--modes: unknown mode ''"),
                Arguments.of(List.of("--modes", ","), "--modes must name at least one of"),
                Arguments.of(List.of("--modes", "scorer,parse,scorer"), "--modes names scorer twice"),
                Arguments.of(List.of("--profile", "fast"), "--profile must be low-latency or throughput, got 'fast'"),
                Arguments.of(List.of("--rate", "0"), "--rate must be a number of events/s above 0, got 0.0"),
                Arguments.of(List.of("--rate", "-100"), "--rate must be a number of events/s above 0, got -100.0"),
                Arguments.of(List.of("--rate", "NaN"), "--rate must be a number of events/s above 0, got NaN"),
                Arguments.of(List.of("--rate", "Infinity"), "--rate must be a number of events/s above 0, got Infinity"),
                Arguments.of(List.of("--rate", "fast"), "Invalid value for option '--rate'"),
                Arguments.of(List.of("--seconds", "0", "--warmup", "0"), "--seconds must be at least 1, got 0"),
                Arguments.of(List.of("--seconds", "-3"), "--seconds must be at least 1, got -3"),
                Arguments.of(List.of("--seconds", "1.5"), "Invalid value for option '--seconds'"),
                Arguments.of(List.of("--seconds"), "Missing required parameter for option '--seconds'"),
                Arguments.of(List.of("--warmup", "-1"), "--warmup must be at least 0 and less than --seconds (30), got -1"),
                Arguments.of(List.of("--warmup", "30"), "--warmup must be at least 0 and less than --seconds (30), got 30"),
                Arguments.of(List.of("--seconds", "10", "--warmup", "12"),
                        "--warmup must be at least 0 and less than --seconds (10), got 12"),
                Arguments.of(List.of("--backlog", "0"), "--backlog must be at least 1, got 0"),
                Arguments.of(List.of("--backlog", "1e5"), "Invalid value for option '--backlog'"),
                Arguments.of(List.of("--rounds", "0"), "--rounds must be at least 1, got 0"),
                Arguments.of(List.of("--warmup-rounds", "-1"), "--warmup-rounds must be at least 0, got -1"),
                Arguments.of(List.of("--warmup-max", "-1"), "--warmup-max must be at least 0, got -1"),
                Arguments.of(List.of("--warmup-backlog", "0"), "--warmup-backlog must be at least 1, got 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCommandLines")
    void aBadCommandLineIsOneLineNamingTheOptionAndExitTwoBeforeAnythingRuns(List<String> args, String says) {
        Run run = Run.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.settings()).as("the benchmark must not start").isNull();
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().toList()).singleElement().satisfies(line -> {
            assertThat(line).startsWith("error: " + says).endsWith("(see 'StreamBench --help')");
        });
    }

    @Test
    void settingsKafkaTakesPassAndKeysNoClientKnowsAreLeftToIt() {
        Run run = Run.of("--kafka", "producer.batch.size=65536", "--kafka", "topic.segment.bytes=1048576",
                "--kafka", "my.own.key=anything", "--consumer", "fetch.max.wait.ms=20",
                "--consumer", "receive.buffer.bytes=65536");
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
    }

    /** --json and --trace that could not be written failed after the run, --trace losing its results: refused. */
    @Test
    void outputsThatCannotBeWrittenAreRefusedBeforeAnythingRuns(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("hostname"), "a file\n");
        for (List<String> args : List.of(List.of("--trace", file.toString()),
                List.of("--json", dir.toString()),
                List.of("--json", file.resolve("x.json").toString()),
                List.of("--trace", file.resolve("traces").toString()))) {
            Run run = Run.of(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(args.toString()).isEqualTo(2);
            assertThat(run.settings()).as(args.toString()).isNull();
            assertThat(run.err().lines().toList()).as(args.toString()).singleElement().asString()
                    .startsWith("error: " + args.get(0) + " " + args.get(1) + " ");
        }
        assertThat(Run.of("--trace", file.toString()).err()).contains("is a file, not a directory");
        assertThat(Run.of("--json", dir.toString()).err()).contains("is a directory, not a file");
        // a directory still to be made is made when written, as the product's outputs
        Run later = Run.of("--json", dir.resolve("results/stream.json").toString(),
                "--trace", dir.resolve("traces").toString());
        assertThat(later.exitCode()).as(later.err()).isZero();
    }

    @Test
    void helpListsEveryOptionWithItsDefaultAndRunsNothing() {
        Run run = Run.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.settings()).isNull();
        List<String> optionLines = run.out().lines().map(String::strip).filter(l -> l.startsWith("-")).toList();
        for (String option : List.of("--rate", "--seconds", "--warmup", "--backlog", "--rounds", "--warmup-rounds",
                "--warmup-max", "--warmup-backlog", "--partitions", "--json", "--trace", "--trace-offsets", "--isolation",
                "--modes", "--profile", "--kafka", "--broker", "--bootstrap-servers", "--config", "--consumer")) {
            assertThat(optionLines).as(option).anyMatch(l -> l.startsWith(option + "=") || l.startsWith(option + " "));
        }
        String flat = run.out().replaceAll("\\s+", ""); // help lines wrap anywhere, even inside the list of modes
        assertThat(flat).contains("Defaultsto20000.", "Defaultsto30.", "Defaultsto5.", "Defaultsto100000.",
                "Defaultsto4.", "Defaultsto10.", "Defaultsto60000.", "Defaultstoread_committed.",
                "Defaultstopassthrough,serde-passthrough,parse,parse-write,scorer,scorer-compact.", "10%ofevery");
    }

    @Test
    void aWarmUpThatEndsWithTheJitStillCompilingIsSaidAndASettledOneIsNot() {
        assertThat(StreamBench.warmupUnsettled(4, 1.007))
                .isEqualTo("[warm-up] WARNING: after 4 passes JIT compiler-thread time was still 101% of a topology's"
                        + " wall time (settled: under 10%); the measured rounds include compilation: raise"
                        + " --warmup-max");
        assertThat(StreamBench.warmupUnsettled(30, 0.10)).contains("after 30 passes").contains("10%");
        assertThat(StreamBench.warmupUnsettled(5, 0.099)).isNull();
        assertThat(StreamBench.warmupUnsettled(0, Double.NaN)).isNull(); // --warmup-max 0: no warm-up, nothing to say
    }

    @Test
    void theJsonHeaderReportsTheSettingsInForceAndMasksSecrets() throws Exception {
        Run run = Run.of("--profile", "low-latency", "--kafka", "num.stream.threads=1",
                "--kafka", "producer.ssl.key.password=kafka-secret", "--consumer", "fetch.max.wait.ms=20",
                "--consumer", "sasl.jaas.config=consumer-secret", "--isolation", "read_uncommitted",
                "--bootstrap-servers", "kafka-1:9092");
        assertThat(run.exitCode()).isZero();
        ObjectNode header = StreamBench.header(run.settings(), 30, 0.1234);
        String text = header.toString();
        assertThat(text).doesNotContain("kafka-secret").doesNotContain("consumer-secret");
        JsonNode json = new ObjectMapper().readTree(text); // valid JSON, whatever the values hold
        assertThat(json.get("profile").asText()).isEqualTo("low-latency");
        assertThat(json.get("isolation").asText()).isEqualTo("read_uncommitted");
        assertThat(json.get("broker").asText()).isEqualTo("kafka-1:9092");
        assertThat(json.get("stream_threads").asInt()).isEqualTo(1);
        assertThat(json.get("warmup_passes").asInt()).isEqualTo(30);
        assertThat(json.get("warmup_last_jit_share").asDouble()).isEqualTo(0.123);
        // the profile's settings for exactly-once under --kafka's, as the scorer runs with them
        assertThat(json.get("kafka").get("commit.interval.ms").asText()).isEqualTo("20");
        assertThat(json.get("kafka").get("num.stream.threads").asText()).isEqualTo("1");
        assertThat(json.get("kafka").get("producer.ssl.key.password").asText()).isEqualTo("[hidden]");
        assertThat(json.get("consumer").get("fetch.max.wait.ms").asText()).isEqualTo("20");
        assertThat(json.get("consumer").get("receive.buffer.bytes").asText()).isEqualTo("-1");
        assertThat(json.get("consumer").get("sasl.jaas.config").asText()).isEqualTo("[hidden]");
        assertThat(StreamBench.header(run.settings(), 0, Double.NaN).get("warmup_last_jit_share").isNull()).isTrue();
    }

    @Test
    void aResultOverAnEmptyWindowIsStillValidJsonWithNullsForWhatWasNotMeasured() throws Exception {
        StreamBench.Result r = new StreamBench.Result("scorer", 10, Double.NaN, List.of(Double.POSITIVE_INFINITY, 5.0),
                1000, Double.NaN, 7, 1.234, 2.345, 3.456, 4.567, 0, 0, 0,
                new CpuAccount.Split(5.0, 2.0, 1.0, 0.3, 1.234567, true, 0.8, 0.5).perEvent(2_000_000), // CPU s, 2 M
                1.111, Double.NaN, 831.25, 4);
        JsonNode again = new ObjectMapper().readTree(r.node().toString()); // strict JSON
        assertThat(again.get("capacity_eps").isNull()).isTrue();
        assertThat(again.get("sustained_eps").isNull()).isTrue();
        assertThat(again.get("capacity_rounds_eps").get(0).isNull()).isTrue();
        assertThat(again.get("capacity_rounds_eps").get(1).asDouble()).isEqualTo(5.0);
        JsonNode cpu = again.get("capacity_cpu_per_event");
        assertThat(cpu.get("process_us").asDouble()).isEqualTo(2.5);
        assertThat(cpu.get("app_us").asDouble()).isEqualTo(1.0);
        assertThat(cpu.get("broker_us").asDouble()).as("µs per event, two decimals").isEqualTo(0.62);
        assertThat(cpu.get("load_us").asDouble()).isEqualTo(0.5);
        assertThat(cpu.get("other_topologies_us").asDouble()).isEqualTo(0.15);
        assertThat(cpu.get("other_threads_us").isNull()).as("in broker_us with the embedded broker").isTrue();
        assertThat(cpu.get("jit_gc_other_us").asDouble()).isEqualTo(0.4);
        assertThat(cpu.get("jit_us").asDouble()).isEqualTo(0.25);
        assertThat(again.get("p50_ms").asDouble()).isEqualTo(1.23); // two decimals, as before
        assertThat(again.get("p99_from_send_ms").asDouble()).isEqualTo(1.11);
        assertThat(again.get("send_lag_p99_ms").isNull()).isTrue();
        assertThat(again.get("send_lag_max_ms").asDouble()).isEqualTo(831.25);
        assertThat(again.get("missing_in_window").asLong()).isEqualTo(4);
        assertThat(again.get("p999_ms").asDouble()).isEqualTo(3.46);
        assertThat(again.get("latency_samples").asLong()).isEqualTo(7);
        assertThat(again.get("offered_eps").asDouble()).isEqualTo(1000.0);
        assertThat(again.get("mode").asText()).isEqualTo("scorer");
    }

    @Test
    void theEmbeddedBrokersSettingsAreReportedMaskedAndConfigValuesNever(@TempDir Path dir) throws Exception {
        ObjectNode embedded = StreamBench.header(Run.of("--broker", "ssl.keystore.password=broker-secret",
                "--broker", "num.network.threads=2").settings(), 0, Double.NaN);
        assertThat(embedded.toString()).doesNotContain("broker-secret").contains("num.network.threads=2")
                .contains("ssl.keystore.password=[hidden]");
        Path config = Files.writeString(dir.resolve("client.properties"),
                "security.protocol=SASL_SSL\nsasl.jaas.config=config-secret\nssl.truststore.location=/secret/path\n");
        Run given = Run.of("--bootstrap-servers", "kafka-1:9092", "--config", config.toString());
        assertThat(given.exitCode()).as(given.err()).isZero();
        assertThat(StreamBench.header(given.settings(), 0, Double.NaN).toString()).doesNotContain("config-secret")
                .doesNotContain("/secret/path").doesNotContain("SASL_SSL");
    }
}
