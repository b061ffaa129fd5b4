package org.fraudscorer.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.text.Counted;
import org.fraudscorer.scorer.config.ClientSettings;
import org.fraudscorer.scorer.config.Topics;

/**
 * The live view of {@link DemoCommand}: while the demo's producer streams, a line a second of throughput, flagged,
 * clean and dead-lettered counts, end-to-end latency (p50, p99) and running precision/recall on the labelled events,
 * read from the three output topics; then a summary that checks input = flagged + clean + dead letters against what
 * was produced and acknowledged ({@link DemoLedger}), the latency after start-up, and the model that scored.
 */
final class DemoView {
    private DemoView() {
    }

    /**
     * The live view's consumer: the three outputs from their start, committed records only (what a bank's consumer of
     * the outputs sees), with the product's consumer defaults.
     */
    static Properties viewConsumerProperties(String bootstrap) {
        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, "fraud-demo-view");
        cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return ClientSettings.withConsumerDefaults(cp);
    }

    /**
     * Runs {@code task} for {@code duration} seconds on its own thread while printing the live view, reads on until
     * every produced event is counted and no record came for 2 s (at most 30 s after the producer ends), then prints
     * the summary.
     *
     * @return 0 when every produced event was accounted for exactly once and the producer did not fail, 1 otherwise,
     *         {@link #STOPPED} when the demo was stopped (its thread interrupted) before the check
     */
    static int run(PrintStream out, String bootstrap, DemoCommand.ProducerTask task, int duration, Topics topics,
                   ModelBundle bundle, DemoLedger ledger) throws Exception {
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicLong produced = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Exception> producerFailure =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                task.produce(bootstrap, producing, produced);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                producerFailure.set(e); // the summary says it, and the demo fails: the counts alone could balance
                System.err.println("error: producer failed: " + e);
            }
        }, "demo-producer");
        producer.start();
        Tally tally = new Tally(ledger);
        tally.steadyFromMs = System.currentTimeMillis() + Tally.STEADY_AFTER_MS;
        Properties cp = viewConsumerProperties(bootstrap);
        ObjectMapper json = new ObjectMapper();
        long start = System.nanoTime();
        long lastPrint = start;
        long lastCount = 0;
        long lastRecord = start;
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(cp, new StringDeserializer(),
                new ByteArrayDeserializer());
        boolean stopped = false;
        try {
            consumer.subscribe(topics.outputs());
            long drainDeadline = Long.MAX_VALUE;
            while (true) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    tally.add(r, topics, json);
                    lastRecord = System.nanoTime();
                }
                long now = System.nanoTime();
                if (producing.get() && now - start >= duration * 1_000_000_000L) {
                    producing.set(false); // the producer flushes and closes while this loop reads on
                }
                if (!producing.get() && drainDeadline == Long.MAX_VALUE && !producer.isAlive()) {
                    drainDeadline = now + 30_000_000_000L; // all sent: 30 s for the last ones to arrive
                }
                if (now - lastPrint >= 1_000_000_000L) {
                    long total = tally.total();
                    out.println(tally.line((now - start) / 1e9, (total - lastCount) / ((now - lastPrint) / 1e9)));
                    lastPrint = now;
                    lastCount = total;
                }
                // Past the last expected record, read on for a quiet period so that duplicates would show
                boolean quiet = now - lastRecord >= QUIET_NANOS;
                if (drainDeadline != Long.MAX_VALUE && ((tally.total() >= produced.get() && quiet)
                        || now > drainDeadline)) {
                    break;
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException stopping) { // Ctrl-C or SIGTERM
            stopped = true;
        } finally {
            // An interrupt is the demo being stopped. The producer stops first, while the broker is up (it kept
            // sending into a closing broker: a screen of warnings); with the interrupt cleared, so that neither the
            // wait for it nor the consumer's close (an ERROR and a stack trace) is cut short.
            stopped |= Thread.interrupted();
            stop(producer, producing);
            consumer.close();
        }
        if (stopped) {
            out.printf(Locale.ROOT, "%nStopped after %.0f s: %,d events produced, %,d counted (not checked: the run "
                    + "did not finish)%n", (System.nanoTime() - start) / 1e9, produced.get(), tally.total());
            return STOPPED;
        }
        out.println();
        out.println("Summary");
        boolean exact = tally.total() == produced.get() && ledger.sent() == produced.get()
                && ledger.problems().isEmpty() && producerFailure.get() == null;
        out.printf(Locale.ROOT, "  produced %,d events; flagged %,d + clean %,d + dead letters %,d = %,d %s%n",
                produced.get(), tally.flagged, tally.clean, tally.dlq, tally.total(),
                exact ? ledger.summary() : producerFailure.get() != null ? "(NOT CHECKED: the producer failed: "
                        + producerFailure.get() + ")" : String.format(Locale.ROOT, "(MISMATCH: %,d acknowledged; %s)",
                        ledger.sent(), ledger.problems().isEmpty() ? "the counts differ"
                                : String.join(", ", ledger.problems())));
        out.printf(Locale.ROOT, "  end-to-end latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                tally.latency.getValueAtPercentile(50) / 1000.0, tally.latency.getValueAtPercentile(99) / 1000.0,
                tally.latency.getMaxValue() / 1000.0);
        if (tally.steady.getTotalCount() > 0) {
            out.printf(Locale.ROOT, "  after the first %d s: p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms (%,d records)%n",
                    Tally.STEADY_AFTER_MS / 1000, tally.steady.getValueAtPercentile(50) / 1000.0,
                    tally.steady.getValueAtPercentile(99) / 1000.0, tally.steady.getValueAtPercentile(99.9) / 1000.0,
                    tally.steady.getTotalCount());
        }
        out.printf(Locale.ROOT, "  on labelled events: precision %.3f, recall %.3f (%s caught, %d missed, %s)%n",
                tally.precision(), tally.recall(), Counted.of(tally.tp, "fraud"), tally.fn,
                Counted.of(tally.fp, "false alarm"));
        out.println("  model " + bundle.modelVersion() + " (sha256 " + bundle.sha256().substring(0, 12) + "…)");
        return exact ? 0 : 1;
    }

    /** What {@link #run} returns when its thread was interrupted (the demo is being stopped): no check was made. */
    static final int STOPPED = 130;

    /** Stops the producer thread and waits for it to flush, so that it never outlives the broker it sends to. */
    private static void stop(Thread producer, AtomicBoolean producing) {
        producing.set(false);
        try {
            producer.join(PRODUCER_STOP_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // a second stop: the hook closes what is left
        }
    }

    private static final long PRODUCER_STOP_MS = 10_000;

    /** How long the view reads on after the last expected record, so that a duplicate would be counted. */
    private static final long QUIET_NANOS = 2_000_000_000L;

    /** Running counts of the three output topics, latency, and precision/recall from the labels in the events. */
    static final class Tally {
        long flagged;
        long clean;
        long dlq;
        long tp;
        long fp;
        long fn;
        final Histogram latency = new Histogram(3_600_000_000L, 3);
        /** Latency of the events sent after the first {@link #STEADY_AFTER_MS} of streaming: start-up left out. */
        final Histogram steady = new Histogram(3_600_000_000L, 3);
        static final long STEADY_AFTER_MS = 10_000;
        long steadyFromMs = Long.MAX_VALUE;
        private final DemoLedger ledger;

        Tally(DemoLedger ledger) {
            this.ledger = ledger;
        }

        void add(ConsumerRecord<String, byte[]> r, Topics topics, ObjectMapper json) {
            long micros = Math.max(0, (System.currentTimeMillis() - r.timestamp()) * 1000);
            latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
            if (r.timestamp() >= steadyFromMs) {
                steady.recordValue(Math.min(micros, steady.getHighestTrackableValue()));
            }
            if (r.topic().equals(topics.deadLetter())) {
                dlq++;
                try {
                    JsonNode d = json.readTree(r.value());
                    boolean fromInput = d.path("sourceTopic").asText("").equals(topics.input());
                    // a dead letter from another topic (labels) is no input event: it is counted as unknown
                    ledger.deadLetter(fromInput ? d.path("sourcePartition").asInt(-1) : -1,
                            d.path("sourceOffset").asLong(-1));
                } catch (java.io.IOException e) {
                    ledger.deadLetter(-1, -1);
                }
                return;
            }
            boolean isFlagged = r.topic().equals(topics.flagged());
            if (isFlagged) {
                flagged++;
            } else {
                clean++;
            }
            try {
                JsonNode scored = json.readTree(r.value());
                ledger.scored(scored.path("id").asText(null));
                JsonNode event = scored.path("event");
                JsonNode label = event.has("Class") ? event.path("Class") : event.path("TX_FRAUD"); // raw events
                if (label.isInt()) {
                    boolean fraud = label.asInt() == 1;
                    tp += fraud && isFlagged ? 1 : 0;
                    fp += !fraud && isFlagged ? 1 : 0;
                    fn += fraud && !isFlagged ? 1 : 0;
                }
            } catch (java.io.IOException e) {
                ledger.scored(null); // the scorer wrote it: not expected; an id no event has, so a mismatch
            }
        }

        long total() {
            return flagged + clean + dlq;
        }

        double precision() {
            return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        }

        double recall() {
            return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        }

        String line(double seconds, double perSecond) {
            return String.format(Locale.ROOT, "%5.0fs  %,8d events %6.0f/s │ flagged %,6d  clean %,8d  DLQ %,5d │ "
                    + "latency p50 %6.1f ms  p99 %6.1f ms │ precision %.3f  recall %.3f",
                    seconds, total(), perSecond, flagged, clean, dlq, latency.getValueAtPercentile(50) / 1000.0,
                    latency.getValueAtPercentile(99) / 1000.0, precision(), recall());
        }
    }
}
