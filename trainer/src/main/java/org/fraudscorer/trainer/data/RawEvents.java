package org.fraudscorer.trainer.data;

import java.util.Arrays;
import org.fraudscorer.common.features.events.RawEvent;

/**
 * Raw payment events in flat arrays, one index per event, in file order; labels optional, and each may be unknown
 * (a payment whose verdict is not in yet). 1.5 M events take about 50 MB (five 8-byte columns and a byte label),
 * with no object per event.
 */
public final class RawEvents {
    /** The label of a payment whose verdict is not known (an empty {@code TX_FRAUD} cell, or no such column). */
    public static final int UNKNOWN = -1;
    private final String source;
    private final long[] ids;
    private final long[] times;
    private final long[] customers;
    private final long[] terminals;
    private final double[] amounts;
    private final byte[] labels;

    /**
     * Arrays are taken as they are (not copied): callers hand over ownership. {@code labels} may be null (no label
     * column); each label is 0, 1 or {@link #UNKNOWN}.
     */
    public RawEvents(String source, long[] ids, long[] times, long[] customers, long[] terminals, double[] amounts,
                     byte[] labels) {
        int n = ids.length;
        if (times.length != n || customers.length != n || terminals.length != n || amounts.length != n
                || (labels != null && labels.length != n)) {
            throw new IllegalArgumentException("event columns differ in length");
        }
        this.source = source;
        this.ids = ids;
        this.times = times;
        this.customers = customers;
        this.terminals = terminals;
        this.amounts = amounts;
        this.labels = labels;
    }

    public RawEvent event(int i) {
        return new RawEvent(ids[i], times[i], customers[i], terminals[i], amounts[i]);
    }

    public int size() {
        return ids.length;
    }

    public String source() {
        return source;
    }

    public long id(int i) {
        return ids[i];
    }

    public long time(int i) {
        return times[i];
    }

    public long customer(int i) {
        return customers[i];
    }

    public long terminal(int i) {
        return terminals[i];
    }

    public double amount(int i) {
        return amounts[i];
    }

    /** True when every event's label is known: what training, evaluation and the handbook's protocol need. */
    public boolean hasLabels() {
        return labels != null && unknownLabels() == 0;
    }

    /** True when the events came with a label column (some labels may still be {@link #UNKNOWN}). */
    public boolean hasLabelColumn() {
        return labels != null;
    }

    /** The number of events whose label is not known ({@link #size()} without a label column). */
    public int unknownLabels() {
        if (labels == null) {
            return size();
        }
        int u = 0;
        for (byte b : labels) {
            u += b == UNKNOWN ? 1 : 0;
        }
        return u;
    }

    /**
     * Refuses events that are not all labelled.
     *
     * @param why what needs the labels, ending the message
     * @throws IllegalArgumentException naming how many labels are missing and the first such payment
     */
    public void requireLabels(String why) {
        if (labels == null) {
            throw new IllegalArgumentException(source + " has no TX_FRAUD column: " + why);
        }
        requireLabels(java.util.stream.IntStream.range(0, size()).toArray(), "", why);
    }

