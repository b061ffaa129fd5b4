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
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.scorer.serde.ParseResult;
import org.fraudscorer.scorer.serde.TransactionParser;
import org.fraudscorer.trainer.data.Dataset;
import org.fraudscorer.trainer.retrain.InputRead;

/**
 * What the system saw of creditcard-format events, read back from its topics for {@code retrain --family creditcard}
 * ({@link CreditCardApp}): the labelled events of the input topic joined by id with the labels of the labels topic
 * ({@link #read}). The topics are read as {@link TopicHistory} reads raw events ({@link TopicHistory#readToEnd}: from
 * their beginning to the end offsets taken when the read starts, read_committed, by a consumer without a group).
 */
final class CreditCardTopicHistory {
    private CreditCardTopicHistory() {
    }

    /**
     * Creditcard rows read back with their labels, and what was left out; {@code input}: where the rows came from on
     * the input topic and the labels topic (their end offsets as read, the places of each row's events and labels).
     */
    record Read(Dataset rows, long events, long rejectedEvents, long eventsWithoutId, long duplicateEvents,
                long unlabelledEvents, long labels, long rejectedLabels, long labelsForUnknownEvents,
                String firstUnknownEvent, long labelsWithTheirRow, long ambiguousLabels, InputRead input) {
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

        /**
         * One line on the label records not applied (for ids never seen on the input topic, not labels at all, or
         * ambiguous), or null when every one was: they were counted in the report only, so a run by hand said nothing
         * of labels it dropped (a weekly-operations hunt).
         */
        String unappliedLabels(String labelsTopic, String inputTopic) {
            List<String> parts = new ArrayList<>();
            if (labelsForUnknownEvents > 0) {
                parts.add(labelsForUnknownEvents + " for " + (labelsForUnknownEvents == 1 ? "an id" : "ids")
                        + " not on " + inputTopic + " (first: " + firstUnknownEvent + ")");
            }
            if (rejectedLabels > 0) {
                parts.add(rejectedLabels + " not " + (rejectedLabels == 1 ? "a label" : "labels")
                        + " (an id and a Class 0 or 1)");
            }
            if (ambiguousLabels > 0) {
                parts.add(ambiguousLabels + " without a row, for " + (ambiguousLabels == 1 ? "an id" : "ids")
                        + " that came with different rows");
            }
            long all = labelsForUnknownEvents + rejectedLabels + ambiguousLabels;
            return parts.isEmpty() ? null : org.fraudscorer.common.text.Counted.of(all, "record") + " on "
                    + labelsTopic + " not applied: " + String.join(", ", parts);
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
    static Read read(Properties kafka, String inputTopic, String labelsTopic, Duration timeout) {
        TransactionParser parser = new TransactionParser(FeatureSchema.CREDITCARD, TopicHistory.MAX_RECORD_BYTES, true);
        double[] inputs = new double[FeatureSchema.CREDITCARD.inputCount()];
        Map<String, double[]> byId = new HashMap<>();
        Set<String> differing = new HashSet<>(); // ids that came with more than one different row
        Map<String, long[]> places = new HashMap<>(); // an id's first event on each partition: {partition, offset, …}
        long[] counts = new long[4]; // read, rejected, without id, duplicate
        Map<Integer, Long> endOffsets = TopicHistory.readToEnd(kafka, inputTopic, timeout, r -> {
            counts[0]++;
            ParseResult p = r.value() == null ? null : parser.parse(r.value(), inputs);
            if (p == null || !p.isOk()) {
                counts[1]++;
            } else if (p.id() == null) {
                counts[2]++;
            } else {
                double[] earlier = byId.putIfAbsent(p.id(), inputs.clone());
                places.merge(p.id(), new long[] {r.partition(), r.offset()}, CreditCardTopicHistory::place);
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
        Map<String, long[]> labelPlaces = new HashMap<>(); // an id's first label on each partition
        Map<Integer, Long> labelEnds = TopicHistory.readToEnd(kafka, labelsTopic, timeout, r -> {
            String[] id = {null};
            int fraud = label(r.value(), id);
            if (fraud < 0) {
                labelCounts[1]++;
            } else if (!byId.containsKey(id[0])) {
                if (labelCounts[2]++ == 0) {
                    firstUnknown[0] = id[0];
                }
            } else {
                labelCounts[0]++;
                labelPlaces.merge(id[0], new long[] {r.partition(), r.offset()}, CreditCardTopicHistory::place);
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
        long[][] positions = new long[joined.ids().length][];
        long[][] labelPositions = new long[positions.length][];
        for (int k = 0; k < positions.length; k++) {
            positions[k] = places.get(joined.ids()[k]);
            labelPositions[k] = labelPlaces.get(joined.ids()[k]);
        }
        return new Read(rows, counts[0], counts[1], counts[2], counts[3], byId.size() - labels.size(),
                labelCounts[0], labelCounts[1], labelCounts[2], firstUnknown[0], joined.withTheirRow(),
                joined.ambiguous(), new InputRead(inputTopic, endOffsets, positions,
                new InputRead.Labels(labelsTopic, labelEnds, labelPositions)));
    }

    /**
     * An id's places with one more event's ({@code {partition, offset}}): kept only on a partition it had not come on,
     * where it is the first (a partition is read in offset order, and an earlier event is the one a read saw first).
     */
    static long[] place(long[] places, long[] event) {
        for (int i = 0; i < places.length; i += 2) {
            if (places[i] == event[0]) {
                return places;
            }
        }
        long[] more = Arrays.copyOf(places, places.length + 2);
        more[places.length] = event[0];
        more[places.length + 1] = event[1];
        return more;
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
    static int label(byte[] value, String[] idOut) {
        if (value == null || value.length > TopicHistory.MAX_RECORD_BYTES) {
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
}
