package org.fraudscorer.scorer.topology;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.common.features.events.TerminalHistory;

/**
 * How the terminal stage keeps {@link TerminalHistory terminal histories} in its key-value store: each UTC day of a
 * terminal's payments as records of at most {@link #recordPayments} consecutive payments (13 bytes each), so that
 * no record grows with a terminal's traffic and a payment or a label rewrites only the records of its day from the
 * one that holds it. A terminal with fewer payments in a day than that (every terminal of the handbook's data)
 * has one record per day, as earlier versions wrote it.
 *
 * <p>Keys sort by terminal, then day, then record: the terminal id (8 bytes), the day (4 bytes, sign bit flipped),
 * and for the day's second and later records their index (4 bytes). The first record's key is the 12-byte one of
 * earlier versions, so their stores read unchanged. A terminal's record under its 8-byte id alone is the single-value
 * history of versions before those (format 1); it sorts before the terminal's days, and is replaced by day records
 * the first time the terminal is seen.
 *
 * <p>The records of a day line up with the payments held when every record but the last holds exactly
 * {@link #recordPayments} of them. A day whose records do not (written by an earlier version as one record, or with
 * another record size), or whose oldest payments the history has dropped since (their records still hold them), is
 * rewritten whole the next time it changes, and its surplus records are deleted. One instance per stream task,
 * holding what the last {@link #load} read.
 */
final class TerminalDays {
    /** 1,024 payments: 13 KiB, well under Kafka's 1 MiB record limit whatever the terminal's traffic. */
    static final int DEFAULT_RECORD_PAYMENTS = 1024;
    private static final int DAY_KEY_BYTES = 12;
    private static final int RECORD_KEY_BYTES = 16;
    private static final int RECORD_HEADER_BYTES = 17;
    private static final int PAYMENT_BYTES = 13;

    /** The store operations this layout uses; {@link #of(KeyValueStore)} for a Kafka Streams store. */
    interface Store {
        void put(Bytes key, byte[] value);

        void delete(Bytes key);

        /** Every record with from ≤ key ≤ to, in key order. */
        void range(Bytes from, Bytes to, BiConsumer<Bytes, byte[]> each);

        /** Every record, in any order. */
        void all(BiConsumer<Bytes, byte[]> each);
    }

    private final Store store;
    private final int recordPayments;
    /** The keys the last {@link #load} read, in key order. */
    private final List<Bytes> loaded = new ArrayList<>();
    /** The days of the last load whose records do not line up with {@link #recordPayments}. */
    private final Set<Long> misaligned = new HashSet<>();

    TerminalDays(Store store, int recordPayments) {
        if (recordPayments < 1) {
            throw new IllegalArgumentException("a terminal record must hold at least one payment, got " + recordPayments);
        }
        this.store = store;
        this.recordPayments = recordPayments;
    }

    static Store of(KeyValueStore<Bytes, byte[]> kv) {
        return new Store() {
            @Override
            public void put(Bytes key, byte[] value) {
                kv.put(key, value);
            }

            @Override
            public void delete(Bytes key) {
                kv.delete(key);
            }

            @Override
            public void range(Bytes from, Bytes to, BiConsumer<Bytes, byte[]> each) {
                try (KeyValueIterator<Bytes, byte[]> it = kv.range(from, to)) {
                    while (it.hasNext()) {
                        KeyValue<Bytes, byte[]> r = it.next();
                        each.accept(r.key, r.value);
                    }
                }
            }

            @Override
            public void all(BiConsumer<Bytes, byte[]> each) {
                try (KeyValueIterator<Bytes, byte[]> it = kv.all()) {
                    while (it.hasNext()) {
                        KeyValue<Bytes, byte[]> r = it.next();
                        each.accept(r.key, r.value);
                    }
                }
            }
        };
    }

    /** The key of a terminal's {@code record}-th record of one day (the first has the 12-byte key). */
    static Bytes key(long terminal, long day, int record) {
        ByteBuffer b = ByteBuffer.allocate(record == 0 ? DAY_KEY_BYTES : RECORD_KEY_BYTES).putLong(terminal)
                .putInt(Math.toIntExact(day) ^ Integer.MIN_VALUE);
        if (record > 0) {
            b.putInt(record);
        }
        return Bytes.wrap(b.array());
    }

    /** The key of a terminal's first (or only) record of one day. */
    static Bytes dayKey(long terminal, long day) {
        return key(terminal, day, 0);
    }

