package org.fraudscorer.scorer.topology;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Labels that reached the terminal stage before their payment, held in a store of the stage's task (keyed by terminal
 * and transaction id) until the payment comes ({@link TerminalStage}). An in-memory count of the held transaction ids,
 * rebuilt from the store when the task starts, spares the payments of a task that holds none (the usual case) and
 * those without a held label any store read.
 *
 * <p>A value is the payment's time (8 bytes), the verdict (1) and how many label records it stands for (4: a corrected
 * label replaces the held one, and each record is counted when the entry is settled). Values of 9 bytes (one record)
 * are read too. Not thread-safe: one per stream task.
 */
final class EarlyLabels {
    static final String STORE = "terminal-early-labels";
    /** The most labels held per task by default: beyond them a label is counted unmatched at once. */
    static final int DEFAULT_CAPACITY = 100_000;
    private static final int VALUE_BYTES = 13;

    private final KeyValueStore<Bytes, byte[]> store;
    private final int capacity;
    /** Held entries by transaction id (normally one each; ids may repeat across terminals). */
    private final Map<Long, Integer> held = new HashMap<>();
    private int size;

    /** A held label: its payment's time, the latest verdict, and the label records it stands for. */
    record Held(long time, boolean fraud, int records) {
    }

    EarlyLabels(KeyValueStore<Bytes, byte[]> store, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the early-label capacity must be ≥ 1, got " + capacity);
        }
        this.store = store;
        this.capacity = capacity;
        try (var all = store.all()) { // restored from its changelog when the task starts
            while (all.hasNext()) {
                add(ByteBuffer.wrap(all.next().key.get()).getLong(8));
            }
        }
    }

    int size() {
        return size;
    }

    /**
     * Holds the label of payment {@code id} at {@code terminal}, replacing one held for it (a correction: the later
     * label wins, and both records are counted when it is settled).
     *
     * @return false, holding nothing, when {@link #capacity} labels of other payments are held already
     */
    boolean hold(long terminal, long id, long time, boolean fraud) {
        Bytes key = key(terminal, id);
        Held before = parse(store.get(key));
        if (before == null && size >= capacity) {
            return false;
        }
        int records = before == null ? 1 : before.records() + 1;
        store.put(key, ByteBuffer.allocate(VALUE_BYTES).putLong(time).put((byte) (fraud ? 1 : 0)).putInt(records)
                .array());
        if (before == null) {
            add(id);
        }
        return true;
    }

    /** Removes and returns the label held for payment {@code id} at {@code terminal}, or null if none is. */
    Held take(long terminal, long id) {
        if (!held.containsKey(id)) {
            return null;
        }
        Bytes key = key(terminal, id);
        byte[] value = store.get(key);
        if (value == null) {
            return null; // the same id held at another terminal
        }
        store.delete(key);
        remove(id);
        Held h = parse(value);
        return h != null ? h : new Held(Long.MIN_VALUE, false, 1); // unreadable: settled as not matching
    }

    /**
     * Removes the labels whose payment is dated before {@code cutoff} (or unreadable): their payments would be too
     * old for the terminal histories now, so they are not coming.
     *
     * @return how many label records the removed entries stood for
     */
    int expire(long cutoff) {
        if (size == 0) {
            return 0;
        }
        List<Bytes> expired = new ArrayList<>();
        int records = 0;
        try (var all = store.all()) {
            while (all.hasNext()) {
                var e = all.next();
                Held h = parse(e.value);
                if (h == null || h.time() < cutoff) {
                    expired.add(e.key);
                    records += h == null ? 1 : h.records();
                }
            }
        }
        for (Bytes key : expired) {
            store.delete(key);
            remove(ByteBuffer.wrap(key.get()).getLong(8));
        }
        return records;
    }

    private void add(long id) {
        held.merge(id, 1, Integer::sum);
        size++;
    }

    private void remove(long id) {
        held.computeIfPresent(id, (k, n) -> n == 1 ? null : n - 1);
        size--;
    }

    private static Held parse(byte[] value) {
        if (value == null || (value.length != VALUE_BYTES && value.length != 9)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        return new Held(b.getLong(), b.get() == 1, value.length == 9 ? 1 : Math.max(1, b.getInt()));
    }

    private static Bytes key(long terminal, long id) {
        return Bytes.wrap(ByteBuffer.allocate(16).putLong(terminal).putLong(id).array());
    }
}
