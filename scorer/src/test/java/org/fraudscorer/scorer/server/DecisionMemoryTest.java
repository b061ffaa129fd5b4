package org.fraudscorer.scorer.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecisionMemoryTest {
    @Test
    void shouldForgetTheOldestDecisionOnceFull() {
        DecisionMemory d = new DecisionMemory(3);
        d.remember(1, true);
        d.remember(2, false);
        d.remember(3, true);
        d.remember(4, false);
        assertThat(d.take(1)).isEqualTo(DecisionMemory.UNKNOWN);
        assertThat(d.take(2)).isZero();
        assertThat(d.take(3)).isEqualTo(1);
        assertThat(d.take(3)).as("taken once").isEqualTo(DecisionMemory.UNKNOWN);
        assertThat(d.take(4)).isZero();
    }

    /** A plain model: a FIFO of ring slots (id, sequence); an id is held while its latest slot is in the ring. */
    @Test
    void shouldAgreeWithAPlainModelOverRandomOperations() {
        int capacity = 64;
        DecisionMemory d = new DecisionMemory(capacity);
        Map<Long, long[]> held = new HashMap<>(); // id → {sequence of its slot, flagged}
        ArrayDeque<long[]> ring = new ArrayDeque<>(); // {id, sequence}
        SplittableRandom rng = new SplittableRandom(11);
        long sequence = 0;
        for (int step = 0; step < 200_000; step++) {
            long id = rng.nextInt(300); // few ids: collisions, repeats and deletions inside probe runs
            if (rng.nextBoolean()) {
                boolean flagged = rng.nextBoolean();
                long[] h = held.get(id);
                if (h != null) {
                    h[1] = flagged ? 1 : 0;
                } else {
                    if (ring.size() == capacity) {
                        long[] oldest = ring.pollFirst();
                        long[] o = held.get(oldest[0]);
                        if (o != null && o[0] == oldest[1]) {
                            held.remove(oldest[0]);
                        }
                    }
                    ring.addLast(new long[] {id, ++sequence});
                    held.put(id, new long[] {sequence, flagged ? 1 : 0});
                }
                d.remember(id, flagged);
            } else {
                long[] expected = held.remove(id);
                assertThat(d.take(id)).as("step %d id %d", step, id)
                        .isEqualTo(expected == null ? DecisionMemory.UNKNOWN : (int) expected[1]);
            }
        }
    }
}
