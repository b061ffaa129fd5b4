package org.fraudscorer.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fraudscorer.scorer.app.BrokerCheck;
import org.fraudscorer.scorer.cli.CliErrors;
import org.fraudscorer.scorer.cli.KafkaOptions;
import org.fraudscorer.scorer.cli.StopSignal;
import org.fraudscorer.scorer.config.ClientSettings;
import org.fraudscorer.scorer.config.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./fraud tail}: the scorer's decisions as they are made, one line each, read from a topic of your cluster
 * (the flagged topic by default). Decisions, dead letters and shadow records are told apart by their fields and
 * printed readably; anything else (input events, labels) as its value. {@code --raw} prints every value as it is.
 * Reads {@code read_committed} (a record of an aborted transaction was never decided) with no consumer group: it
 * assigns every partition, so it needs READ on the topic only and moves no group's offsets.
 * <pre>
 *   ./fraud tail -b kafka:9092                                   # new alerts, until Ctrl-C
 *   ./fraud tail -b kafka:9092 --topic transactions.dlq --from-beginning --to-end
 * </pre>
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Print the records of a topic as they arrive, one line each: decisions (flagged, clean), dead "
                + "letters, shadow records; read_committed, no consumer group.")
public final class TailCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    KafkaOptions kafka;
    @Option(names = "--topic", defaultValue = Topics.DEFAULT_FLAGGED, description = "The topic to read. Defaults to "
            + "${DEFAULT-VALUE}.")
    String topic;
    @Option(names = "--from-beginning", description = "Start at the earliest record kept (default: only records that "
            + "arrive from now on).")
    boolean fromBeginning;
    @Option(names = "--to-end", description = "Stop once the records that were on the topic when the command started "
            + "are printed (default: wait for new ones until Ctrl-C).")
    boolean toEnd;
    @Option(names = "--limit", paramLabel = "N", description = "Stop after N records (0 = no limit). Defaults to "
            + "${DEFAULT-VALUE}.", defaultValue = "0")
    long limit;
    @Option(names = "--raw", description = "Write each record's value as its bytes are, then a newline, without the "
            + "time and position (for jq and the like: a value may span lines; tombstones are skipped).")
    boolean raw;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (limit < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be ≥ 0, got " + limit);
        }
        CliErrors.requireTopicName(spec, "--topic", topic);
        Properties props;
        try {
            Map<String, String> defaults = new HashMap<>(ClientSettings.CONSUMER_DEFAULTS);
            defaults.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
            // partitionsFor answers from the metadata cache: refreshed every 5 s, Watch sees added partitions
            defaults.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
            props = ClientSettings.of(kafka.kafka(), defaults, ClientSettings.READ_COMMITTED);
        } catch (IllegalArgumentException e) { // a -p that contradicts read_committed
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        props.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions: no group, no offsets moved
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        BrokerCheck.await(props, BrokerCheck.DEFAULT_TIMEOUT);
        PrintStream out = System.out;
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = null;
        Runnable restoreSignal = () -> { };
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist (or this client may not "
                        + "describe it)");
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo i : infos) {
                partitions.add(new TopicPartition(topic, i.partition()));
            }
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            // read_committed: the end is the last stable offset, so --to-end never waits for an open transaction
            Map<TopicPartition, Long> end = toEnd ? consumer.endOffsets(partitions, Duration.ofSeconds(30)) : Map.of();
            hook = new Thread(() -> {
                stopping.set(true);
                consumer.wakeup();
                try {
                    done.await(10, java.util.concurrent.TimeUnit.SECONDS); // until the consumer is closed
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "tail-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            restoreSignal = StopSignal.exitZeroOnTerm();
            long printed = 0;
            // --to-end reads what the partitions held at the start: partitions added later hold nothing of it
            Watch watch = toEnd ? null : new Watch(consumer, partitions, String.valueOf(props.get(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)), spec.commandLine().getErr());
            try {
                while (!stopping.get() && (limit == 0 || printed < limit) && !(toEnd && reached(consumer, end))) {
                    if (watch != null) {
                        watch.check(System.nanoTime());
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        Long last = toEnd ? end.get(new TopicPartition(r.topic(), r.partition())) : null;
                        if (last != null && r.offset() >= last) {
                            continue; // --to-end: arrived after the start, past the end taken then
                        }
                        if (raw) {
                            if (r.value() == null) {
                                continue; // a tombstone has no value to print
                            }
                            out.write(r.value(), 0, r.value().length); // the bytes as they are, for jq and the like
                            out.println();
                        } else {
                            out.println(line(r));
                        }
                        if (out.checkError()) {
                            return 0; // the reader went away (a closed pipe, e.g. '| head'): nothing more to say
                        }
                        if (limit > 0 && ++printed >= limit) {
                            break;
                        }
                    }
                }
            } catch (WakeupException stop) {
                // Ctrl-C or SIGTERM: the hook waits for the consumer to close
            }
        } finally {
            done.countDown();
            restoreSignal.run(); // a command run inside another program leaves its SIGTERM handling as it was
            if (hook != null && !stopping.get()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is stopping anyway
                }
            }
        }
        return 0;
    }

    /** The consumer's loggers whose warnings tail says in its own words ({@link Watch}): once, not thousands a s. */
    static final List<String> REPORTED_WARNINGS = List.of(
            "org.apache.kafka.clients.consumer.internals.FetchCollector",
            "org.apache.kafka.clients.NetworkClient");

    /**
     * What the topic and the cluster do while tail follows it, checked every {@value #CHECK_SECONDS} s: partitions
     * added are read from their first record (they were read never: a record on them was not shown); a deleted topic
     * ends tail with one line (it logged 18,000 warnings a second and never ended); a cluster that has not answered
     * for {@value #SILENT_SECONDS} s is said once, and its return (an outage looked like a quiet topic). Found by a
     * hunt.
     */
    static final class Watch {
        static final int CHECK_SECONDS = 2;
        static final int SILENT_SECONDS = 15;
        private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
        private final java.util.Set<TopicPartition> assigned;
        private final String servers;
        private final java.io.PrintWriter err;
        private long next;
        private long unansweredSince = -1;
        private boolean said;

        Watch(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer, List<TopicPartition> assigned,
              String servers, java.io.PrintWriter err) {
            this.consumer = consumer;
            this.assigned = new java.util.HashSet<>(assigned);
            this.servers = servers;
            this.err = err;
            this.next = System.nanoTime() + CHECK_SECONDS * 1_000_000_000L;
            LoggingSettings.quietUnlessSet(REPORTED_WARNINGS);
        }

        void check(long now) {
            if (now < next) {
                return;
            }
            next = now + CHECK_SECONDS * 1_000_000_000L;
            String topic = assigned.iterator().next().topic();
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic, Duration.ofSeconds(CHECK_SECONDS));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (unansweredSince < 0) {
                    unansweredSince = now;
                }
                if (!said && now - unansweredSince >= SILENT_SECONDS * 1_000_000_000L) {
                    err.println("warning: Kafka at " + servers + " has not answered for " + SILENT_SECONDS + " s: no "
                            + "record can arrive meanwhile; tail goes on and shows them when it answers");
                    err.flush();
                    said = true;
                }
                return;
            }
            if (said) {
                err.println("Kafka at " + servers + " answers again");
                err.flush();
            }
            unansweredSince = -1;
            said = false;
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " was deleted while tail read it (or this client "
                        + "may no longer describe it)");
            }
            List<TopicPartition> added = new ArrayList<>();
            for (PartitionInfo i : infos) {
                TopicPartition tp = new TopicPartition(topic, i.partition());
                if (assigned.add(tp)) {
                    added.add(tp);
                }
            }
            if (!added.isEmpty()) {
                consumer.assign(assigned);
                consumer.seekToBeginning(added); // every record of a partition added since the start is new
            }
        }
    }

    /** Whether every partition's position has reached the end offsets taken at the start. */
    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static String value(ConsumerRecord<byte[], byte[]> r) {
        return r.value() == null ? "null" : new String(r.value(), StandardCharsets.UTF_8);
    }

    /**
     * One record as one line: its time and position, then what it says. Decisions, dead letters and shadow records
     * are told apart by their fields (the formats of docs/commands.md); anything else is printed as its value.
     */
    static String line(ConsumerRecord<byte[], byte[]> r) {
        // the fields come from the topic (a dead letter holds whatever a producer sent): one line, no terminal control
        return org.fraudscorer.common.text.ControlChars.escape(describe(r));
    }

    private static String describe(ConsumerRecord<byte[], byte[]> r) {
        String where = Instant.ofEpochMilli(r.timestamp()) + " " + r.topic() + "-" + r.partition() + "@" + r.offset()
                + " ";
        if (r.value() == null) {
            return where + "key " + key(r) + ": tombstone";
        }
        JsonNode v;
        try {
            v = JSON.readTree(r.value());
        } catch (java.io.IOException notJson) {
            v = null;
        }
        if (v == null || !v.isObject()) {
            return where + (r.value().length == 0 ? "(empty value)" : value(r));
        }
        if ("fraud-scorer-model".equals(v.path("format").asText())) { // the model topic: its key is its role
            JsonNode m = v.path("model");
            return where + String.format(Locale.ROOT, "MODEL key %s: %s, schema %s, %,d bytes%s%s", key(r),
                    m.path("modelVersion").asText("?"), m.path("schema").path("name").asText("?"), r.value().length,
                    v.has("signature") ? ", signed" : "", modelRefusal(r.value()));
        }
        if (v.has("decision") && v.has("probability")) {
            return where + decision(v);
        }
        if (v.has("reason") && v.has("sourceTopic")) {
            return where + String.format(Locale.ROOT, "DEAD LETTER %s from %s-%s@%s: %s", v.path("reason").asText(),
                    v.path("sourceTopic").asText(), v.path("sourcePartition").asText("?"),
                    v.path("sourceOffset").asText("?"), v.path("detail").asText(""));
        }
        if (v.has("champion") && v.has("challenger")) {
            return where + "SHADOW id " + shownId(v) + ": champion " + brief(v.path("champion"))
                    + ", challenger " + brief(v.path("challenger"));
        }
        return where + value(r);
    }

    /**
     * What every scorer refuses a model record for, whatever its keys (checksum, format, shapes), as a suffix of its
     * line; empty when it loads. A tampered record was shown as a model like the others (found by a hunt).
     */
    private static String modelRefusal(byte[] value) {
        try {
            org.fraudscorer.common.model.ModelFile.load(value, "record", null);
            return "";
        } catch (RuntimeException refused) {
            return "; REFUSED by every scorer: " + refused.getMessage().replaceFirst("^model record:? ?", "");
        }
    }

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? "null" : new String(r.key(), StandardCharsets.UTF_8);
    }

    private static String decision(JsonNode v) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-7s id %s  p %.4f (threshold %.4f)  model %s",
                v.path("decision").asText(), shownId(v), v.path("probability").asDouble(Double.NaN),
                v.path("threshold").asDouble(Double.NaN), v.path("modelVersion").asText("?")));
        JsonNode top = v.path("topFeatures");
        if (top.isArray() && top.size() > 0) {
            s.append("  top");
            String sep = " ";
            for (JsonNode f : top) {
                s.append(sep).append(f.path("feature").asText()).append(' ')
                        .append(String.format(Locale.ROOT, "%+.2f", f.path("contribution").asDouble(Double.NaN)));
                sep = ", ";
            }
        }
        return s.toString();
    }

    /** A record's id as written, or quoted when a space, a quote or a comma in it would blur the line's fields. */
    static String shownId(JsonNode v) {
        String id = v.path("id").asText("?");
        if (id.indexOf(' ') < 0 && id.indexOf('"') < 0 && id.indexOf(',') < 0) {
            return id;
        }
        return '"' + id.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String brief(JsonNode d) {
        return String.format(Locale.ROOT, "%s %.4f (%s)", d.path("decision").asText("?"),
                d.path("probability").asDouble(Double.NaN), d.path("modelVersion").asText("?"));
    }
}
