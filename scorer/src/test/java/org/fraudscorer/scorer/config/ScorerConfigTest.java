package org.fraudscorer.scorer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.fraudscorer.scorer.cli.KafkaOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class ScorerConfigTest {
    @TempDir
    Path dir;

    private static ScorerConfig config(Properties p) {
        return new ScorerConfig(Topics.defaults(), p, 16_384, 3);
    }

    @Test
    void shouldDefaultToExactlyOnceAndLetEveryPropertyThrough() {
        Properties p = new Properties();
        p.put("bootstrap.servers", "b:9092");
        Properties s = config(p).streamsProperties();
        assertThat(s.getProperty("processing.guarantee")).isEqualTo("exactly_once_v2");
        assertThat(s.getProperty("application.id")).isEqualTo("fraud-scorer");
        assertThat(s.getProperty("producer.batch.size")).isEqualTo("262144");
        assertThat(Long.parseLong(s.getProperty("producer.buffer.memory")))
                .as("room for 256 open batches").isEqualTo(256L * 262144);
        assertThat(s.getProperty("num.stream.threads")).as("one stream thread per available core")
                .isEqualTo(Integer.toString(Runtime.getRuntime().availableProcessors()));
        p.put("processing.guarantee", "at_least_once");
        p.put("producer.batch.size", "65536");
        p.put("num.stream.threads", "4");
        p.put("security.protocol", "SASL_SSL");
        s = config(p).streamsProperties();
        assertThat(s.getProperty("processing.guarantee")).isEqualTo("at_least_once");
        assertThat(s.getProperty("num.stream.threads")).isEqualTo("4");
        assertThat(s.getProperty("producer.batch.size")).as("the user's value wins").isEqualTo("65536");
        assertThat(s.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        Properties client = config(p).clientProperties();
        assertThat(client).containsEntry("security.protocol", "SASL_SSL").containsEntry("bootstrap.servers", "b:9092")
                .doesNotContainKey("num.stream.threads").doesNotContainKey("processing.guarantee");
    }

    @Test
    void connectionKeysAreHowAClientReachesAndAuthenticatesNothingElse() {
        assertThat(List.of("security.protocol", "ssl.truststore.location", "sasl.jaas.config", "client.dns.lookup"))
                .allMatch(ScorerConfig::isConnectionKey);
        assertThat(List.of("bootstrap.servers", "linger.ms", "request.timeout.ms", "receive.buffer.bytes",
                "producer.security.protocol", "application.id", "client.id")).noneMatch(ScorerConfig::isConnectionKey);
    }

    /**
     * Each stream thread's partition assignor reads a StreamsConfig built from the main consumer's settings alone; it
     * must see the global processing-exception handler as the scorer set it, or it warns at every start that the
     * handler is not enabled for the GlobalThread.
     */
    @Test
    void thePartitionAssignorSeesTheGlobalExceptionHandlerAsSet() {
        Properties p = new Properties();
        p.put("bootstrap.servers", "b:9092");
        String key = org.apache.kafka.streams.StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG;
        assertThat(assignorView(p).getBoolean(key)).isTrue();
        p.put(key, "false");
        assertThat(assignorView(p).getBoolean(key)).as("a scorer that disabled it still hears the warning").isFalse();
    }

    /**
     * The stream threads' consumers (main, restore, global) leave the socket receive buffer to the operating system
     * instead of Kafka's fixed 64 KiB, under which a fetch response that fills the buffer waited for a 200 ms
     * retransmission (docs/latency.md); a user's value, plain or prefixed, wins.
     */
    @Test
    void theStreamThreadsConsumersLeaveTheReceiveBufferToTheOperatingSystem() {
        Properties p = new Properties();
        p.put("bootstrap.servers", "b:9092");
        org.apache.kafka.streams.StreamsConfig c = new org.apache.kafka.streams.StreamsConfig(
                config(p).streamsProperties());
        assertThat(c.getMainConsumerConfigs("g", "c", 0)).containsEntry("receive.buffer.bytes", "-1");
        assertThat(c.getRestoreConsumerConfigs("c")).containsEntry("receive.buffer.bytes", "-1");
        assertThat(c.getGlobalConsumerConfigs("c")).containsEntry("receive.buffer.bytes", "-1");
        java.util.Map<String, Object> main = new java.util.HashMap<>(c.getMainConsumerConfigs("g", "c", 0));
        main.put("key.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        main.put("value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        assertThat(new org.apache.kafka.clients.consumer.ConsumerConfig(main).getInt("receive.buffer.bytes"))
                .as("a value Kafka's consumer accepts").isEqualTo(-1);
        p.put("receive.buffer.bytes", "131072");
        c = new org.apache.kafka.streams.StreamsConfig(config(p).streamsProperties());
        assertThat(c.getMainConsumerConfigs("g", "c", 0)).containsEntry("receive.buffer.bytes", "131072");
        assertThat(config(p).clientProperties()).as("the model watcher's and the commands' clients get it too")
                .containsEntry("receive.buffer.bytes", "131072");
        p.remove("receive.buffer.bytes");
        p.put("main.consumer.receive.buffer.bytes", "262144");
        c = new org.apache.kafka.streams.StreamsConfig(config(p).streamsProperties());
        assertThat(c.getMainConsumerConfigs("g", "c", 0)).containsEntry("receive.buffer.bytes", "262144");
        assertThat(c.getRestoreConsumerConfigs("c")).containsEntry("receive.buffer.bytes", "-1");
    }

    private static org.apache.kafka.streams.StreamsConfig assignorView(Properties p) {
        org.apache.kafka.streams.StreamsConfig c = new org.apache.kafka.streams.StreamsConfig(
                config(p).streamsProperties());
        return new org.apache.kafka.streams.StreamsConfig(c.getMainConsumerConfigs("g", "c", 0));
    }

    /**
     * The settings the stream threads' clients get from a scorer configured with {@code p}, as Kafka Streams itself
     * resolves them: the main consumer's auto.offset.reset and the producer's compression, linger and batch size.
     */
    private static java.util.Map<String, String> effective(Properties p) {
        org.apache.kafka.streams.StreamsConfig c = new org.apache.kafka.streams.StreamsConfig(
                config(p).streamsProperties());
        var producer = c.getProducerConfigs("c");
        return java.util.Map.of(
                "auto.offset.reset", String.valueOf(c.getMainConsumerConfigs("g", "c", 0).get("auto.offset.reset")),
                "compression.type", String.valueOf(producer.get("compression.type")),
                "linger.ms", String.valueOf(producer.get("linger.ms")),
                "batch.size", String.valueOf(producer.get("batch.size")));
    }

    /**
     * Under exactly-once the stream threads' producer waits 10 minutes for the broker: with Kafka's
     * 60 s {@code max.block.ms} a commit caught by a longer outage gave up with its request still queued, Kafka
     * Streams re-read the committed offsets and the queued commit landed later, so records came out twice
     * (BrokerOutageIT). At-least-once keeps Kafka's default; a user's setting still wins.
     */
    @Test
    void underExactlyOnceTheStreamProducerWaitsOutABrokerOutage() {
        Properties p = new Properties();
        p.put("bootstrap.servers", "b:9092");
        assertThat(Long.parseLong(String.valueOf(streamProducer(p).get("max.block.ms"))))
                .as("max.block.ms, exactly-once").isEqualTo(600_000);

        p.put("processing.guarantee", "at_least_once");
        assertThat(streamProducer(p)).as("at-least-once: Kafka's default").doesNotContainKey("max.block.ms");

        p.remove("processing.guarantee");
        p.put("max.block.ms", "120000");
        assertThat(streamProducer(p)).as("the user's plain setting wins").containsEntry("max.block.ms", "120000");
    }

    /** The stream threads' producer settings, as Kafka Streams resolves them from a scorer configured with p. */
    private static java.util.Map<String, Object> streamProducer(Properties p) {
        return new org.apache.kafka.streams.StreamsConfig(config(p).streamsProperties()).getProducerConfigs("c");
    }

    /**
     * Kafka Streams ranks a prefixed setting ({@code producer.linger.ms}) above the plain one ({@code linger.ms}): the
     * product's prefixed defaults must give way to the user's plain settings, as Kafka Streams itself resolves them
     * for the stream threads' consumer and producer.
     */
    @Test
    void aPlainSettingOfTheUserBeatsTheProductsPrefixedDefault() {
        Properties p = new Properties();
        p.put("bootstrap.servers", "b:9092");
        assertThat(effective(p)).containsEntry("auto.offset.reset", "earliest").containsEntry("compression.type", "lz4")
                .containsEntry("linger.ms", "100");

        p.put("auto.offset.reset", "latest");
        p.put("compression.type", "zstd");
        p.put("linger.ms", "0");
        assertThat(effective(p)).containsEntry("auto.offset.reset", "latest").containsEntry("compression.type", "zstd")
                .containsEntry("linger.ms", "0").as("other defaults stay").containsEntry("batch.size", "262144");

        // the scorer command layers its --profile the same way under the user's settings
        Properties profile = LatencyProfile.of("low-latency").properties("exactly_once_v2");
        assertThat(ScorerConfig.layered(profile, p)).doesNotContainKey("producer.linger.ms")
                .containsEntry("linger.ms", "0").containsEntry("commit.interval.ms", "20");
    }

    @Test
    void shouldRefuseAConfigWithoutBootstrapServers() {
        assertThatThrownBy(() -> config(new Properties()).streamsProperties())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bootstrap.servers");
    }

    @Test
    void shouldNeverPrintSecretValues() {
        Properties p = new Properties();
        p.put("sasl.jaas.config", "ScramLoginModule required username=\"u\" password=\"hunter2\";");
        p.put("ssl.truststore.password", "hunter3");
        p.put("ssl.keystore.key", "-----BEGIN PRIVATE KEY-----");
        p.put("bootstrap.servers", "b:9092");
        // declared as passwords by Kafka, whatever their names say (with a client prefix too)
        p.put("producer.ssl.keystore.certificate.chain", "-----BEGIN CERTIFICATE----- chain");
        p.put("ssl.truststore.certificates", "-----BEGIN CERTIFICATE----- trusted");
        p.put("sasl.oauthbearer.assertion.private.key.passphrase", "hunter4");
        String shown = ScorerConfig.describe(p);
        assertThat(shown).doesNotContain("hunter2").doesNotContain("hunter3").doesNotContain("PRIVATE KEY")
                .doesNotContain("hunter4").doesNotContain("CERTIFICATE")
                .contains("sasl.jaas.config=[hidden]").contains("bootstrap.servers=b:9092")
                .contains("producer.ssl.keystore.certificate.chain=[hidden]");
    }

    /**
     * Each {@code withX} copies every other component unchanged: the withers pass all of them by position, where two
     * booleans (and two longs) side by side would compile transposed.
     */
    @Test
    void eachWitherChangesItsOwnOptionOnly() {
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", "b:9092");
        ScorerConfig base = new ScorerConfig(Topics.defaults(), kafka, 1_000, 2, 3, 4);
        assertThat(base.withCompactClean(true)).isEqualTo(new ScorerConfig(Topics.defaults(), kafka, 1_000, 2, 3, 4,
                true, false, ScorerConfig.DEFAULT_DUPLICATE_WINDOW_MS));
        assertThat(base.withInputKeyedByCard(true)).isEqualTo(new ScorerConfig(Topics.defaults(), kafka, 1_000, 2, 3,
                4, false, true, ScorerConfig.DEFAULT_DUPLICATE_WINDOW_MS));
        assertThat(base.withDuplicateWindowMs(5)).isEqualTo(new ScorerConfig(Topics.defaults(), kafka, 1_000, 2, 3, 4,
                false, false, 5));
        assertThat(base.withCompactClean(true).withInputKeyedByCard(true).withDuplicateWindowMs(5)).isEqualTo(
                new ScorerConfig(Topics.defaults(), kafka, 1_000, 2, 3, 4, true, true, 5));
    }

    @Test
    void shouldRefuseCollidingOrInvalidTopicNames() {
        assertThatThrownBy(() -> new Topics("a", "a", "c", "d", "e")).hasMessageContaining("must all differ");
        assertThatThrownBy(() -> new Topics("a b", "b", "c", "d", "e")).hasMessageContaining("invalid topic name");
        assertThatThrownBy(() -> new Topics("a", "b", "c", "d", "e", "f", "f"))
                .hasMessageContaining("must all differ");
        assertThatThrownBy(() -> new Topics("a", null, "c", "d", "e"))
                .hasMessageContaining("invalid topic name 'null'");
    }

    /** {@link Topics#all()} is what the constructor checks and topic setup creates: it must leave no topic out. */
    @Test
    void everyTopicIsInAllOnceAndTheOutputsAreAmongThem() throws Exception {
        Topics t = new Topics("in", "f", "c", "d", "m", "l", "s");
        java.util.List<String> components = new java.util.ArrayList<>();
        for (java.lang.reflect.RecordComponent c : Topics.class.getRecordComponents()) {
            components.add((String) c.getAccessor().invoke(t));
        }
        assertThat(t.all()).containsExactlyElementsOf(components);
        assertThat(t.outputs()).containsExactly("f", "c", "d");
        assertThat(Topics.defaults().all()).containsExactly(Topics.DEFAULT_INPUT, Topics.DEFAULT_FLAGGED,
                Topics.DEFAULT_CLEAN, Topics.DEFAULT_DLQ, Topics.DEFAULT_MODELS, Topics.DEFAULT_LABELS,
                Topics.DEFAULT_SHADOW);
    }

    @Command(name = "t")
    static final class Probe implements Runnable {
        @Mixin
        KafkaOptions kafka;
        @Mixin
        org.fraudscorer.scorer.cli.TopicOptions topics;

        @Override
        public void run() {
        }
    }

    @Test
    void commandLinePropertiesWinOverTheFileAndBootstrapFlagWinsOverBoth() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SSL\nlinger.ms=5\nbootstrap.servers=file:9092\n");
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs("--config", file.toString(), "-p", "linger.ms=20");
        Properties p = probe.kafka.kafka();
        assertThat(p).containsEntry("security.protocol", "SSL").containsEntry("linger.ms", "20")
                .containsEntry("bootstrap.servers", "file:9092");
        Probe explicit = new Probe();
        new CommandLine(explicit).parseArgs("--config", file.toString(), "--bootstrap-servers", "flag:9092");
        assertThat(explicit.kafka.kafka()).containsEntry("bootstrap.servers", "flag:9092");
        assertThat(explicit.topics.topics()).isEqualTo(Topics.defaults());
    }
}
