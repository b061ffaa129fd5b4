package org.fraudscorer.scorer.server;

/**
 * The decisions (flagged or not) of the last {@code capacity} scored payments, by transaction id, so a label that
 * arrives days later can be matched with what the scorer decided. Fixed size, allocated once: an open-addressing
 * table of ids (linear probing, backward-shift deletion) over a ring that evicts the oldest decision first. Not
 * thread-safe: {@link ModelMonitoring} holds it under its lock.
 */
final class DecisionMemory {
    static final int UNKNOWN = -1;
    private final long[] ids;       // the ring, oldest at head once full
    private final boolean[] flags;
    private final long[] keys;      // the table: transaction id
    private final int[] slots;      // ring slot + 1; 0 = empty
    private final int mask;
    private int head;
    private int size;

    DecisionMemory(int capacity) {
        if (capacity < 1 || capacity > (1 << 28)) {
            throw new IllegalArgumentException("decisions remembered must be 1 to " + (1 << 28) + ", got " + capacity);
        }
        ids = new long[capacity];
        flags = new boolean[capacity];
        int table = Integer.highestOneBit(capacity * 2 - 1) << 1; // a power of two ≥ 2 × capacity: probes stay short
        keys = new long[table];
        slots = new int[table];
        mask = table - 1;
    }

    int capacity() {
        return ids.length;
    }

    /** Remembers a decision, evicting the oldest when full; a repeated id has its decision replaced. */
    void remember(long id, boolean flagged) {
        int at = find(id);
        if (at >= 0) {
            flags[slots[at] - 1] = flagged;
            return;
        }
        int slot;
        if (size == ids.length) {
            slot = head;
            int old = find(ids[slot]);
            if (old >= 0 && slots[old] == slot + 1) {
                delete(old);
            }
            head = (head + 1) % ids.length;
        } else {
            slot = (head + size) % ids.length;
            size++;
        }
        ids[slot] = id;
        flags[slot] = flagged;
        int i = hash(id);
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        keys[i] = id;
        slots[i] = slot + 1;
    }

    /** The decision for {@code id} (1 flagged, 0 not), forgotten once read; {@link #UNKNOWN} if not held. */
    int take(long id) {
        int at = find(id);
        if (at < 0) {
            return UNKNOWN;
        }
        boolean flagged = flags[slots[at] - 1];
        delete(at);
        return flagged ? 1 : 0;
    }

    private int find(long id) {
        for (int i = hash(id); slots[i] != 0; i = (i + 1) & mask) {
            if (keys[i] == id) {
                return i;
            }
        }
        return -1;
    }

    /** Backward-shift deletion: moves later entries of the probe run into the gap, so lookups stay correct. */
    private void delete(int gap) {
        slots[gap] = 0;
        for (int i = (gap + 1) & mask; slots[i] != 0; i = (i + 1) & mask) {
            int home = hash(keys[i]);
            // the entry at i may fill the gap if its home is not cyclically within (gap, i]
            if (((i - home) & mask) >= ((i - gap) & mask)) {
                keys[gap] = keys[i];
                slots[gap] = slots[i];
                slots[i] = 0;
                gap = i;
            }
        }
    }

    private int hash(long id) {
        long h = id * 0x9E3779B97F4A7C15L; // Fibonacci hashing: sequential ids spread over the table
        return (int) (h >>> 32) & mask;
    }
}
