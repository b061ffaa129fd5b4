package org.fraudscorer.scorer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ClientSettingsTest {

    private static Properties user(String... pairs) {
        Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.put(pairs[i], pairs[i + 1]);
        }
        return p;
    }

    @Test
    void theAdminClientGetsTheSettingsItDefinesAndNoProducerOrConsumerOnes() {
        Properties admin = ClientSettings.forAdmin(user("bootstrap.servers", "k:9093", "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", "x", "ssl.truststore.location", "/t.jks",
                "client.id", "publisher", "request.timeout.ms", "20000", "receive.buffer.bytes", "-1",
                "retry.backoff.ms", "50", "acks", "all", "linger.ms", "5", "key.serializer", "k",
                "isolation.level", "read_committed", "processing.guarantee", "exactly_once_v2"));
        assertThat(admin).containsOnlyKeys("bootstrap.servers", "security.protocol", "sasl.mechanism",
                "sasl.jaas.config", "ssl.truststore.location", "client.id", "request.timeout.ms",
                "receive.buffer.bytes", "retry.backoff.ms");
        assertThat(admin).containsEntry("client.id", "publisher").containsEntry("sasl.jaas.config", "x");
    }

    @Test
    void theUsersValueBeatsAProductDefault() {
        Properties p = ClientSettings.of(user("linger.ms", "0", "bootstrap.servers", "k:9092"),
                Map.of("linger.ms", "20", "compression.type", "lz4"), ClientSettings.ACKS_ALL);
        assertThat(p).containsEntry("linger.ms", "0").containsEntry("compression.type", "lz4")
                .containsEntry("bootstrap.servers", "k:9092").containsEntry("acks", "all");
    }

    @Test
    void aNeededValueIsSetAndTheSameValueSpelledOtherwiseIsAccepted() {
        assertThat(ClientSettings.of(user(), Map.of(), ClientSettings.ACKS_ALL, ClientSettings.IDEMPOTENT))
                .containsEntry("acks", "all").containsEntry("enable.idempotence", "true");
        assertThat(ClientSettings.of(user("acks", "-1", "enable.idempotence", "TRUE",
                "isolation.level", "READ_COMMITTED"), Map.of(), ClientSettings.ACKS_ALL, ClientSettings.IDEMPOTENT,
                ClientSettings.READ_COMMITTED)).containsEntry("acks", "all");
    }

    @Test
    void aUserValueContradictingANeededOneIsRefusedNamingBoth() {
        assertThatThrownBy(() -> ClientSettings.of(user("acks", "1"), Map.of(), ClientSettings.ACKS_ALL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("acks=1 (from -p or the properties file) cannot be used here: this command needs acks=all (an "
                        + "event counts as sent only once every in-sync replica has it)");
        assertThatThrownBy(() -> ClientSettings.of(user("isolation.level", "read_uncommitted"), Map.of(),
                ClientSettings.READ_COMMITTED)).hasMessageStartingWith("isolation.level=read_uncommitted");
    }

    @Test
    void theConsumerDefaultsFillOnlyWhatTheUserLeftOpen() {
        assertThat(ClientSettings.withConsumerDefaults(user("bootstrap.servers", "k:9092")))
                .containsEntry("receive.buffer.bytes", "-1").containsEntry("bootstrap.servers", "k:9092")
                .as("reading never creates a topic").containsEntry("allow.auto.create.topics", "false");
        assertThat(ClientSettings.withConsumerDefaults(user("receive.buffer.bytes", "65536")))
                .containsEntry("receive.buffer.bytes", "65536");
        assertThat(ClientSettings.withConsumerDefaults(user("allow.auto.create.topics", "true")))
                .containsEntry("allow.auto.create.topics", "true");
    }
}
