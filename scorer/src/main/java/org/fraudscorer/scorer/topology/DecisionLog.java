package org.fraudscorer.scorer.topology;

/**
 * The decision pairs of the last {@code capacity} shadow-scored events of one task, by transaction id, so a label
 * arriving later can be checked against both decisions. Bounded and allocation-free after construction: a ring of
 * ids in arrival order (the oldest is forgotten when it is full) and an open-addressing index over it (linear
 * probing, deletion by backward shift). A label takes its event's entry out, so a repeated label counts once. Held in
 * memory only: a restart or a task moving to another instance starts it empty (labels of earlier events are then
 * counted unmatched).
 */
final class DecisionLog {
    private final long[] ids;
    private final byte[] decisions;
    private final boolean[] held;
    /** Ring slot + 1 of each indexed id, 0 = empty; twice the ring's size, a power of two. */
    private final int[] index;
    private final int mask;
    private int next;
    private int size;

    DecisionLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        ids = new long[capacity];
        decisions = new byte[capacity];
        held = new boolean[capacity];
        index = new int[Integer.highestOneBit(capacity) << 2];
        mask = index.length - 1;
    }

    /** Records (or replaces) the decision pair of {@code id}, forgetting the oldest entry when full. */
    void put(long id, int pair) {
        int at = find(id);
        if (index[at] != 0) {
            decisions[index[at] - 1] = (byte) pair;
            return;
        }
        int slot = next;
        if (held[slot]) {
            remove(find(ids[slot]));
            at = find(id); // the backward shift may have moved the free position
        }
        ids[slot] = id;
        decisions[slot] = (byte) pair;
        held[slot] = true;
        index[at] = slot + 1;
        next = (slot + 1) % ids.length;
        size++;
    }

    /** The decision pair of {@code id}, removed from the log; −1 if it is not held. */
    int take(long id) {
        int at = find(id);
        if (index[at] == 0) {
            return -1;
        }
        int pair = decisions[index[at] - 1];
        remove(at);
        return pair;
    }

    int size() {
        return size;
    }

    /** The index position of {@code id}, or the empty position where it would go. */
    private int find(long id) {
        int i = home(id);
        while (index[i] != 0 && ids[index[i] - 1] != id) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private int home(long id) {
        long h = id * 0x9E3779B97F4A7C15L; // Fibonacci hashing: spreads consecutive ids
        return (int) (h >>> 32) & mask;
    }

    /** Empties index position {@code i}, shifting back later entries of its probe run so every lookup still finds them. */
    private void remove(int i) {
        held[index[i] - 1] = false;
        size--;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (index[j] == 0) {
                break;
            }
            int k = home(ids[index[j] - 1]);
            boolean stays = i <= j ? i < k && k <= j : i < k || k <= j; // k cyclically in (i, j]
            if (!stays) {
                index[i] = index[j];
                i = j;
            }
        }
        index[i] = 0;
    }
}