    /** As {@link #requireLabels(String)}, for the given rows only; {@code which} qualifies them ("scored "). */
    public void requireLabels(int[] rows, String which, String why) {
        int unknown = 0;
        int first = -1;
        for (int i : rows) {
            if (label(i) == UNKNOWN) {
                first = unknown++ == 0 ? i : first;
            }
        }
        if (unknown > 0) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "%s: %,d of the %,d %spayments "
                    + "%s no TX_FRAUD label (the first: TRANSACTION_ID %d): %s", source, unknown, rows.length, which,
                    unknown == 1 ? "has" : "have", id(first), why));
        }
    }

    /**
     * Rows whose {@code TRANSACTION_ID} an earlier row of the file has too (the same payment sent twice, or ids
     * reused): how many, and the smallest such id, or null when there is none. Sorts a copy of the ids: O(n log n), 8 bytes
     * per event.
     */
    public long[] repeatedIds() {
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        long repeats = 0;
        long first = 0;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                first = repeats++ == 0 ? sorted[i] : first;
            }
        }
        return repeats == 0 ? null : new long[] {repeats, first};
    }

    /**
     * The events without the rows that repeat an earlier row's {@code TRANSACTION_ID}, in their order: a payment read
     * twice counts once (as {@code backfill} reads its topics); this very object when no id repeats.
     */
    public RawEvents firstOfEachId(String newSource) {
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        java.util.Set<Long> repeated = new java.util.HashSet<>(); // the few ids that repeat: 8 bytes a row otherwise
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                repeated.add(sorted[i]);
            }
        }
        if (repeated.isEmpty()) {
            return this;
        }
        java.util.Set<Long> seen = new java.util.HashSet<>();
        return subset(java.util.stream.IntStream.range(0, ids.length)
                .filter(i -> !repeated.contains(ids[i]) || seen.add(ids[i])).toArray(), newSource);
    }

    /** @return 0, 1, or {@link #UNKNOWN} (also when there is no label column) */
    public int label(int i) {
        return labels == null ? UNKNOWN : labels[i];
    }

    public int frauds() {
        int f = 0;
        if (labels != null) {
            for (byte b : labels) {
                f += b == 1 ? 1 : 0;
            }
        }
        return f;
    }

    /** True when times never decrease (ties allowed), as a replay needs; else see {@link #timeOrder()}. */
    public boolean isTimeOrdered() {
        for (int i = 1; i < times.length; i++) {
            if (times[i] < times[i - 1]) {
                return false;
            }
        }
        return true;
    }

    /** Indices sorted by time, ties in file order. */
    public int[] timeOrder() {
        int[] all = new int[size()];
        Arrays.setAll(all, i -> i);
        return timeOrder(all);
    }

    /**
     * {@code rows} sorted by their events' times, ties in the given order: {@code rows} itself when it is in time
     * order already (a file sorted by time, as the handbook's), a sorted copy otherwise.
     */
    public int[] timeOrder(int[] rows) {
        boolean ordered = true;
        for (int k = 1; k < rows.length && ordered; k++) {
            ordered = times[rows[k - 1]] <= times[rows[k]];
        }
        if (ordered) {
            return rows;
        }
        Integer[] boxed = new Integer[rows.length];
        Arrays.setAll(boxed, k -> rows[k]);
        Arrays.sort(boxed, (a, b) -> Long.compare(times[a], times[b])); // stable
        return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    }

    /** The given rows, in that order, as events of their own (labels kept when present). */
    public RawEvents subset(int[] rows, String newSource) {
        int n = rows.length;
        long[] ids = new long[n];
        long[] t = new long[n];
        long[] c = new long[n];
        long[] term = new long[n];
        double[] a = new double[n];
        byte[] y = labels != null ? new byte[n] : null;
        for (int k = 0; k < n; k++) {
            int i = rows[k];
            ids[k] = id(i);
            t[k] = time(i);
            c[k] = customer(i);
            term[k] = terminal(i);
            a[k] = amount(i);
            if (y != null) {
                y[k] = (byte) label(i);
            }
        }
        return new RawEvents(newSource, ids, t, c, term, a, y);
    }

    /** The same events with other labels (0, 1 or {@link #UNKNOWN}; the event columns are shared, not copied). */
    public RawEvents withLabels(byte[] newLabels, String newSource) {
        return new RawEvents(newSource, ids, times, customers, terminals, amounts, newLabels.clone());
    }

    /** The same events without their labels (the columns are shared, not copied: both are read-only). */
    public RawEvents withoutLabels() {
        return labels == null ? this : new RawEvents(source, ids, times, customers, terminals, amounts, null);
    }

    /** The events whose time is in [{@code fromSecond}, {@code untilSecond}), in file order. */
    public RawEvents between(long fromSecond, long untilSecond, String newSource) {
        return subset(java.util.stream.IntStream.range(0, size())
                .filter(i -> times[i] >= fromSecond && times[i] < untilSecond).toArray(), newSource);
    }
}
