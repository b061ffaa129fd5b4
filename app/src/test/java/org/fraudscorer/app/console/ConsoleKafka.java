package org.fraudscorer.app.console;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.common.model.ThresholdInfo;
import org.fraudscorer.scorer.app.ScorerApp;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.serde.TransactionJson;
import org.fraudscorer.scorer.testing.TestBroker;

/** The real-broker side of the console's tests: fresh topics, a running scorer that flags every event, records. */
final class ConsoleKafka {
    private ConsoleKafka() {
    }

    /** Fresh topics for one test, all created and writable. */
    static Topics topics(TestBroker broker, String prefix) {
        String p = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Topics t = new Topics(p + ".in", p + ".flagged", p + ".clean", p + ".dlq", p + ".models", p + ".labels");
        for (String name : List.of(t.input(), t.flagged(), t.clean(), t.deadLetter(), t.labels())) {
            broker.createTopic(name, 2);
        }
        broker.createTopic(t.models(), 1, Map.of("cleanup.policy", "compact"));
        return t;
    }

    /** A creditcard model whose threshold is so low that it flags every plausible event. */
    static ModelBundle flagEverything() {
        ModelBundle b = ModelFixtures.bundle(11);
        return new ModelBundle("console-it-v1", b.createdAt(), b.schema(), b.preprocessing(), b.network(),
                new ThresholdInfo(1e-12, "flag-everything"), b.seed(), b.metrics(), b.hyperparameters(),
                b.provenance(), null).sealed();
    }

    /** The real scorer (exactly-once) on these topics, with its /metrics on a free loopback port; running on return. */
    static ScorerApp scorer(TestBroker broker, Topics topics, Path dir) throws Exception {
        Properties kafka = connection(broker);
        kafka.put("application.id", topics.input() + "-scorer");
        kafka.put("state.dir", Files.createDirectories(dir.resolve("state")).toString());
        ScorerApp app = ScorerApp.start(new ScorerConfig(topics, kafka, 16_384, 2), flagEverything(),
                new ScorerApp.Options("127.0.0.1", 0, 0));
        if (!app.awaitRunning(Duration.ofSeconds(90))) {
            app.close();
            throw new AssertionError("the scorer did not reach RUNNING");
        }
        return app;
    }

    static URI metricsUrl(ScorerApp app) {
        return URI.create("http://127.0.0.1:" + app.metricsPort() + "/metrics");
    }

    static Properties connection(TestBroker broker) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        return p;
    }

    /** Sends creditcard events with these ids (made-up rows, as producers write them) to the input topic. */
    static void produceEvents(TestBroker broker, String topic, List<String> ids) {
        double[][] rows = ModelFixtures.transactions(ids.size(), 5);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(connection(broker), new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < ids.size(); i++) {
                p.send(new ProducerRecord<>(topic, ids.get(i), TransactionJson.write(FeatureSchema.CREDITCARD, ids.get(i),
                        rows[i], null)));
            }
            p.flush();
        }
    }

    /** Sends one record value as is. */
    static void produceValue(TestBroker broker, String topic, byte[] value) {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(connection(broker), new StringSerializer(),
                new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(topic, "x", value));
            p.flush();
        }
    }

    /** Sends one record value as is to one partition. */
    static void produceValue(TestBroker broker, String topic, int partition, byte[] value) {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(connection(broker), new StringSerializer(),
                new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(topic, partition, "x", value));
            p.flush();
        }
    }

    /** Every committed record of the topic, read from the start for {@code quiet} after the last one arrived. */
    static List<ConsumerRecord<String, byte[]>> readAll(TestBroker broker, String topic, Duration quiet) {
        Properties c = connection(broker);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long until = System.nanoTime() + quiet.toNanos();
            while (System.nanoTime() < until) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r);
                    until = System.nanoTime() + quiet.toNanos();
                }
            }
        }
        return out;
    }

    static void await(Duration limit, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
