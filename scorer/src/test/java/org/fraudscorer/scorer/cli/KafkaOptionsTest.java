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
}