    /** The key of a terminal's single-value history, as earlier versions stored it. */
    static Bytes legacyKey(long terminal) {
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(terminal).array());
    }

    /** The greatest key a record of {@code terminal} can have. */
    private static Bytes lastKey(long terminal) {
        return Bytes.wrap(ByteBuffer.allocate(RECORD_KEY_BYTES).putLong(terminal).putLong(-1L).array());
    }

    /** The day of a day record's key. */
    static long dayOf(Bytes key) {
        return ByteBuffer.wrap(key.get()).getInt(Long.BYTES) ^ Integer.MIN_VALUE;
    }

    /** The index of a day record among its day's. */
    static int recordOf(Bytes key) {
        return key.get().length == RECORD_KEY_BYTES ? ByteBuffer.wrap(key.get()).getInt(DAY_KEY_BYTES) : 0;
    }

    private static boolean isLegacy(Bytes key) {
        return key.get().length == Long.BYTES;
    }

    /**
     * The terminal's history from its day records, or null if it has none. A single-value history of an earlier
     * version found instead is rewritten as day records first, unless it was built for another label delay (then it
     * is returned as it is, for the stage to refuse).
     *
     * @throws IllegalArgumentException if the records are damaged: unreadable, out of order, or a day's records not
     *                                  numbered 0, 1, 2… (the stage then drops the terminal's history)
     */
    TerminalHistory load(long terminal, int delayDays) {
        loaded.clear();
        misaligned.clear();
        List<byte[]> days = new ArrayList<>();
        byte[][] legacy = {null};
        store.range(legacyKey(terminal), lastKey(terminal), (key, value) -> {
            if (isLegacy(key)) {
                legacy[0] = value;
                return;
            }
            days.add(value);
            loaded.add(key);
        });
        if (legacy[0] == null) {
            checkRecords(terminal, days);
            return TerminalHistory.fromDays(days);
        }
        if (!days.isEmpty()) {
            // A rewrite interrupted (at-least-once, a crash before the single value's deletion): the changelog keeps
            // the writes in order, so the day records are a first part of it and the single value still holds all
            // of the history. The rewrite starts again from it.
            for (Bytes key : loaded) {
                store.delete(key);
            }
            loaded.clear();
        }
        TerminalHistory h = TerminalHistory.fromBytes(legacy[0]);
        if (h.delayDays() == delayDays) {
            for (long day : h.days()) {
                int records = writeDay(terminal, h, day, 0, Integer.MAX_VALUE);
                for (int r = 0; r < records; r++) {
                    loaded.add(key(terminal, day, r)); // as if read: save() deletes the days that expire
                }
            }
            store.delete(legacyKey(terminal));
        }
        h.clearChanged();
        return h;
    }

    /** Checks that each day's records are numbered 0, 1, 2…, and notes the days that do not line up. */
    private void checkRecords(long terminal, List<byte[]> values) {
        for (int i = 0; i < loaded.size(); i++) {
            Bytes key = loaded.get(i);
            long day = dayOf(key);
            boolean first = i == 0 || dayOf(loaded.get(i - 1)) != day;
            int expected = first ? 0 : recordOf(loaded.get(i - 1)) + 1;
            if (recordOf(key) != expected) {
                throw new IllegalArgumentException("terminal " + terminal + ", day " + day + ": record " + recordOf(key)
                        + " where record " + expected + " was expected");
            }
            boolean last = i == loaded.size() - 1 || dayOf(loaded.get(i + 1)) != day;
            long payments = (values.get(i).length - RECORD_HEADER_BYTES) / PAYMENT_BYTES;
            if (last ? payments < 1 || payments > recordPayments : payments != recordPayments) {
                misaligned.add(day);
            }
        }
    }

    /**
     * Stores what changed in the terminal's history since {@link #load} ({@link TerminalHistory#changedFrom()}), a
     * payment or a label of {@code day}, and deletes the records of days that no longer hold a payment of its window.
     */
    void save(long terminal, TerminalHistory h, long day) {
        if (h.changedFrom() >= 0) {
            if (h.dropped(day) || misaligned.contains(day)) {
                writeDay(terminal, h, day, 0, Integer.MAX_VALUE);
            } else {
                int first = h.firstOf(day);
                writeDay(terminal, h, day, Math.max(0, h.changedFrom() - first) / recordPayments,
                        Math.max(0, h.changedTo() - 1 - first) / recordPayments);
            }
            h.clearChanged();
        }
        long keep = HandbookFeatures.day(h.oldestTime());
        for (Bytes key : loaded) {
            if (dayOf(key) < keep) {
                store.delete(key);
            }
        }
    }

    /**
     * Writes the day's records from the {@code fromRecord}-th to the {@code toRecord}-th (or its last), and deletes
     * the loaded ones past its last; returns how many records the day has.
     */
    private int writeDay(long terminal, TerminalHistory h, long day, int fromRecord, int toRecord) {
        int first = h.firstOf(day);
        int end = h.endOf(day);
        int records = (end - first + recordPayments - 1) / recordPayments;
        for (int r = fromRecord; r < records && r <= toRecord; r++) {
            int from = first + r * recordPayments;
            store.put(key(terminal, day, r), h.dayRecord(day, from, Math.min(end, from + recordPayments)));
        }
        for (Bytes key : loaded) {
            if (dayOf(key) == day && recordOf(key) >= records) {
                store.delete(key);
            }
        }
        return records;
    }

    /** Deletes every record of the terminal. */
    void forget(long terminal) {
        List<Bytes> keys = new ArrayList<>();
        store.range(legacyKey(terminal), lastKey(terminal), (key, value) -> keys.add(key));
        keys.forEach(store::delete);
    }

    /** Deletes every day record of a day that ends before {@code cutoff}, and every older single-value history. */
    void sweep(long cutoff) {
        long lastExpiredDay = HandbookFeatures.day(cutoff) - 1;
        List<Bytes> expired = new ArrayList<>();
        store.all((key, value) -> {
            if (isLegacy(key) ? HistoryStage.newestOrExpired(value, v -> TerminalHistory.fromBytes(v).newestTime())
                    < cutoff : dayOf(key) <= lastExpiredDay) {
                expired.add(key);
            }
        });
        expired.forEach(store::delete);
    }
}
