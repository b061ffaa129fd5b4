package org.fraudscorer.scorer.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.fraudscorer.devkafka.EmbeddedKafkaBroker;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs against whatever broker {@link KafkaBrokerExtension} provides (here: the embedded one) and checks what the
 * scorer relies on: transactions with read_committed, Kafka Streams exactly_once_v2 on a single node, and
 * clients surviving a broker restart.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(120)
class EmbeddedKafkaBrokerIT {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final TestBroker broker;

    EmbeddedKafkaBrokerIT(TestBroker broker) {
        this.broker = broker;
    }

    @Test
    void readCommittedConsumerSeesOnlyCommittedTransactionalRecords() {
        String topic = unique("tx");
        broker.createTopic(topic, 3);

        Map<String, Object> config = producerConfig();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, unique("tx-producer"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 1000; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "committed-" + i));
            }
            producer.commitTransaction();

            producer.beginTransaction();
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "aborted-" + i));
            }
            producer.flush(); // make sure the aborted records really reach the log before the abort marker
            producer.abortTransaction();
        }

        List<String> committed = readAll(topic, "read_committed");
        assertThat(committed).hasSize(1000).doesNotHaveDuplicates().allMatch(v -> v.startsWith("committed-"));
        // The aborted records are in the log: a read_uncommitted consumer sees them.
        assertThat(readAll(topic, "read_uncommitted")).hasSize(1100);
    }

    @Test
    void streamsExactlyOnceV2PassThroughDeliversEveryRecordOnce(@TempDir Path stateDir) throws Exception {
        String input = unique("eos-in");
        String output = unique("eos-out");
        broker.createTopic(input, 3);
        broker.createTopic(output, 3);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            for (int i = 0; i < 500; i++) {
                producer.send(new ProducerRecord<>(input, "k" + i, "v" + i));
            }
        }

        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream(input).to(output);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, unique("eos-app"));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            List<String> values = readUntil(output, "read_committed", 500);
            assertThat(values).hasSize(500).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 500).mapToObj(i -> "v" + i).toList());
        }
    }

    @Test
    void clientsKeepWorkingAcrossABrokerRestart() throws Exception {
        broker.requireRestart("clientsKeepWorkingAcrossABrokerRestart");
        String topic = unique("restart");
        broker.createTopic(topic, 3);

        Map<String, Object> consumerConfig = consumerConfig("read_committed");
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, unique("restart-group"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig());
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.subscribe(List.of(topic));
            sendAndWait(producer, topic, "before-", 100);
            assertThat(poll(consumer, 100)).hasSize(100).allMatch(v -> v.startsWith("before-"));
            consumer.commitSync();

            long t0 = System.nanoTime();
            broker.restart();
            System.out.printf("broker restart took %d ms%n", (System.nanoTime() - t0) / 1_000_000);

            // The same producer and consumer instances reconnect by themselves.
            sendAndWait(producer, topic, "after-", 100);
            assertThat(poll(consumer, 100)).hasSize(100).allMatch(v -> v.startsWith("after-"));
        }
    }

    @Test
    void persistentDirectoryIsReusedWithoutReformatting(@TempDir Path dir) throws Exception {
        String topic = unique("persist");
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(dir, 0)) {
            KafkaTopics.createAndAwait(first.bootstrapServers(), topic, 2, Map.of());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(first.bootstrapServers()))) {
                sendAndWait(producer, topic, "kept-", 10);
            }
        }
        // A second broker on the same directory (new ports) keeps the data; creating an existing topic is fine.
        EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(dir, 0);
        try {
            KafkaTopics.createAndAwait(second.bootstrapServers(), topic, 2, Map.of());
            assertThat(readAll(second.bootstrapServers(), topic, "read_committed")).hasSize(10);
        } finally {
            second.close();
        }
        second.close(); // idempotent
        assertThat(second.isRunning()).isFalse();
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private Map<String, Object> producerConfig() {
        return producerConfig(broker.bootstrapServers());
    }

    private static Map<String, Object> producerConfig(String bootstrap) {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return c;
    }

    private Map<String, Object> consumerConfig(String isolation) {
        return consumerConfig(broker.bootstrapServers(), isolation);
    }

    private static Map<String, Object> consumerConfig(String bootstrap, String isolation) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return c;
    }

    private static void sendAndWait(KafkaProducer<String, String> producer, String topic, String prefix, int n)
            throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            acks.add(producer.send(new ProducerRecord<>(topic, "k" + i, prefix + i)));
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get(); // surfaces any send error
        }
    }

    private List<String> readAll(String topic, String isolation) {
        return readAll(broker.bootstrapServers(), topic, isolation);
    }

    /**
     * Reads a topic from the beginning up to its end offsets (the last stable offset under read_committed) without
     * a consumer group, so the exact record count can be asserted.
     */
    private static List<String> readAll(String bootstrap, String topic, String isolation) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(bootstrap, isolation))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("reading %s to its end", topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
            return values;
        }
    }

    /**
     * Reads {@code expected} records, then keeps reading until the topic's end so that duplicates would show.
     */
    private List<String> readUntil(String topic, String isolation, int expected) {
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        List<String> values = new ArrayList<>();
        while (values.size() < expected && System.nanoTime() < deadline) {
            values = readAll(topic, isolation);
            if (values.size() < expected) {
                sleep(200);
            }
        }
        return values;
    }

    private static List<String> poll(KafkaConsumer<String, String> consumer, int expected) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (values.size() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                values.add(r.value());
            }
        }
        return values;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
