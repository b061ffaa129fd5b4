package org.fraudscorer.trainer.data;

import java.util.Arrays;
import org.fraudscorer.common.features.events.RawEvent;

/**
 * Raw payment events in flat arrays, one index per event, in file order; labels optional. 1.5 M events take
 * about 50 MB (five 8-byte columns and a byte label), with no object per event.
 */
public final class RawEvents {
    private final String source;
    private final long[] ids;
    private final long[] times;
    private final long[] customers;
    private final long[] terminals;
    private final double[] amounts;
    private final byte[] labels;

    /** Arrays are taken as they are (not copied): callers hand over ownership. {@code labels} may be null. */
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

    public static RawEvents of(String source, RawEvent[] events, byte[] labels) {
        int n = events.length;
        long[] ids = new long[n];
        long[] times = new long[n];
        long[] customers = new long[n];
        long[] terminals = new long[n];
        double[] amounts = new double[n];
        for (int i = 0; i < n; i++) {
            ids[i] = events[i].transactionId();
            times[i] = events[i].epochSeconds();
            customers[i] = events[i].customerId();
            terminals[i] = events[i].terminalId();
            amounts[i] = events[i].amount();
        }
        return new RawEvents(source, ids, times, customers, terminals, amounts, labels == null ? null : labels.clone());
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

    public boolean hasLabels() {
        return labels != null;
    }

    /** @return 0 or 1 */
    public int label(int i) {
        if (labels == null) {
            throw new IllegalStateException(source + " has no TX_FRAUD column");
        }
        return labels[i];
    }

    public int frauds() {
        int f = 0;
        if (labels != null) {
            for (byte b : labels) {
                f += b;
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
        byte[] y = hasLabels() ? new byte[n] : null;
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
