package org.fraudscorer.common.features.events;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One card's payments of the last 30 days as (time, amount), sorted by time: enough to compute the handbook's
 * exact rolling windows (counts and mean amounts over 1, 7 and 30 days) for the next payment, and any other card
 * feature of those 30 days ({@code handbook-v2}'s amount profile, {@link #profile}). A card feature sees no further
 * back (below: a day's grace beyond), offline as in the scorer's card store.
 *
 * <p>Why per-payment entries rather than daily buckets: the handbook's windows roll on timestamps (a payment at
 * 23:59 yesterday is inside today's 1-day window at 10:00 only if it was less than 24 h ago); daily buckets
 * would shift counts by up to a day. The cost is memory proportional to the card's activity.
 *
 * <p>Memory bound: 16 bytes per payment of the last 30 days in memory (arrays grow by half), 12 bytes per
 * payment in {@link #toBytes()} plus a 13-byte header. A handbook card makes at most a few payments a day
 * (about 100 in 30 days: ~1.2 KB); a card paying every minute for 30 days would need 520 KB, which is why the
 * scorer should treat such velocity as an anomaly upstream. Entries older than the newest payment minus 30 days and
 * {@linkplain HandbookFeatures#LATE_GRACE a day's grace} are dropped on every {@link #observe}.
 *
 * <p>Not thread-safe: one instance per key, updated by one stream task.
 */
public final class CustomerHistory {
    private static final byte FORMAT = 1;
    private static final int ENTRY_BYTES = 12;
    private static final int HEADER_BYTES = 13;
    private static final long HORIZON = HandbookFeatures.CARD_HORIZON;

    private long[] times;
    private double[] amounts;
    private int size;

    /**
     * Working space for the median in {@link #profile}, owned by the caller (one per feature engine or stream
     * processor), grown to the largest window seen: the scorer reads a history from bytes for every payment, so a
     * buffer inside the history would be a new array per payment.
     */
    public static final class Scratch {
        private double[] values = new double[64];

        double[] atLeast(int n) {
            if (values.length < n) {
                values = new double[Math.max(n, values.length * 2)];
            }
            return values;
        }
    }

    public CustomerHistory() {
        this(4);
    }

    private CustomerHistory(int capacity) {
        times = new long[Math.max(1, capacity)];
        amounts = new double[Math.max(1, capacity)];
    }

    /**
     * Adds a payment and writes its six customer features at {@code out[offset..offset+5]}: for 1, 7 and 30 days,
     * the number of payments in (t − w, t] and their mean amount. The payment itself is included, so counts are ≥ 1.
     * A payment older than the stored ones (out of order) is inserted in place and only counts earlier payments.
     */
    public void observe(long time, double amount, double[] out, int offset) {
        insert(time, amount);
        prune(times[size - 1] - HORIZON - HandbookFeatures.LATE_GRACE);
        int end = upperBound(time); // entries [0, end) have time ≤ t
        int[] w = HandbookFeatures.WINDOW_DAYS;
        int k = 0;
        int count = 0;
        double sum = 0;
        // Walk back from the newest entry, closing each window as soon as an entry falls out of it.
        for (int i = end - 1; i >= -1 && k < w.length; ) {
            long from = time - w[k] * HandbookFeatures.DAY;
            if (i >= 0 && times[i] > from) {
                count++;
                sum += amounts[i];
                i--;
            } else {
                out[offset + 2 * k] = count;
                out[offset + 2 * k + 1] = count == 0 ? 0 : sum / count;
                k++;
            }
        }
    }

    /** How far before the newest payment a payment may be and still be held (and counted) by {@link #observe}. */
    public static final long KEPT_SECONDS = HORIZON + HandbookFeatures.LATE_GRACE;

    /**
     * Whether a payment at {@code time} is too old for this history: {@link #observe} would drop it at once, with the
     * windows it would count, and write counts of 0, which no payment has.
     */
    public boolean tooLate(long time) {
        return size > 0 && time <= times[size - 1] - KEPT_SECONDS;
    }

    /**
     * The card's amount profile ({@code handbook-v2}) for a payment just {@linkplain #observe observed}: from the
     * card's previous payments with time in (t − 30 days, t] (the payment itself left out; payments at the same
     * second that arrived before it count), writes at {@code out[offset..offset+1]} the amount over their median and
     * the amount over their maximum. Denominators are at least 1 (a currency unit) and ratios are capped at
     * {@link HandbookFeatures#PROFILE_CAP}; a card without previous payments gets 1 and 1 ("nothing unusual is
     * known"). Why: the handbook's leaked-card frauds multiply a card's usual amount, which the 15 features show
     * only as the amount and the window means side by side; the median is the card's usual amount even when some
     * earlier payments were such frauds, the maximum says whether the card ever paid that much.
     *
     * <p>Must follow {@link #observe} of the same payment (it relies on that payment being held).
     */
    public void profile(long time, double amount, double[] out, int offset, Scratch scratch) {
        int end = upperBound(time); // the payment itself is at end - 1 (after earlier equal times)
        int start = Math.min(upperBound(time - HORIZON), end - 1); // first payment inside (t − 30 days, t]
        int n = end - 1 - start;
        if (n <= 0) {
            out[offset] = 1;
            out[offset + 1] = 1;
            return;
        }
        double[] sorted = scratch.atLeast(n);
        System.arraycopy(amounts, start, sorted, 0, n);
        Arrays.sort(sorted, 0, n);
        double median = (n & 1) == 1 ? sorted[n >> 1] : (sorted[(n >> 1) - 1] + sorted[n >> 1]) / 2;
        double max = sorted[n - 1];
        double cap = HandbookFeatures.PROFILE_CAP;
        out[offset] = Math.min(cap, amount / Math.max(median, 1));
        out[offset + 1] = Math.min(cap, amount / Math.max(max, 1));
    }

    public int size() {
        return size;
    }

    /**
     * Removes one held payment of exactly this time and amount, if there is one (a payment processed again, whose
     * first pass is already held: observing it again then gives the features of its first pass); returns whether one
     * was.
     */
    public boolean removeOne(long time, double amount) {
        for (int i = upperBound(time) - 1; i >= 0 && times[i] == time; i--) {
            if (Double.compare(amounts[i], amount) == 0) {
                System.arraycopy(times, i + 1, times, i, size - i - 1);
                System.arraycopy(amounts, i + 1, amounts, i, size - i - 1);
                size--;
                return true;
            }
        }
        return false;
    }

    /** The most payments a history of at most {@code bytes} serialised bytes ({@link #toBytes()}) holds. */
    public static int entriesFitting(int bytes) {
        return Math.max(1, (bytes - HEADER_BYTES) / ENTRY_BYTES);
    }

    /**
     * Keeps only the newest {@code n} payments (the scorer's bound on one card's stored history: what a changelog
     * record can carry); returns how many were dropped. The card's later windows then count fewer payments.
     */
    public int keepNewest(int n) {
        return dropOldest(size - Math.max(0, n));
    }

    /** Time of the newest payment held, or {@link Long#MIN_VALUE} when empty: a store sweeps expired histories by it. */
    public long newestTime() {
        return size == 0 ? Long.MIN_VALUE : times[size - 1];
    }

    private void insert(long time, double amount) {
        if (size == times.length) {
            int cap = size + (size >> 1) + 1;
            times = Arrays.copyOf(times, cap);
            amounts = Arrays.copyOf(amounts, cap);
        }
        int at = upperBound(time); // after equal times: arrival order among ties
        System.arraycopy(times, at, times, at + 1, size - at);
        System.arraycopy(amounts, at, amounts, at + 1, size - at);
        times[at] = time;
        amounts[at] = amount;
        size++;
    }

    /** Drops entries with time ≤ {@code cutoff}: no window of a later payment can reach them. */
    private void prune(long cutoff) {
        dropOldest(upperBound(cutoff));
    }

    /** Drops the {@code n} oldest entries (none if n ≤ 0); returns how many were dropped. */
    private int dropOldest(int n) {
        if (n <= 0) {
            return 0;
        }
        System.arraycopy(times, n, times, 0, size - n);
        System.arraycopy(amounts, n, amounts, 0, size - n);
        size -= n;
        return n;
    }

    /** First index whose time is > t. */
    private int upperBound(long t) {
        return SortedTimes.upperBound(times, size, t);
    }

    /**
     * Format 1: byte 1, int n, long base time (absent when n = 0), then n × (int seconds after base, double
     * amount), big-endian. The base is the oldest entry, so offsets fit an int (≤ 30 days).
     */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(byteLength());
        writeTo(b);
        return b.array();
    }

    /** The length of {@link #toBytes()}. */
    public int byteLength() {
        return size == 0 ? 5 : HEADER_BYTES + size * ENTRY_BYTES;
    }

    /** Writes {@link #toBytes()} at {@code b}'s position ({@link #byteLength()} bytes), for a record that embeds it. */
    public void writeTo(ByteBuffer b) {
        b.put(FORMAT).putInt(size);
        if (size > 0) {
            long base = times[0];
            b.putLong(base);
            for (int i = 0; i < size; i++) {
                b.putInt(Math.toIntExact(times[i] - base)).putDouble(amounts[i]);
            }
        }
    }

    /**
     * The newest payment time of the format-1 history at {@code bytes[offset, offset + length)}, as
     * {@link #newestTime()} of {@link #fromBytes} would give, reading only its header and last entry: a store's sweep
     * asks it of every record. The entries between are not checked (the next update of the card reads them all).
     *
     * @throws IllegalArgumentException if the header or the length are not a format-1 history's
     */
    public static long newestTime(byte[] bytes, int offset, int length) {
        int n = entries(bytes, offset, length);
        if (n == 0) {
            return Long.MIN_VALUE;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return b.getLong(offset + 5) + b.getInt(offset + HEADER_BYTES + (n - 1) * ENTRY_BYTES);
    }

    /**
     * The entry count of the format-1 history at {@code bytes[offset, offset + length)}, its header and length
     * checked: what {@link #fromBytes} and {@link #newestTime(byte[], int, int)} both read first.
     */
    private static int entries(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 5 || offset > bytes.length - length || bytes[offset] != FORMAT) {
            throw new IllegalArgumentException("not a customer history (format " + FORMAT + ")");
        }
        int n = ByteBuffer.wrap(bytes).getInt(offset + 1);
        long expected = n == 0 ? 5 : HEADER_BYTES + (long) n * ENTRY_BYTES;
        if (n < 0 || length != expected) {
            throw new IllegalArgumentException("customer history of " + n + " entries needs " + expected
                    + " bytes, got " + length);
        }
        return n;
    }

    /** @throws IllegalArgumentException if the bytes are not a format-1 customer history */
    public static CustomerHistory fromBytes(byte[] bytes) {
        return fromBytes(bytes, 0, bytes.length);
    }

    /**
     * The format-1 history at {@code bytes[offset, offset + length)}, read where it sits (a card record holds one
     * inside it: no copy).
     *
     * @throws IllegalArgumentException if those bytes are not a format-1 customer history
     */
    public static CustomerHistory fromBytes(byte[] bytes, int offset, int length) {
        int n = entries(bytes, offset, length);
        ByteBuffer b = ByteBuffer.wrap(bytes, offset + 5, length - 5);
        CustomerHistory h = new CustomerHistory(n);
        if (n > 0) {
            long base = b.getLong();
            long prev = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                long t = base + b.getInt();
                double a = b.getDouble();
                if (t < prev || !(a >= 0) || Double.isInfinite(a)) {
                    throw new IllegalArgumentException("customer history entry " + i + " is out of order or has amount " + a);
                }
                h.times[i] = t;
                h.amounts[i] = a;
                prev = t;
            }
            h.size = n;
        }
        return h;
    }
}
