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
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.scorer.broker.TopicReader;
import org.fraudscorer.scorer.config.Backfill;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.serde.ParseResult;
import org.fraudscorer.scorer.serde.RawEventFields;
import org.fraudscorer.scorer.serde.RawEventParser;
import org.fraudscorer.scorer.serde.TransactionParser;
import org.fraudscorer.scorer.topology.RecordTimeGuard;
import org.fraudscorer.trainer.data.Dataset;
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
 * never seen are counted and ignored. Creditcard-format rows are read by {@link #readCreditCard}, with their own rules.
 */
public final class TopicHistory {
    /** How long the read may take to reach the end offsets before it gives up. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(120);
    private static final int MAX_RECORD_BYTES = 1 << 20;

    /** The events read and what was left out. */
    record Read(RawEvents events, long rejectedEvents, long duplicateEvents, long outsidePeriod, long labels,
                long rejectedLabels, long labelsForUnknownPayments, long firstUnknownPayment,
                long futureDatedEvents) {
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

    static Read read(Properties kafka, String inputTopic, String labelsTopic, EventPeriod period) {
        return read(kafka, inputTopic, labelsTopic, period, READ_TIMEOUT);
    }

    /**
     * As {@link #read(Properties, String, String, EventPeriod)}, within {@code timeout} per topic; a null
     * {@code labelsTopic} reads no labels (every payment then counts as genuine).
     */
    static Read read(Properties kafka, String inputTopic, String labelsTopic, EventPeriod period, Duration timeout) {
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
            throw new IllegalArgumentException("no payment events " + (period.from() == null && period.to() == null
                    ? "" : "from " + period + " ") + "on topic " + inputTopic + " (" + counts[0] + " rejected, "
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
            y[k] = (byte) (Boolean.TRUE.equals(labels.get(row[0])) ? 1 : 0);
        }
        RawEvents events = new RawEvents("topics " + inputTopic + " + " + labelsTopic, ids, times, customers, terminals,
                amount, y);
        return new Read(events, counts[0], counts[1], counts[2], labelCounts[0], labelCounts[1], labelCounts[2],
                labelCounts[3], counts[3]);
    }

    /** Creditcard rows read back with their labels, and what was left out. */
    record CreditCardRead(Dataset rows, long events, long rejectedEvents, long eventsWithoutId, long duplicateEvents,
                          long unlabelledEvents, long labels, long rejectedLabels, long labelsForUnknownEvents,
                          String firstUnknownEvent, long labelsWithTheirRow, long ambiguousLabels) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("events", events);
            m.put("labelled_events", rows.rows());
            m.put("frauds", rows.positives());
            m.put("unlabelled_events", unlabelledEvents);
            m.put("rejected_events", rejectedEvents);
            m.put("events_without_id", eventsWithoutId);
            m.put("duplicate_events", duplicateEvents);
            m.put("labels", labels);
            m.put("rejected_labels", rejectedLabels);
            m.put("labels_for_unknown_events", labelsForUnknownEvents);
            m.put("first_unknown_label_id", firstUnknownEvent);
            m.put("labels_with_their_row", labelsWithTheirRow);
            m.put("ambiguous_labels", ambiguousLabels);
            return m;
        }
    }

    /**
     * Creditcard-format events of {@code inputTopic} (the scorer's {@link TransactionParser} format, a {@code Class}
     * on them ignored as the scorer ignores it) joined by {@code id} with the labels of {@code labelsTopic} (what the
     * analyst console writes for a creditcard alert: the row with its {@code id} and {@code Class} 0 or 1). Only
     * labelled events are kept: an unlabelled row is not known to be genuine (only the reviewed alerts get a
     * label). Events the scorer would dead-letter, events without an id (no label can name them) and a second event
     * with an id already seen are counted and left out; a later label of an id replaces an earlier one; labels of ids
     * never seen on the input topic are counted and not applied. The rows are in time order ({@code Time}, then id).
     *
     * <p>A label that carries its row (as the console writes it: the alert as scored, with {@code id} and
     * {@code Class}) trains on that row: ids may repeat across producers' runs (a second file produced from row 1
     * again), and the row an analyst judged is the one the label is about. A label without a row, for an id that
     * came with more than one different row, names no row for sure: it is counted as ambiguous and not applied.
     *
     * @throws IllegalArgumentException when no event is readable or none has a label
     */
    static CreditCardRead readCreditCard(Properties kafka, String inputTopic, String labelsTopic, Duration timeout) {
        TransactionParser parser = new TransactionParser(FeatureSchema.CREDITCARD, MAX_RECORD_BYTES, true);
        double[] inputs = new double[FeatureSchema.CREDITCARD.inputCount()];
        Map<String, double[]> byId = new HashMap<>();
        Set<String> differing = new HashSet<>(); // ids that came with more than one different row
        long[] counts = new long[4]; // read, rejected, without id, duplicate
        readToEnd(kafka, inputTopic, timeout, r -> {
            counts[0]++;
            ParseResult p = r.value() == null ? null : parser.parse(r.value(), inputs);
            if (p == null || !p.isOk()) {
                counts[1]++;
            } else if (p.id() == null) {
                counts[2]++;
            } else {
                double[] earlier = byId.putIfAbsent(p.id(), inputs.clone());
                if (earlier != null) {
                    counts[3]++;
                    if (!Arrays.equals(earlier, inputs)) {
                        differing.add(p.id());
                    }
                }
            }
        });
        if (byId.isEmpty()) {
            throw new IllegalArgumentException("no creditcard-format events with an id on topic " + inputTopic + " ("
                    + counts[0] + " records, " + counts[1] + " rejected, " + counts[2] + " without id)");
        }
        Map<String, CardLabel> labels = new HashMap<>();
        long[] labelCounts = {0, 0, 0}; // applied, rejected, unknown
        String[] firstUnknown = {null};
        double[] labelRow = new double[inputs.length];
        readToEnd(kafka, labelsTopic, timeout, r -> {
            String[] id = {null};
            int fraud = creditCardLabel(r.value(), id);
            if (fraud < 0) {
                labelCounts[1]++;
            } else if (!byId.containsKey(id[0])) {
                if (labelCounts[2]++ == 0) {
                    firstUnknown[0] = id[0];
                }
            } else {
                labelCounts[0]++;
                ParseResult row = parser.parse(r.value(), labelRow); // the row the label carries, if it is one
                // a corrected label replaces the earlier one (same key, same partition)
                labels.put(id[0], new CardLabel(fraud, row.isOk() ? labelRow.clone() : null));
            }
        });
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("none of the " + byId.size() + " creditcard-format events of topic "
                    + inputTopic + " has a label on topic " + labelsTopic + " (" + labelCounts[1] + " labels rejected, "
                    + labelCounts[2] + " for unknown ids): a challenger learns from labelled rows");
        }
        Joined joined = join(byId, differing, labels, inputs.length);
        if (joined.ids().length == 0) {
            throw new IllegalArgumentException("every label on topic " + labelsTopic + " names an id that came with "
                    + "several different rows on topic " + inputTopic + " and carries no row of its own");
        }
        Dataset rows = Dataset.of("topics " + inputTopic + " + " + labelsTopic, joined.rows(), joined.labels());
        return new CreditCardRead(rows, counts[0], counts[1], counts[2], counts[3], byId.size() - labels.size(),
                labelCounts[0], labelCounts[1], labelCounts[2], firstUnknown[0], joined.withTheirRow(),
                joined.ambiguous());
    }

    /** A creditcard label: 1 fraud or 0, and the row it carries (null when it carries none). */
    record CardLabel(int fraud, double[] row) {
    }

    /**
     * Labelled rows in time order ({@code Time}, then id), the ids they came from, how many trained on the label's own
     * row, and how many labels named no row for sure.
     */
    record Joined(String[] ids, double[] rows, int[] labels, long withTheirRow, long ambiguous) {
    }

    /**
     * Joins labels to rows: a label's own row when it carries one, else the event of its id, unless that id came with
     * several different rows ({@code differing}), which makes the label ambiguous (counted, not applied).
     */
    static Joined join(Map<String, double[]> byId, Set<String> differing, Map<String, CardLabel> labels, int width) {
        Map<String, double[]> chosen = new HashMap<>();
        long own = 0;
        long ambiguous = 0;
        for (Map.Entry<String, CardLabel> e : labels.entrySet()) {
            if (e.getValue().row() != null) {
                chosen.put(e.getKey(), e.getValue().row());
                own++;
            } else if (differing.contains(e.getKey())) {
                ambiguous++;
            } else {
                chosen.put(e.getKey(), byId.get(e.getKey()));
            }
        }
        String[] ids = chosen.keySet().toArray(String[]::new);
        Arrays.sort(ids, java.util.Comparator.<String>comparingDouble(id -> chosen.get(id)[0])
                .thenComparing(java.util.Comparator.naturalOrder()));
        double[] all = new double[ids.length * width];
        int[] y = new int[ids.length];
        for (int k = 0; k < ids.length; k++) {
            System.arraycopy(chosen.get(ids[k]), 0, all, k * width, width);
            y[k] = labels.get(ids[k]).fraud();
        }
        return new Joined(ids, all, y, own, ambiguous);
    }

    /**
     * The label of a creditcard label record: 1 fraud, 0 genuine, with its id put in {@code idOut}; -1 for a record
     * that is not one (not a JSON object, no id, a {@code Class} other than 0 or 1).
     */
    static int creditCardLabel(byte[] value, String[] idOut) {
        if (value == null || value.length > MAX_RECORD_BYTES) {
            return -1;
        }
        com.fasterxml.jackson.databind.JsonNode n;
        try {
            n = LABEL_JSON.readTree(value);
        } catch (java.io.IOException e) {
            return -1;
        }
        if (n == null || !n.isObject()) {
            return -1;
        }
        com.fasterxml.jackson.databind.JsonNode id = n.get(TransactionParser.ID_FIELD);
        com.fasterxml.jackson.databind.JsonNode c = n.get(TransactionParser.LABEL_FIELD);
        if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isEmpty() || c == null
                || !c.isIntegralNumber() || (c.asLong() != 0 && c.asLong() != 1)) {
            return -1;
        }
        idOut[0] = id.asText();
        return c.asInt();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper LABEL_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * Hands every record of {@code topic}, from the beginning to the end offsets of now, to {@code each}.
     *
     * @throws IllegalArgumentException when the topic does not exist or its end is not reached in time
     */
    static void readToEnd(Properties kafka, String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        readToEnd(kafka, topic, READ_TIMEOUT, each);
    }

    /** As {@link #readToEnd(Properties, String, Consumer)} within {@code timeout}; a null topic reads nothing. */
    public static void readToEnd(Properties kafka, String topic, Duration timeout,
                                 Consumer<ConsumerRecord<byte[], byte[]>> each) {
        TopicReader.readToEnd(kafka, topic, timeout, each);
    }
}
