package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fraudscorer.scorer.serde.RawEventJson;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.events.TransactionSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** What retrain reads back from the topics: the payments the scorer stored, with the labels it stored. */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(120)
class TopicHistoryIT {

    /**
     * A backfill sends history with each payment's label in its headers, not on the labels topic; the scorer's
     * terminal store takes those labels. Retrain must too: it read them as genuine, so a challenger trained after a
     * backfill learnt the history's frauds as genuine payments.
     */
    @Test
    void labelsCarriedByBackfilledHistoryAreReadAsTheScorerStoredThem(TestBroker broker) throws Exception {
        RawEvents all = TransactionSimulator.simulate(new TransactionSimulator.Config(200, 400, 20,
                LocalDate.of(2018, 4, 1), 5, 3)).events();
        int half = all.size() / 2;
        RawEvents history = all.subset(IntStream.range(0, half).toArray(), "history");
        RawEvents live = all.subset(IntStream.range(half, all.size()).toArray(), "live");
        assertThat(history.frauds()).isPositive();
        String p = "history-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopic(p + ".in", 2);
        broker.createTopic(p + ".labels", 2);
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka, new StringSerializer(),
                new ByteArraySerializer())) {
            RawEventReplay.of(history, p + ".in").asHistory().send(producer, new AtomicBoolean(true), new AtomicLong());
            RawEventReplay.of(live, p + ".in").send(producer, new AtomicBoolean(true), new AtomicLong());
            for (int i = 0; i < live.size(); i++) { // the live payments' labels, on the labels topic
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(p + ".labels",
                        Long.toString(live.terminal(i)), RawEventJson.label(live.id(i), live.time(i), live.terminal(i),
                                live.label(i) == 1)));
            }
        }

        TopicHistory.Read read = TopicHistory.read(kafka, p + ".in", p + ".labels",
                new org.fraudscorer.trainer.events.EventPeriod(null, null), Duration.ofSeconds(30));

        Map<Long, Integer> expected = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            expected.put(all.id(i), all.label(i));
        }
        RawEvents back = read.events();
        assertThat(back.size()).isEqualTo(all.size());
        Map<Long, Integer> got = new HashMap<>();
        for (int i = 0; i < back.size(); i++) {
            got.put(back.id(i), back.label(i));
        }
        assertThat(got).isEqualTo(expected);
        assertThat(back.frauds()).isEqualTo(all.frauds());
    }
}
