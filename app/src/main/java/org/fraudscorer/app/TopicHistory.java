package org.fraudscorer.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fraudscorer.scorer.broker.TopicReader;
import org.fraudscorer.scorer.config.Backfill;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.serde.RawEventFields;
import org.fraudscorer.scorer.serde.RawEventParser;
import org.fraudscorer.scorer.topology.RecordTimeGuard;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.events.EventPeriod;

/**
 * What the system saw, read back from its topics for a retrain: every payment of the input topic in a period and
 * the labels that arrived for them on the labels topic, in the scorer's wire format ({@link RawEventParser}). Both
 * topics are read from their beginning to the end offsets taken when the read starts (read_committed), by a consumer
 * without a group: nothing is committed, the scorer's offsets are untouched.
 *
 * <p>Records the scorer would dead-letter are skipped and counted; a payment seen twice (a producer retry) counts
 * once; a payment with no label counts as genuine (no chargeback arrived); labels of payments outside the period or
 * never seen are counted and ignored. Creditcard-format rows are read by {@link CreditCardTopicHistory}, with their
 * own rules.
 */
public final class TopicHistory {
    /** How long the read may take to reach the end offsets before it gives up. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(120);
    /** The largest record a history read parses; a larger one is refused unparsed (counted as rejected). */
    static final int MAX_RECORD_BYTES = 1 << 20;

