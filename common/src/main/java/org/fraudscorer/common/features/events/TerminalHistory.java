package org.fraudscorer.common.features.events;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One terminal's payments of the last (delay + 30) days as (time, transaction id, label), sorted by time: enough
 * for the handbook's delayed windows, the number of payments and the fraud rate over (t − d − w, t − d].
 *
 * <p>Labels arrive separately ({@link #label}), as feedback some time after the payment. A payment in a window
 * whose label has not arrived counts as genuine: with no chargeback by then, the bank treats it as genuine. In an
 * offline replay where every label arrives exactly {@code delay} after its payment, every payment in a window is
 * labelled, so the features equal the handbook's.
 *
 * <p>Stored by day: a key-value store keeps a terminal's payments of one UTC day in one record, or for a busy
 * terminal in several records of consecutive payments of the day ({@link #dayRecord}, 13 bytes per payment), and
 * {@link #fromDays} puts them back together. A payment or a label rewrites only the records of its own day that
 * hold what changed ({@link #changedFrom}, {@link #changedTo}): each record's size is the store's choice, not the
 * day's or the window's payments, and a payment in time order rewrites only its day's last record. Reading is the whole window, as the features need
 * it. The older single-value form ({@link #toBytes()}, format 1) is still read, to migrate stores written before.
 *
 * <p>Memory: 17 bytes per payment of the last (delay + 30) days.
 *
 * <p>Not thread-safe: one instance per key, updated by one stream task.
 */
public final class TerminalHistory {
    public static final byte UNKNOWN = -1;
    private static final byte FORMAT = 1;
    private static final byte DAY_FORMAT = 2;
    private static final int ENTRY_BYTES = 13;
    private static final int HEADER_BYTES = 13;
    private static final int DAY_HEADER_BYTES = 17;

    private final long delay;
    private final long horizon;
    private long[] times;
    private long[] ids;
    private byte[] labels;
    private int size;
    /** The payments inserted or marked (or moved by an insert) since built or {@link #clearChanged()}: [from, to). */
    private int changedFrom = -1;
    private int changedTo = -1;
    /** Time of the newest payment this instance dropped, or {@link Long#MIN_VALUE}: see {@link #dropped}. */
    private long lastDroppedTime = Long.MIN_VALUE;

    /** @param delayDays days before a label is known; the windows end that many days before the payment */
    public TerminalHistory(int delayDays) {
        this(delayDays, 4);
    }

    private TerminalHistory(int delayDays, int capacity) {
        if (delayDays < 0) {
            throw new IllegalArgumentException("delay must be ≥ 0 days, got " + delayDays);
        }
        this.delay = delayDays * HandbookFeatures.DAY;
        this.horizon = HandbookFeatures.terminalHorizon(delayDays);
        times = new long[Math.max(1, capacity)];
        ids = new long[Math.max(1, capacity)];
        labels = new byte[Math.max(1, capacity)];
    }

    /** How far before the newest payment a payment may be and still have its windows held: delay + 30 days + a day. */
    public long keptSeconds() {
        return horizon + HandbookFeatures.LATE_GRACE;
    }

    /**
     * Whether a payment at {@code time} is too old for this history: the payments of its windows, ending the label
     * delay before it, are no longer held, so its terminal features would count nothing.
     */
    public boolean tooLate(long time) {
        return size > 0 && time <= times[size - 1] - keptSeconds();
    }

    /**
     * Writes the six terminal features of a payment at {@code time} at {@code out[offset..offset+5]} (for 1, 7 and
     * 30 days: count in (t − d − w, t − d] and fraud rate, 0 when the count is 0), then records the payment with
     * an unknown label.
     */
    public void observe(long time, long transactionId, double[] out, int offset) {
        int end = upperBound(time - delay); // entries [0, end) have time ≤ t − d
        int[] w = HandbookFeatures.WINDOW_DAYS;
        int k = 0;
        int count = 0;
        int frauds = 0;
        for (int i = end - 1; i >= -1 && k < w.length; ) {
            long from = time - delay - w[k] * HandbookFeatures.DAY;
            if (i >= 0 && times[i] > from) {
                count++;
                frauds += labels[i] == 1 ? 1 : 0;
                i--;
            } else {
                out[offset + 2 * k] = count;
                out[offset + 2 * k + 1] = count == 0 ? 0 : (double) frauds / count;
                k++;
            }
        }
        insert(time, transactionId);
        prune(times[size - 1] - horizon - HandbookFeatures.LATE_GRACE);
    }

    /**
     * Records the label of an earlier payment of this terminal.
     *
     * @return false if the payment is not (or no longer) held: unknown, or older than delay + 30 days and a day's
     *         grace before the newest payment
     */
    public boolean label(long time, long transactionId, boolean fraud) {
        for (int i = upperBound(time) - 1; i >= 0 && times[i] == time; i--) {
            if (ids[i] == transactionId) {
                labels[i] = (byte) (fraud ? 1 : 0);
                changed(i, i + 1);
                return true;
            }
        }
        return false;
    }

    public int size() {
        return size;
    }

    /**
     * The lowest index, as held now, of a payment that {@link #observe} inserted or {@link #label} marked since this
     * history was built or {@link #clearChanged()}: a store that keeps the payments in order rewrites from there to
     * {@link #changedTo()}. −1 if there was none; 0 when a changed payment was dropped since (older than the window).
     */
    public int changedFrom() {
        return changedFrom;
    }

    /**
     * The index after the last payment changed since built or {@link #clearChanged()}: a label changes its payment
     * only, an insert moves every later payment up by one, so it reaches the end. −1 if there was no change.
     */
    public int changedTo() {
        return changedTo;
    }

    /** Forgets the changes {@link #changedFrom()} reports: the store has them. */
    public void clearChanged() {
        changedFrom = -1;
        changedTo = -1;
    }

    private void changed(int from, int to) {
        changedFrom = changedFrom < 0 ? from : Math.min(changedFrom, from);
        changedTo = Math.max(changedTo, to);
    }

    /**
     * Whether this instance dropped payments of {@code day} (or later days) since it was built: a store's record of
     * that day may still hold them ({@link #fromDays} leaves them out on reading), so the day's records held no longer
     * line up with the stored ones, and a rewrite of the day must rewrite all of it.
     */
    public boolean dropped(long day) {
        return lastDroppedTime != Long.MIN_VALUE && HandbookFeatures.day(lastDroppedTime) >= day;
    }

    /** Index of the first payment held of {@code day} (or of the first later one, or {@link #size()}). */
    public int firstOf(long day) {
        return SortedTimes.upperBound(times, size, day * HandbookFeatures.DAY - 1);
    }

    /** Index after the last payment held of {@code day}. */
    public int endOf(long day) {
        return firstOf(day + 1);
    }

    /** Time of the oldest payment held, or {@link Long#MAX_VALUE} when empty. */
    public long oldestTime() {
        return size == 0 ? Long.MAX_VALUE : times[0];
    }

    /** Time of the newest payment held, or {@link Long#MIN_VALUE} when empty: a store sweeps expired histories by it. */
    public long newestTime() {
        return size == 0 ? Long.MIN_VALUE : times[size - 1];
    }

    public int delayDays() {
        return (int) (delay / HandbookFeatures.DAY);
    }

    private void insert(long time, long id) {
        if (size == times.length) {
            int cap = size + (size >> 1) + 1;
            times = Arrays.copyOf(times, cap);
            ids = Arrays.copyOf(ids, cap);
            labels = Arrays.copyOf(labels, cap);
        }
        int at = upperBound(time);
        System.arraycopy(times, at, times, at + 1, size - at);
        System.arraycopy(ids, at, ids, at + 1, size - at);
        System.arraycopy(labels, at, labels, at + 1, size - at);
        times[at] = time;
        ids[at] = id;
        labels[at] = UNKNOWN;
        size++;
        changed(at, size); // the payments after it moved up by one
    }

    /** Drops entries with time ≤ {@code cutoff}: no later payment's window reaches them. */
    private void prune(long cutoff) {
        int drop = upperBound(cutoff);
        if (drop > 0) {
            lastDroppedTime = Math.max(lastDroppedTime, times[drop - 1]);
            if (changedFrom >= 0) {
                changedFrom = Math.max(0, changedFrom - drop);
                changedTo = Math.max(0, changedTo - drop);
            }
            System.arraycopy(times, drop, times, 0, size - drop);
            System.arraycopy(ids, drop, ids, 0, size - drop);
            System.arraycopy(labels, drop, labels, 0, size - drop);
            size -= drop;
        }
    }

    /** First index whose time is > t. */
    private int upperBound(long t) {
        return SortedTimes.upperBound(times, size, t);
    }

    /** The days that hold at least one payment, ascending. */
    public long[] days() {
        return Arrays.stream(times, 0, size).map(HandbookFeatures::day).distinct().toArray();
    }

    /**
     * The payments held of one UTC day ({@link HandbookFeatures#day}), as a store keeps them. Format 2: byte 2, int delay days, long
     * day, int n, then n × (int seconds into the day, long transaction id, byte label −1/0/1), big-endian. A day with
     * no payment held has n = 0.
     */
    public byte[] dayBytes(long day) {
        return dayRecord(day, firstOf(day), endOf(day));
    }

    /**
     * The label delay, in days, that a stored terminal record (a single-value history or a day record) was built for;
     * -1 when the bytes are neither (a tombstone's null included). For a check before a scorer starts: its model's
     * delay must be the stores'.
     */
    public static int delayDaysOf(byte[] record) {
        return record != null && record.length >= 5 && (record[0] == FORMAT || record[0] == DAY_FORMAT)
                ? ByteBuffer.wrap(record).getInt(1) : -1;
    }

    /**
     * A record of consecutive payments of one day, held at indices [{@code from}, {@code to}), in the format of
     * {@link #dayBytes}: a busy terminal's day is stored as several of them, which {@link #fromDays} reads in order.
     *
     * @throws IllegalArgumentException if the range is not within the payments held of {@code day}
     */
    public byte[] dayRecord(long day, int from, int to) {
        if (from < firstOf(day) || to > endOf(day) || from > to) {
            throw new IllegalArgumentException("payments [" + from + ", " + to + ") are not all of day " + day);
        }
        long start = day * HandbookFeatures.DAY;
        ByteBuffer b = ByteBuffer.allocate(DAY_HEADER_BYTES + (to - from) * ENTRY_BYTES);
        b.put(DAY_FORMAT).putInt(delayDays()).putLong(day).putInt(to - from);
        for (int i = from; i < to; i++) {
            b.putInt((int) (times[i] - start)).putLong(ids[i]).put(labels[i]);
        }
        return b.array();
    }

    /**
     * The history held in day records ({@link #dayBytes}, or several {@link #dayRecord}s of one day in the order of
     * their payments), given in ascending day order, with what lies before the window of its newest payment dropped,
     * exactly as the history that wrote them holds it: a record may still hold payments its history has dropped since
     * (the store rewrites only the day of each change); those count as {@link #dropped}.
     *
     * @return null if there are no records
     * @throws IllegalArgumentException if a record is not a day record, the days (or one day's payments across its
     *                                  records) are not in order, or the records disagree on the label delay
     */
    public static TerminalHistory fromDays(java.util.List<byte[]> records) {
        if (records.isEmpty()) {
            return null;
        }
        int total = 0;
        for (byte[] r : records) {
            total += dayEntries(r);
        }
        TerminalHistory h = null;
        long lastDay = Long.MIN_VALUE;
        long prev = -1;
        for (byte[] r : records) {
            ByteBuffer b = ByteBuffer.wrap(r);
            b.get();
            int delayDays = b.getInt();
            long day = b.getLong();
            int n = b.getInt();
            if (h == null) {
                h = new TerminalHistory(delayDays, total);
            } else if (delayDays != h.delayDays()) {
                throw new IllegalArgumentException("terminal day records disagree on the label delay: " + h.delayDays()
                        + " and " + delayDays + " days");
            }
            if (day < lastDay) {
                throw new IllegalArgumentException("terminal day records out of order: day " + day + " after " + lastDay);
            }
            if (day > lastDay) {
                prev = -1; // a new day; the same day's next record continues where the last one ended
            }
            lastDay = day;
            long start = day * HandbookFeatures.DAY;
            for (int i = 0; i < n; i++) {
                int seconds = b.getInt();
                long id = b.getLong();
                byte label = b.get();
                if (seconds < prev || seconds >= HandbookFeatures.DAY || label < -1 || label > 1) {
                    throw new IllegalArgumentException("terminal day record " + day + ", entry " + i
                            + ": out of order or outside its day, or label " + label);
                }
                prev = seconds;
                h.times[h.size] = start + seconds;
                h.ids[h.size] = id;
                h.labels[h.size] = label;
                h.size++;
            }
        }
        if (h.size > 0) {
            h.prune(h.times[h.size - 1] - h.horizon - HandbookFeatures.LATE_GRACE);
        }
        return h;
    }

    /** The number of payments in a day record, after checking its header and length. */
    private static int dayEntries(byte[] r) {
        if (r.length < DAY_HEADER_BYTES || r[0] != DAY_FORMAT) {
            throw new IllegalArgumentException("not a terminal day record (format " + DAY_FORMAT + ")");
        }
        ByteBuffer b = ByteBuffer.wrap(r);
        int delayDays = b.getInt(1);
        int n = b.getInt(13);
        if (delayDays < 0 || n < 0 || r.length != DAY_HEADER_BYTES + (long) n * ENTRY_BYTES) {
            throw new IllegalArgumentException("terminal day record of " + n + " entries has " + r.length + " bytes");
        }
        return n;
    }

    /**
     * Format 1: byte 1, int delay days, int n, long base time (absent when n = 0), then n × (int seconds after
     * base, long transaction id, byte label −1/0/1), big-endian.
     */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(size == 0 ? 9 : HEADER_BYTES + 4 + size * ENTRY_BYTES);
        b.put(FORMAT).putInt(delayDays()).putInt(size);
        if (size > 0) {
            long base = times[0];
            b.putLong(base);
            for (int i = 0; i < size; i++) {
                b.putInt(Math.toIntExact(times[i] - base)).putLong(ids[i]).put(labels[i]);
            }
        }
        return b.array();
    }

    /** @throws IllegalArgumentException if the bytes are not a format-1 terminal history */
    public static TerminalHistory fromBytes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (bytes.length < 9 || b.get() != FORMAT) {
            throw new IllegalArgumentException("not a terminal history (format " + FORMAT + ")");
        }
        int delayDays = b.getInt();
        int n = b.getInt();
        long expected = n == 0 ? 9 : HEADER_BYTES + 4 + (long) n * ENTRY_BYTES;
        if (n < 0 || delayDays < 0 || bytes.length != expected) {
            throw new IllegalArgumentException("terminal history of " + n + " entries needs " + expected
                    + " bytes, got " + bytes.length);
        }
        TerminalHistory h = new TerminalHistory(delayDays, n);
        if (n > 0) {
            long base = b.getLong();
            long prev = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                long t = base + b.getInt();
                long id = b.getLong();
                byte label = b.get();
                if (t < prev || label < -1 || label > 1) {
                    throw new IllegalArgumentException("terminal history entry " + i + " is out of order or has label "
                            + label);
                }
                h.times[i] = t;
                h.ids[i] = id;
                h.labels[i] = label;
                prev = t;
            }
            h.size = n;
        }
        return h;
    }
}
