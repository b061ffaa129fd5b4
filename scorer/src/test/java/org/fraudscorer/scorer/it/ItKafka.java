package org.fraudscorer.scorer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.serde.TransactionParser;
import org.fraudscorer.scorer.testing.TestBroker;

/** Producing events and draining the scorer's output topics, for the real-broker tests. */
final class ItKafka {
    /** How long the outputs must stay unchanged before a drain believes it has seen everything. */
    static final Duration QUIET = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ItKafka() {
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Unique topic names for one test. */
    static Topics topics(String prefix) {
        String p = unique(prefix);
        return new Topics(p + ".in", p + ".flagged", p + ".clean", p + ".dlq", p + ".models");
    }

    /** What {@code ./fraud publish} answered: its exit code, standard error and standard output. */
    record CliAnswer(int code, String err, String out) {
    }

    /**
     * Settings of a test producer that rides out a broker outage of up to {@code withinMs}: idempotent (no
     * duplicates from its retries), acks=all, retrying, waiting for metadata and delivery that long.
     */
    static Map<String, Object> ridingOutages(int withinMs) {
        return Map.of(
                org.apache.kafka.clients.producer.ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all",
                org.apache.kafka.clients.producer.ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE,
                org.apache.kafka.clients.producer.ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, withinMs,
                org.apache.kafka.clients.producer.ProducerConfig.MAX_BLOCK_MS_CONFIG, withinMs,
                org.apache.kafka.clients.producer.ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
    }

    /** Runs the publish command against {@code topics}' model topic on {@code broker}, with its CLI error handling. */
    static CliAnswer publish(TestBroker broker, Topics topics, String... args) {
        java.io.StringWriter err = new java.io.StringWriter();
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cl = org.fraudscorer.scorer.cli.CliErrors.install(
                new picocli.CommandLine(new org.fraudscorer.scorer.cli.PublishCommand()));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setOut(new java.io.PrintWriter(out, true));
        List<String> argv = new ArrayList<>(List.of("--bootstrap-servers", broker.bootstrapServers(), "--model-topic",
                topics.models()));
        argv.addAll(List.of(args));
        return new CliAnswer(cl.execute(argv.toArray(String[]::new)), err.toString().strip(), out.toString().strip());
    }

    /**
     * Creates the input and the output topics ({@link Topics#outputs()}) with {@code partitions} partitions and the
     * compacted one-partition model topic (not the labels and shadow topics).
     */
    static void createTopics(TestBroker broker, Topics t, int partitions) {
        broker.createTopic(t.input(), partitions);
        for (String name : t.outputs()) {
            broker.createTopic(name, partitions);
        }
        broker.createTopic(t.models(), 1, Map.of("cleanup.policy", "compact"));
    }

    /** An in-JVM scorer's configuration: exactly_once_v2 (the product default), its own state directory. */
    static ScorerConfig scorerConfig(TestBroker broker, Topics topics, String applicationId, Path stateDir) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("application.id", applicationId);
        p.put("processing.guarantee", "exactly_once_v2");
        p.put("state.dir", stateDir.toString());
        return new ScorerConfig(topics, p, TransactionParser.DEFAULT_MAX_BYTES, 3);
    }

    static KafkaProducer<String, byte[]> producer(TestBroker broker) {
        return producer(broker, Map.of());
    }

    /** An idempotent acks=all producer, with extra or overriding settings. */
    static KafkaProducer<String, byte[]> producer(TestBroker broker, Map<String, Object> overrides) {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        c.putAll(overrides);
        return new KafkaProducer<>(c, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Sends events (key = id) from its own thread in slices of 1/20 s at a steady rate paced by the clock, flushing
     * each slice; records where each acknowledged event landed. {@link #produced()} counts acknowledgements.
     */
    static final class SteadyProducer implements AutoCloseable {
        private final TestBroker broker;
        private final String topic;
        private final List<ItEvents.Event> events;
        private final int perSecond;
        private final Map<String, Object> overrides;
        private final AtomicInteger produced = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Map<String, Sent> sent = new ConcurrentHashMap<>();
        private final Thread thread;

        SteadyProducer(TestBroker broker, String topic, List<ItEvents.Event> events, int perSecond,
                       Map<String, Object> overrides) {
            this.broker = broker;
            this.topic = topic;
            this.events = List.copyOf(events);
            this.perSecond = perSecond;
            this.overrides = Map.copyOf(overrides);
            this.thread = new Thread(this::run, "steady-producer");
        }

        SteadyProducer start() {
            thread.start();
            return this;
        }

        int produced() {
            return produced.get();
        }

        int total() {
            return events.size();
        }

        boolean done() {
            return !thread.isAlive();
        }

        /** Where each acknowledged event landed, by id. */
        Map<String, Sent> sent() {
            return Map.copyOf(sent);
        }

        /** Waits for the last acknowledgement; fails on a send error or a timeout. */
        void await(Duration timeout) throws InterruptedException {
            thread.join(timeout.toMillis());
            assertThat(thread.isAlive()).as("producer still running after %s", timeout).isFalse();
            assertThat(failure.get()).as("producer failure").isNull();
            assertThat(produced.get()).as("events acknowledged").isEqualTo(events.size());
        }

        private void run() {
            try (KafkaProducer<String, byte[]> p = producer(broker, overrides)) {
                long start = System.nanoTime();
                int batch = Math.max(1, perSecond / 20);
                for (int i = 0; i < events.size(); i += batch) {
                    List<ItEvents.Event> slice = events.subList(i, Math.min(events.size(), i + batch));
                    for (ItEvents.Event e : slice) {
                        p.send(new ProducerRecord<>(topic, e.id(), e.value()), (m, ex) -> {
                            if (ex != null) {
                                failure.compareAndSet(null, ex);
                            } else {
                                sent.put(e.id(), new Sent(e, m.partition(), m.offset()));
                                produced.incrementAndGet();
                            }
                        });
                    }
                    p.flush();
                    long due = start + (long) ((i + slice.size()) * 1e9 / perSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing, not waiting for a condition
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }

        @Override
        public void close() {
            thread.interrupt();
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The accounting every fault test ends with: outputs = input exactly (flagged + clean + DLQ), each input id
     * exactly once, good events in an output other than the DLQ (a decision's: flagged or clean), bad ones in the DLQ.
     * Returns the single output of each id.
     */
    static Map<String, Out> assertExactlyOnce(List<ItEvents.Event> events, List<Out> outputs, Topics topics) {
        Map<String, List<Out>> byId = outputs.stream().collect(Collectors.groupingBy(Out::key));
        List<String> duplicated = byId.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey)
                .limit(10).toList();
        Set<String> expected = events.stream().map(ItEvents.Event::id).collect(Collectors.toSet());
        List<String> missing = expected.stream().filter(id -> !byId.containsKey(id)).limit(10).toList();
        assertThat(duplicated).as("ids output more than once (first 10)").isEmpty();
        assertThat(missing).as("ids never output (first 10)").isEmpty();
        assertThat(byId.keySet()).as("output ids").isEqualTo(expected);
        assertThat(outputs).as("outputs = flagged + clean + DLQ").hasSize(events.size());
        Map<String, Out> one = new HashMap<>();
        byId.forEach((id, outs) -> one.put(id, outs.get(0)));
        for (ItEvents.Event e : events) {
            String topic = one.get(e.id()).topic();
            if (e.good()) {
                assertThat(topic).as("topic of %s", e.id()).isIn(topics.outputs()).isNotEqualTo(topics.deadLetter());
            } else {
                assertThat(topic).as("topic of %s", e.id()).isEqualTo(topics.deadLetter());
            }
        }
        return one;
    }

    /** Where a record sits: for a dead letter, the source record it stands for (unique, whatever the payload). */
    record Position(String topic, int partition, long offset) {
        static Position of(RecordMetadata m) {
            return new Position(m.topic(), m.partition(), m.offset());
        }
    }

    /**
     * The dead-letter half of the accounting, for records that carry no usable id: every expected source position
     * exactly once among the dead letters (by the sourceTopic, sourcePartition and sourceOffset each carries), and no
     * other. Returns the dead letters by source position.
     */
    static Map<Position, JsonNode> assertDeadLettersExactlyOnce(List<Out> deadLetters, Set<Position> expected)
            throws java.io.IOException {
        Map<Position, JsonNode> bySource = new HashMap<>();
        List<Position> duplicated = new ArrayList<>();
        for (Out o : deadLetters) {
            JsonNode d = JSON.readTree(o.value());
            Position source = new Position(d.path("sourceTopic").asText(), d.path("sourcePartition").asInt(-1),
                    d.path("sourceOffset").asLong(-1));
            if (bySource.put(source, d) != null) {
                duplicated.add(source);
            }
        }
        assertThat(duplicated).as("source records dead-lettered more than once").isEmpty();
        assertThat(expected).as("source records never dead-lettered").allMatch(bySource::containsKey);
        assertThat(bySource.keySet()).as("dead letters by source position").isEqualTo(expected);
        assertThat(deadLetters).as("dead letters").hasSize(expected.size());
        return bySource;
    }

    /** Per output topic, how many records: for the tests' log lines. */
    static String countsByTopic(List<Out> outputs, Topics t) {
        Map<String, Long> n = outputs.stream().collect(Collectors.groupingBy(Out::topic, Collectors.counting()));
        return String.format("flagged %d + clean %d + DLQ %d", n.getOrDefault(t.flagged(), 0L),
                n.getOrDefault(t.clean(), 0L), n.getOrDefault(t.deadLetter(), 0L));
    }

    /** Polls {@code condition} every 100 ms (state that offers nothing to block on) until true; fails after timeout. */
    static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s (%s)", what, timeout).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Where each event landed in the input topic. */
    record Sent(ItEvents.Event event, int partition, long offset) {
    }

    /** Sends every event (key = id) and waits for all acknowledgements. */
    static List<Sent> sendAll(KafkaProducer<String, byte[]> producer, String topic, List<ItEvents.Event> events)
            throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        for (ItEvents.Event e : events) {
            acks.add(producer.send(new ProducerRecord<>(topic, e.id(), e.value())));
        }
        List<Sent> sent = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            RecordMetadata m = acks.get(i).get();
            sent.add(new Sent(events.get(i), m.partition(), m.offset()));
        }
        return sent;
    }

    /** One output record. */
    record Out(String topic, String key, byte[] value) {
    }

    /**
     * A read_committed consumer on every partition of the given topics from the beginning, with no consumer group;
     * it accumulates everything it reads, so a test can watch progress and then drain to the end.
     */
    static final class Drain implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<Out> records = new ArrayList<>();

        Drain(TestBroker broker, Collection<String> topics) {
            Map<String, Object> c = new HashMap<>();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (String t : topics) {
                consumer.partitionsFor(t, Duration.ofSeconds(30))
                        .forEach(p -> partitions.add(new TopicPartition(t, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Polls once (up to {@code max}); returns how many records arrived. */
        int poll(Duration max) {
            int n = 0;
            for (ConsumerRecord<String, byte[]> r : consumer.poll(max)) {
                records.add(new Out(r.topic(), r.key(), r.value()));
                n++;
            }
            return n;
        }

        int size() {
            return records.size();
        }

        List<Out> records() {
            return List.copyOf(records);
        }

        /** Polls until at least {@code n} records were read, or fails after {@code timeout}. */
        void awaitAtLeast(int n, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (size() < n && System.nanoTime() < deadline) {
                poll(Duration.ofMillis(200));
            }
            assertThat(size()).as("committed output records within %s", timeout).isGreaterThanOrEqualTo(n);
        }

        /**
         * Reads until {@code expected} records were read and then nothing new arrived for {@link #QUIET} (so that
         * duplicates would show), or {@code timeout} passes. Returns everything read.
         */
        List<Out> drain(int expected, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            long lastGrowth = System.nanoTime();
            while (System.nanoTime() < deadline) {
                if (poll(Duration.ofMillis(200)) > 0) {
                    lastGrowth = System.nanoTime();
                } else if (size() >= expected && System.nanoTime() - lastGrowth >= QUIET.toNanos()) {
                    break;
                }
            }
            return records();
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
