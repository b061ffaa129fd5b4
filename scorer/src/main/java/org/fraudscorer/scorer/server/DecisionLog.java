package org.fraudscorer.scorer.server;

/**
 * The decisions of the last {@code capacity} scored events, by transaction id, so a label arriving days later can be
 * checked against what was decided: one flag for model monitoring ({@link ModelMonitoring}), the champion's and the
 * challenger's as a pair for shadow scoring. A decision is a small value (0..127) the caller defines. Bounded and allocation-free after construction: a ring of
 * ids in arrival order (the oldest is forgotten when it is full) and an open-addressing index over it (linear
 * probing, deletion by backward shift). A label takes its event's entry out, so a repeated label counts once. Held in
 * memory only: a restart or a task moving to another instance starts it empty (labels of earlier events are then
 * counted unmatched).
 */
public final class DecisionLog {
    /** What {@link #take} returns for an id it does not hold. */
    public static final int UNKNOWN = -1;
    private final long[] ids;
    private final byte[] decisions;
    private final boolean[] held;
    /** Ring slot + 1 of each indexed id, 0 = empty; a power of two at least twice the ring's size (so probes stay short). */
    private final int[] index;
    private final int mask;
    private int next;
    private int size;

    public DecisionLog(int capacity) {
        if (capacity < 1 || capacity > (1 << 28)) {
            throw new IllegalArgumentException("decisions held must be 1 to " + (1 << 28) + ", got " + capacity);
        }
        ids = new long[capacity];
        decisions = new byte[capacity];
        held = new boolean[capacity];
        index = new int[Integer.highestOneBit(2 * capacity - 1) << 1]; // a power of two ≥ 2 × capacity
        mask = index.length - 1;
    }

    /** Records (or replaces) the decision pair of {@code id}, forgetting the oldest entry when full. */
    public void put(long id, int pair) {
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

    /** The decision of {@code id}, removed from the log; {@link #UNKNOWN} if it is not held. */
    public int take(long id) {
        int at = find(id);
        if (index[at] == 0) {
            return UNKNOWN;
        }
        int pair = decisions[index[at] - 1];
        remove(at);
        return pair;
    }

    public int size() {
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
