package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What {@code produce} and {@code backfill} say when a send fails, on a real broker. */
@ExtendWith(KafkaBrokerExtension.class)
class CheckedProducerIT {

    /**
     * Records still in flight when a send fails are counted once answered: the count was made at the failure and
     * called them not written, though the cluster took them (found by a helper session). Here ten small records wait
     * in the producer's batch (a long linger) when an oversized one fails at once; the eleventh send stops the
     * command, and the close that follows delivers the ten.
     */
    @Test
    void recordsInFlightAtTheFirstFailureAreCountedAsWhatTheyBecame(TestBroker broker) throws Exception {
        String topic = "checked-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopic(topic, 1);
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "60000");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "2000");
        byte[] small = "{\"TRANSACTION_ID\":1}".getBytes(StandardCharsets.US_ASCII);
        byte[] large = new byte[4000];
        CheckedProducer producer = new CheckedProducer(p);
        assertThatThrownBy(() -> producer.sendAll(topic, checked -> {
            for (int i = 0; i < 10; i++) {
                checked.send(new ProducerRecord<>(topic, "k" + i, small));
            }
            checked.send(new ProducerRecord<>(topic, "big", large)); // refused by the client at once
            checked.send(new ProducerRecord<>(topic, "k10", small)); // stops: a send failed
            return 12;
        })).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("stopped at the first failed send, the rest was not sent: 1 of 11 records "
                        + "were not written to " + topic + " (10 were): The message is 4")
                .message().doesNotContain("unanswered");
        assertThat(producer.acknowledged(topic)).isEqualTo(10);
        List<ConsumerRecord<byte[], byte[]>> written = new ArrayList<>();
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", broker.bootstrapServers());
        TopicHistory.readToEnd(kafka, topic, written::add);
        assertThat(written).hasSize(10);
    }

    /** Every record written: the sends' result, and no error. */
    @Test
    void allWrittenReturnsWhatTheSendsReturned(TestBroker broker) throws Exception {
        String topic = "checked-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopic(topic, 1);
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        CheckedProducer producer = new CheckedProducer(p);
        long result = producer.sendAll(topic, checked -> {
            for (int i = 0; i < 5; i++) {
                checked.send(new ProducerRecord<>(topic, "k" + i, new byte[] {1}));
            }
            return 5;
        });
        assertThat(result).isEqualTo(5);
        assertThat(producer.acknowledged(topic)).isEqualTo(5);
    }
}
