package org.fraudscorer.scorer.topology;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.fraudscorer.common.features.events.CustomerHistory;

/**
 * What the card store holds for one card, in one record: its {@link CustomerHistory} and the payments it took lately
 * (transaction id, {@code TX_DATETIME}, input partition and offset), against duplicates ({@link CustomerStage}).
 * One record, so that under at-least-once a crash cannot keep one without the other, and the taken payments are
 * pruned on every update of the card and swept with it: no store of its own to scan.
 *
 * <p>Format 16: byte 16, int history length, the history's own bytes, int n, then n × (long id, long time, long
 * taken-at, int partition, long offset), in the order taken. Taken-at is the card's clock when it was taken (the later
 * of the payment's time and the card's newest payment then): entries leave by it, so a late payment is remembered
 * as long as one in time order. A record of the history alone (its format 1, as written before the duplicate
 * check) reads as a card with no taken payment.
 *
 * <p>Format 17, for a card a backfill stored history of: byte 17, then (longs) the id of the backfill run that stored
 * history for the card last, the span (first and last {@code TX_DATETIME}) the runs before it stored, its own span,
 * then format 16's fields after its byte. A card no backfill reached is still written as format 16, so a deployment
 * that never backfills writes what it wrote before.
 */
final class CardRecord {
    static final byte FORMAT = 16;
    static final byte FORMAT_BACKFILLED = 17;
    /** What format 17 puts between its byte and format 16's fields: run id, the earlier runs' span, the run's span. */
    static final int BACKFILL_BYTES = 5 * 8;
    static final int TAKEN_BYTES = 8 + 8 + 8 + 4 + 8;
    /** Format byte, history length, taken count. */
    static final int HEADER_BYTES = 1 + 4 + 4;

    final CustomerHistory history;
    private long[] ids;
    private long[] times;
    private long[] takenAt;
    private int[] partitions;
    private long[] offsets;
    private int size;
    /** The backfill run that last stored history for the card; 0: none did. */
    private long backfillRun;
    /** The span (epoch seconds) of the history the runs before {@link #backfillRun} stored; empty: from > through. */
    private long priorFrom = Long.MAX_VALUE;
    private long priorThrough = Long.MIN_VALUE;
    /** The span of the history {@link #backfillRun} stored. */
    private long runFrom;
    private long runThrough;

    private CardRecord(CustomerHistory history, int capacity) {
        this.history = history;
        int c = Math.max(4, capacity + 1);
        ids = new long[c];
        times = new long[c];
        takenAt = new long[c];
        partitions = new int[c];
        offsets = new long[c];
    }

    CardRecord() {
        this(new CustomerHistory(), 0);
    }

    /** A record of this history with nothing taken. */
    CardRecord(CustomerHistory history) {
        this(history, 0);
    }

    /** @throws IllegalArgumentException if the bytes are none of the formats */
    static CardRecord read(byte[] bytes) {
        int base = base(bytes);
        if (base < 0) {
            return new CardRecord(CustomerHistory.fromBytes(bytes), 0);
        }
        int historyLength = historyLength(bytes, base);
        int n = (bytes.length - base - HEADER_BYTES - historyLength) / TAKEN_BYTES;
        CardRecord r = new CardRecord(CustomerHistory.fromBytes(bytes, base + 1 + 4, historyLength), n);
        if (base > 0) {
            ByteBuffer b = ByteBuffer.wrap(bytes, 1, BACKFILL_BYTES);
            r.backfillRun = b.getLong();
            r.priorFrom = b.getLong();
            r.priorThrough = b.getLong();
            r.runFrom = b.getLong();
            r.runThrough = b.getLong();
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, base + HEADER_BYTES + historyLength, n * TAKEN_BYTES);
        for (int i = 0; i < n; i++) {
            r.ids[i] = b.getLong();
            r.times[i] = b.getLong();
            r.takenAt[i] = b.getLong();
            r.partitions[i] = b.getInt();
            r.offsets[i] = b.getLong();
        }
        r.size = n;
        return r;
    }

    /**
     * Where format 16's fields start, less its byte: 0 for format 16, {@link #BACKFILL_BYTES} for format 17, −1 for a
     * record of the history alone.
     */
    private static int base(byte[] bytes) {
        if (bytes.length == 0) {
            return -1;
        }
        return bytes[0] == FORMAT ? 0 : bytes[0] == FORMAT_BACKFILLED ? BACKFILL_BYTES : -1;
    }

