package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.fraudscorer.app.console.AnalystConsole;
import org.fraudscorer.app.console.ConsoleConfig;
import org.fraudscorer.app.console.LabelWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The Kafka client settings of produce, backfill and the console: the user's {@code -p} beats the product's tuning,
 * and a {@code -p} that would break the command's promise is a usage error before anything connects.
 */
class ClientSettingsCliTest {

    @Test
    void produceAndBackfillTakeTheUsersTuningAndKeepTheirDeliveryGuarantee() throws Exception {
        ProduceCommand produce = new ProduceCommand();
        new CommandLine(produce).parseArgs("--data", "events.csv", "-p", "linger.ms=0", "-p", "acks=-1",
                "-p", "compression.type=zstd");
        assertThat(produce.producerProperties()).containsEntry("linger.ms", "0").containsEntry("compression.type", "zstd")
                .containsEntry("acks", "all").containsEntry("enable.idempotence", "true");
        ProduceCommand plain = new ProduceCommand();
        new CommandLine(plain).parseArgs("--data", "events.csv");
        assertThat(plain.producerProperties()).containsEntry("linger.ms", "5").containsEntry("max.block.ms", "15000");

        BackfillCommand backfill = new BackfillCommand();
        new CommandLine(backfill).parseArgs("--data", "history.csv", "-p", "batch.size=16384");
        Properties b = backfill.producerProperties();
        assertThat(b).containsEntry("batch.size", "16384").containsEntry("linger.ms", "20")
                .containsEntry("compression.type", "lz4").containsEntry("acks", "all")
                .containsEntry("max.block.ms", "15000");
    }

    @Test
    void aSettingThatBreaksTheCommandsPromiseIsAUsageErrorBeforeAnythingIsRead() {
        for (String[] args : new String[][] {
                {"produce", "--data", "never-read.csv", "-p", "acks=1"},
                {"backfill", "--data", "never-read.csv", "-p", "enable.idempotence=false"},
                {"console", "-p", "isolation.level=read_uncommitted"},
                {"console", "-p", "acks=0"},
                {"retrain", "--dry-run", "-p", "enable.idempotence=false"},
                {"publish", "--model", "never-read.json", "-p", "acks=1"}}) {
            CliRun r = CliRun.of(args);
            assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.errorLines()).startsWith("error: " + args[args.length - 1] + " (from -p or the properties file) "
                    + "cannot be used here: this command needs ").doesNotContain("\n");
        }
    }

    @Test
    void theConsoleTakesTheUsersConsumerAndProducerTuning() {
        Properties user = new Properties();
        user.put("bootstrap.servers", "k:9092");
        user.put("max.poll.records", "50");
        user.put("auto.offset.reset", "latest");
        user.put("delivery.timeout.ms", "60000");
        ConsoleConfig config = new ConsoleConfig(user, "alerts", "labels", "fraud-console", "127.0.0.1", 0, null, null,
                500, java.util.Set.of());
        user.put("group.id", "a-shared-file's-group");
        user.put("request.timeout.ms", "30000");
        assertThat(AnalystConsole.consumerProperties(config)).containsEntry("max.poll.records", "50")
                .containsEntry("auto.offset.reset", "latest").containsEntry("isolation.level", "read_committed")
                .containsEntry("group.id", "fraud-console").containsEntry("bootstrap.servers", "k:9092")
                .as("the operating system's receive buffer unless the user sets one")
                .containsEntry("receive.buffer.bytes", "-1")
                .as("reading never creates the flagged topic").containsEntry("allow.auto.create.topics", "false");
        assertThat(AnalystConsole.labelTailProperties(config)).doesNotContainKey("group.id")
                .as("reading never creates the labels topic").containsEntry("allow.auto.create.topics", "false");
        user.put("receive.buffer.bytes", "131072");
        assertThat(AnalystConsole.consumerProperties(config)).containsEntry("receive.buffer.bytes", "131072");
        user.remove("receive.buffer.bytes");
        assertThat(LabelWriter.producerProperties(user)).containsEntry("delivery.timeout.ms", "60000")
                .containsEntry("max.block.ms", "15000").containsEntry("acks", "all");
        // a larger request timeout raises the delivery timeout Kafka needs above linger + request timeout
        user.remove("delivery.timeout.ms");
        Properties p = LabelWriter.producerProperties(user);
        assertThat(p).containsEntry("request.timeout.ms", "30000").containsEntry("delivery.timeout.ms", "30005");
        // Kafka's own check (made when a producer is built, not by ProducerConfig) accepts it; it refused 25000
        p.put("bootstrap.servers", "127.0.0.1:1"); // never connected: built and closed
        new org.apache.kafka.clients.producer.KafkaProducer<>(withSerializers(p)).close(java.time.Duration.ZERO);
    }

    private static java.util.Map<String, Object> withSerializers(Properties p) {
        java.util.Map<String, Object> m = new java.util.HashMap<>();
        p.forEach((k, v) -> m.put(k.toString(), v));
        m.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class);
        m.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class);
        return m;
    }
}
