package org.fraudscorer.scorer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.fraudscorer.scorer.app.TopicSetup;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code --create-topics} on a real broker: the model topic is compacted and takes a model file of several MiB. */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(120)
class TopicSetupIT {

    @Test
    void theModelTopicIsCompactedAndTakesLargeModelFiles(TestBroker broker) throws Exception {
        Topics topics = ItKafka.topics("setup");
        Properties client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());

        TopicSetup.ensure(client, topics, 2);

        try (Admin admin = Admin.create(client)) {
            ConfigResource models = new ConfigResource(ConfigResource.Type.TOPIC, topics.models());
            Config c = admin.describeConfigs(List.of(models)).all().get(30, TimeUnit.SECONDS).get(models);
            assertThat(c.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(Long.parseLong(c.get("max.message.bytes").value())).isEqualTo((64L + 1) * 1024 * 1024);
        }
        // A 3 MiB record (well over the broker's 1 MiB default) is accepted
        try (KafkaProducer<String, byte[]> producer = ItKafka.producer(broker,
                Map.of("max.request.size", 4 * 1024 * 1024))) {
            producer.send(new ProducerRecord<>(topics.models(), "default", new byte[3 * 1024 * 1024])).get(30,
                    TimeUnit.SECONDS);
        }
    }
}