    /**
     * The length of a format-16 or 17 record's history, the record's layout checked (history length, taken count and
     * size): what {@link #read} and {@link #newestTime} both read first.
     */
    private static int historyLength(byte[] bytes, int base) {
        if (bytes.length < base + HEADER_BYTES) {
            throw new IllegalArgumentException("card record truncated");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int historyLength = b.getInt(base + 1);
        if (historyLength < 0 || historyLength > bytes.length - base - HEADER_BYTES) {
            throw new IllegalArgumentException("card record: history of " + historyLength + " bytes in a record of "
                    + bytes.length);
        }
        int n = b.getInt(base + 1 + 4 + historyLength);
        if (n < 0 || (long) n * TAKEN_BYTES != bytes.length - base - HEADER_BYTES - historyLength) {
            throw new IllegalArgumentException("card record: " + n + " taken payments need " + (long) n * TAKEN_BYTES
                    + " bytes, got " + (bytes.length - base - HEADER_BYTES - historyLength));
        }
        return historyLength;
    }

    /**
     * The newest payment time of a stored record, for the store's sweep: what {@code read(bytes).history.newestTime()}
     * gives, from the record's and the history's headers and the history's last entry only (a sweep asks it of every
     * card of the task): the record's layout is checked, the entries between are not.
     *
     * @throws IllegalArgumentException if the bytes are neither format
     */
    static long newestTime(byte[] bytes) {
        int base = base(bytes);
        if (base < 0) {
            return CustomerHistory.newestTime(bytes, 0, bytes.length);
        }
        return CustomerHistory.newestTime(bytes, base + 1 + 4, historyLength(bytes, base));
    }

    byte[] toBytes() {
        int h = history.byteLength();
        int base = backfillRun == 0 ? 0 : BACKFILL_BYTES;
        ByteBuffer b = ByteBuffer.allocate(base + HEADER_BYTES + h + size * TAKEN_BYTES);
        if (backfillRun == 0) {
            b.put(FORMAT);
        } else {
            b.put(FORMAT_BACKFILLED).putLong(backfillRun).putLong(priorFrom).putLong(priorThrough).putLong(runFrom)
                    .putLong(runThrough);
        }
        b.putInt(h);
        history.writeTo(b);
        b.putInt(size);
        for (int i = 0; i < size; i++) {
            b.putLong(ids[i]).putLong(times[i]).putLong(takenAt[i]).putInt(partitions[i]).putLong(offsets[i]);
        }
        return b.array();
    }

    /**
     * True when a history payment of backfill run {@code run} at {@code time} falls in the span of history another run
     * stored for this card ({@link #storedSpan}): a backfill repeated or resumed over days sent before. A run's
     * payments of one card come in time order (keyed by card, one partition), so its own are never refused; a payment
     * at the very second a stopped run's span ends, that the stopped run had not sent yet, is.
     */
    boolean storedByAnotherRun(long run, long time) {
        long[] span = storedSpan(run);
        return time >= span[0] && time <= span[1];
    }

    /**
     * The span of history runs other than {@code run} stored for this card, from the first to the last payment (any
     * days between included), as {first, last}; from > last when none did. Of the run that stored history last, the
     * runs before it; of another run, every run.
     */
    long[] storedSpan(long run) {
        if (backfillRun == 0) {
            return new long[] {Long.MAX_VALUE, Long.MIN_VALUE};
        }
        return run == backfillRun ? new long[] {priorFrom, priorThrough}
                : new long[] {Math.min(priorFrom, runFrom), Math.max(priorThrough, runThrough)};
    }

    /** Notes that backfill run {@code run} stored a history payment at {@code time}. */
    void storedByRun(long run, long time) {
        if (run == backfillRun) {
            runFrom = Math.min(runFrom, time);
            runThrough = Math.max(runThrough, time);
            return;
        }
        if (backfillRun != 0) { // a new run: the last one's span joins the earlier runs'
            priorFrom = Math.min(priorFrom, runFrom);
            priorThrough = Math.max(priorThrough, runThrough);
        }
        backfillRun = run;
        runFrom = time;
        runThrough = time;
    }

    int takenCount() {
        return size;
    }

    /** The index of the newest taken payment with this id, or −1. */
    int find(long id) {
        for (int i = size - 1; i >= 0; i--) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The taken payment a payment of this id, time and origin is a copy of: one from the same input record first
     * (processed again), else the newest with the id and a time within {@code windowSeconds} of {@code time}; −1
     * if none.
     */
    int match(long id, long time, int partition, long offset, long windowSeconds) {
        int within = -1;
        for (int i = size - 1; i >= 0; i--) {
            if (ids[i] != id || Math.abs(times[i] - time) > windowSeconds) {
                continue;
            }
            if (partitions[i] == partition && offsets[i] == offset) {
                return i;
            }
            within = within < 0 ? i : within;
        }
        return within;
    }

    long takenTime(int i) {
        return times[i];
    }

    int takenPartition(int i) {
        return partitions[i];
    }

    long takenOffset(int i) {
        return offsets[i];
    }

    /** @param clock the card's newest payment time before this one (the entry leaves by the later of the two) */
    void take(long id, long time, long clock, int partition, long offset) {
        if (size == ids.length) {
            int c = size + (size >> 1) + 1;
            ids = Arrays.copyOf(ids, c);
            times = Arrays.copyOf(times, c);
            takenAt = Arrays.copyOf(takenAt, c);
            partitions = Arrays.copyOf(partitions, c);
            offsets = Arrays.copyOf(offsets, c);
        }
        ids[size] = id;
        times[size] = time;
        takenAt[size] = Math.max(time, clock);
        partitions[size] = partition;
        offsets[size] = offset;
        size++;
    }

    /**
     * Keeps the taken payments taken at or after {@code cutoff} (card clock), at most the last {@code max} of them;
     * returns how many the bound {@code max} dropped.
     */
    int pruneTaken(long cutoff, int max) {
        int first = 0; // entries are nearly always in taken-at order: skip those to keep without copying them
        while (first < size && takenAt[first] >= cutoff) {
            first++;
        }
        int kept = first;
        for (int i = first; i < size; i++) {
            if (takenAt[i] >= cutoff) {
                ids[kept] = ids[i];
                times[kept] = times[i];
                takenAt[kept] = takenAt[i];
                partitions[kept] = partitions[i];
                offsets[kept] = offsets[i];
                kept++;
            }
        }
        int drop = Math.max(0, kept - Math.max(0, max));
        if (drop > 0) {
            System.arraycopy(ids, drop, ids, 0, kept - drop);
            System.arraycopy(times, drop, times, 0, kept - drop);
            System.arraycopy(takenAt, drop, takenAt, 0, kept - drop);
            System.arraycopy(partitions, drop, partitions, 0, kept - drop);
            System.arraycopy(offsets, drop, offsets, 0, kept - drop);
        }
        size = kept - drop;
        return drop;
    }
}