    /**
     * The events read and what was left out; {@code lastLabelledPayment} is the time (epoch seconds) of the latest
     * payment read with a label, on the labels topic or in its backfilled record's headers ({@link Long#MIN_VALUE}
     * for none).
     */
    record Read(RawEvents events, long rejectedEvents, long duplicateEvents, long outsidePeriod, long labels,
                long rejectedLabels, long labelsForUnknownPayments, long firstUnknownPayment,
                long futureDatedEvents, long lastLabelledPayment) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("events", events.size());
            m.put("frauds", events.frauds());
            m.put("rejected_events", rejectedEvents);
            m.put("future_dated_events", futureDatedEvents);
            m.put("duplicate_events", duplicateEvents);
            m.put("events_outside_period", outsidePeriod);
            m.put("labels", labels);
            m.put("rejected_labels", rejectedLabels);
            m.put("labels_for_unknown_payments", labelsForUnknownPayments);
            return m;
        }
    }

    private TopicHistory() {
    }

    /**
     * The payments of {@code period} read from {@code inputTopic} with their labels from {@code labelsTopic}, within
     * {@code timeout} per topic ({@code retrain --read-timeout}, {@code backfill --read-timeout}); a null
     * {@code labelsTopic} reads no labels (every payment then counts as genuine).
     */
    static Read read(Properties kafka, String inputTopic, String labelsTopic, EventPeriod period, Duration timeout) {
        return read(kafka, inputTopic, labelsTopic, period, timeout, false);
    }

    /**
     * As {@link #read(Properties, String, String, EventPeriod, Duration)}; with {@code keepUnknown} a payment no label
     * arrived for keeps {@link RawEvents#UNKNOWN} (a backfill stores it without one) instead of counting as genuine.
     */
    static Read read(Properties kafka, String inputTopic, String labelsTopic, EventPeriod period, Duration timeout,
                     boolean keepUnknown) {
        return read(kafka, inputTopic, labelsTopic, period, timeout, keepUnknown, period);
    }

    /**
     * As {@link #read(Properties, String, String, EventPeriod, Duration)}, naming {@code asked} when no payment is
     * read: {@code period} is it with the history days before it ({@code retrain --from}), which the operator did not
     * give (it named the first history day).
     */
    static Read read(Properties kafka, String inputTopic, String labelsTopic, EventPeriod period, Duration timeout,
                     EventPeriod asked) {
        return read(kafka, inputTopic, labelsTopic, period, timeout, false, asked);
    }

    private static Read read(Properties kafka, String inputTopic, String labelsTopic, EventPeriod period,
                             Duration timeout, boolean keepUnknown, EventPeriod asked) {
        RawEventParser eventParser = new RawEventParser(RawEventParser.Kind.EVENT, MAX_RECORD_BYTES);
        RawEventFields f = new RawEventFields();
        List<long[]> rows = new ArrayList<>();
        List<Double> amounts = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        // a backfilled payment's label rides in its headers, as the scorer's terminal store takes it
        Map<Long, Boolean> historyLabels = new HashMap<>();
        long[] counts = new long[4]; // rejected, duplicate, outside, future-dated
        readToEnd(kafka, inputTopic, timeout, r -> {
            if (r.value() == null || !eventParser.parse(r.value(), f).isOk()) {
                counts[0]++;
            } else if (RecordTimeGuard.datedAfterRecord(f.epochSeconds, r.timestamp(),
                    ScorerConfig.DEFAULT_MAX_FUTURE_SKEW_MS)) {
                // the scorer's FUTURE_EVENT_TIME dead letter: read, one mistyped year would move the period's default
                // end years ahead (retrain looked for labels in 2029)
                counts[3]++;
            } else if (!period.contains(f.epochSeconds)) {
                counts[2]++;
            } else if (!seen.add(f.transactionId)) {
                counts[1]++;
            } else {
                rows.add(new long[] {f.transactionId, f.epochSeconds, f.customerId, f.terminalId});
                amounts.add(f.amount);
                int label = Backfill.label(r.headers());
                if (label >= 0) {
                    historyLabels.put(f.transactionId, label == 1);
                }
            }
        });
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no payment events " + (asked.from() == null && asked.to() == null
                    ? "" : "from " + asked + " ") + "on topic " + inputTopic + " (" + counts[0] + " rejected, "
                    + counts[2] + " outside the period" + (counts[0] > 0 ? "; for creditcard-format rows give --family "
                    + "creditcard" : "") + ")");
        }
        RawEventParser labelParser = new RawEventParser(RawEventParser.Kind.LABEL, MAX_RECORD_BYTES);
        Map<Long, Boolean> labels = new HashMap<>();
        long[] labelCounts = {0, 0, 0, -1}; // read, rejected, unknown, the first unknown payment
        readToEnd(kafka, labelsTopic, timeout, r -> {
            if (r.value() == null || !labelParser.parse(r.value(), f).isOk()) {
                labelCounts[1]++;
            } else if (!seen.contains(f.transactionId)) {
                if (labelCounts[2]++ == 0) {
                    labelCounts[3] = f.transactionId;
                }
            } else {
                labelCounts[0]++;
                labels.put(f.transactionId, f.fraud); // a corrected label replaces the earlier one
            }
        });
        historyLabels.forEach(labels::putIfAbsent); // one on the labels topic is later: it wins
        // Time order (then id), as the live stream presented them to the feature stores.
        Integer[] order = new Integer[rows.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> {
            int c = Long.compare(rows.get(a)[1], rows.get(b)[1]);
            return c != 0 ? c : Long.compare(rows.get(a)[0], rows.get(b)[0]);
        });
        int n = order.length;
        long lastLabelled = Long.MIN_VALUE; // the time of the latest payment with a label, genuine or fraud
        long[] ids = new long[n];
        long[] times = new long[n];
        long[] customers = new long[n];
        long[] terminals = new long[n];
        double[] amount = new double[n];
        byte[] y = new byte[n];
        for (int k = 0; k < n; k++) {
            long[] row = rows.get(order[k]);
            ids[k] = row[0];
            times[k] = row[1];
            customers[k] = row[2];
            terminals[k] = row[3];
            amount[k] = amounts.get(order[k]);
            Boolean label = labels.get(row[0]);
            if (label != null) {
                lastLabelled = Math.max(lastLabelled, row[1]);
            }
            y[k] = (byte) (label == null && keepUnknown ? RawEvents.UNKNOWN : Boolean.TRUE.equals(label) ? 1 : 0);
        }
        RawEvents events = new RawEvents("topics " + inputTopic + " + " + labelsTopic, ids, times, customers, terminals,
                amount, y);
        return new Read(events, counts[0], counts[1], counts[2], labelCounts[0], labelCounts[1], labelCounts[2],
                labelCounts[3], counts[3], lastLabelled);
    }

    /**
     * Hands every record of {@code topic}, from the beginning to the end offsets of now, to {@code each}.
     *
     * @throws IllegalArgumentException when the topic does not exist or its end is not reached in time
     */
    static void readToEnd(Properties kafka, String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        readToEnd(kafka, topic, READ_TIMEOUT, each);
    }

    /**
     * As {@link #readToEnd(Properties, String, Consumer)} within {@code timeout}; a null topic reads nothing. Returns
     * the end offsets read to, by partition (the records read are those below them).
     */
    public static Map<Integer, Long> readToEnd(Properties kafka, String topic, Duration timeout,
                                               Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<Integer, Long> ends = new java.util.TreeMap<>();
        TopicReader.readToEnd(kafka, topic, timeout, each).forEach((tp, end) -> ends.put(tp.partition(), end));
        return ends;
    }
}
