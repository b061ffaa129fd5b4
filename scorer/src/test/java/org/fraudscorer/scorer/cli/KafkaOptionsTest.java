package org.fraudscorer.scorer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the bootstrap servers come from: the option, else the file or -p, else the environment, else localhost. */
class KafkaOptionsTest {
    @TempDir
    Path dir;

    @Test
    void theEnvironmentNeverReplacesTheServersAPropertiesFileNames() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nbootstrap.servers=secure:9093\n");
        assertThat(KafkaOptions.resolve(file, Map.of(), null, "plain:9092"))
                .containsEntry("bootstrap.servers", "secure:9093");
        assertThat(KafkaOptions.resolve(null, Map.of("bootstrap.servers", "pair:9093"), null, "plain:9092"))
                .containsEntry("bootstrap.servers", "pair:9093");
        assertThat(KafkaOptions.resolve(null, Map.of(), null, "plain:9092"))
                .containsEntry("bootstrap.servers", "plain:9092");
        assertThat(KafkaOptions.resolve(null, Map.of(), null, null)).containsEntry("bootstrap.servers", "localhost:9092");
    }

    @Test
    void theOptionWinsEvenWhenItNamesTheDefaultServer() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "bootstrap.servers=file:9092\n");
        assertThat(KafkaOptions.resolve(file, Map.of(), "localhost:9092", "env:9092"))
                .containsEntry("bootstrap.servers", "localhost:9092");
        assertThat(KafkaOptions.resolve(file, Map.of("bootstrap.servers", "pair:9092"), "flag:9092", null))
                .containsEntry("bootstrap.servers", "flag:9092");
    }

    /**
     * Settings a Kafka client would reject are told as a bad command line; settings a bank's cluster needs pass: the
     * check must not refuse what works (SASL, TLS, IPv6 servers, Streams and client tuning, keys no client knows).
     */
    @Test
    void settingsAClientRejectsAreNamedAndWorkingOnesPass() {
        java.util.Properties ok = new java.util.Properties();
        ok.putAll(Map.of("bootstrap.servers", "broker-1.bank:9093, [::1]:9094,10.0.0.7:9092",
                "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"u\" password=\"p\";",
                "ssl.truststore.type", "PEM", "num.stream.threads", "2", "linger.ms", "5",
                "producer.compression.type", "lz4", "my.own.key", "anything"));
        assertThat(KafkaOptions.problem(ok, "--config, -p")).isNull();
        // values a config provider resolves in the client, and a key two clients define differently (a review found
        // both refused by the first version of this check)
        java.util.Properties resolvedLater = new java.util.Properties();
        resolvedLater.putAll(Map.of("config.providers", "file,env", "bootstrap.servers", "${file:/etc/k.properties:b}",
                "linger.ms", "${env:LINGER}", "security.protocol", "${env:PROTO}"));
        assertThat(KafkaOptions.problem(resolvedLater, "--config, -p")).isNull();
        for (String protocol : java.util.List.of("streams", "consumer", "classic")) {
            java.util.Properties group = new java.util.Properties();
            group.putAll(Map.of("bootstrap.servers", "b:9092", "group.protocol", protocol));
            assertThat(KafkaOptions.problem(group, "--config, -p")).as(protocol).isNull();
        }
        for (String servers : java.util.List.of("localhost", "localhost:99999", "b:9092,", "b:9092,,c:9092")) {
            java.util.Properties p = new java.util.Properties();
            p.putAll(ok);
            p.put("bootstrap.servers", servers);
            assertThat(KafkaOptions.problem(p, "--config, -p")).as(servers).startsWith("bootstrap servers '" + servers
                    + "' (-b, --config, -p or $KAFKA_BOOTSTRAP_SERVERS) must be a comma-separated list of host:port");
        }
        assertThat(KafkaOptions.badServer("a:1,localhost:99999")).isEqualTo("localhost:99999");
        assertThat(KafkaOptions.badServer("a:1,")).isEmpty();
        assertThat(KafkaOptions.badServer("a:65535,[::1]:0")).isNull();
        for (Map.Entry<String, String> bad : Map.of("bootstrap.servers", "localhost",
                "linger.ms", "abc", "transactional.id", "", "processing.guarantee", "none",
                "security.protocol", "TLS").entrySet()) {
            java.util.Properties p = new java.util.Properties();
            p.putAll(ok);
            p.put(bad.getKey(), bad.getValue());
            assertThat(KafkaOptions.problem(p, "--config, -p")).as(bad.toString()).contains(bad.getKey()
                    .equals("bootstrap.servers") ? "(-b, --config, -p or $KAFKA_BOOTSTRAP_SERVERS) must be a "
                    + "comma-separated list of host:port" : "Kafka setting " + bad.getKey() + " (--config or -p): ");
        }
        // retrain reads its settings under --kafka-config (its --config is the training's), the demo's are -p alone
        java.util.Properties linger = new java.util.Properties();
        linger.putAll(Map.of("bootstrap.servers", "b:9092", "linger.ms", "abc"));
        assertThat(KafkaOptions.problem(linger, "--kafka-config, -p")).startsWith("Kafka setting linger.ms "
                + "(--kafka-config or -p): ");
        assertThat(KafkaOptions.problem(linger, "-p")).startsWith("Kafka setting linger.ms (-p): ");
    }
}
