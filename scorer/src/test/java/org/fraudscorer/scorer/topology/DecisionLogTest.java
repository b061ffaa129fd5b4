package org.fraudscorer.scorer.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bounded decision log against a plain insertion-ordered map that forgets its oldest entry the same way. */
class DecisionLogTest {
    @Test
    void shouldHoldTheLastCapacityEntriesAndHandEachOutOnce() {
        DecisionLog log = new DecisionLog(3);
        for (long id = 1; id <= 5; id++) {
            log.put(id, (int) (id % 4));
        }
        assertThat(log.size()).isEqualTo(3);
        assertThat(log.take(1)).as("forgotten: oldest").isEqualTo(-1);
        assertThat(log.take(2)).isEqualTo(-1);
        assertThat(log.take(4)).isEqualTo(0);
        assertThat(log.take(4)).as("a second label for the same event").isEqualTo(-1);
        assertThat(log.take(5)).isEqualTo(1);
        assertThat(log.take(3)).isEqualTo(3);
        assertThat(log.size()).isZero();
    }

    @Test
    void shouldAgreeWithAMapModelOverAMillionRandomOperations() {
        int capacity = 1_000;
        DecisionLog log = new DecisionLog(capacity);
        // the model: a ring of ids in arrival order, as the log keeps them; taken entries leave a hole
        long[] ring = new long[capacity];
        boolean[] live = new boolean[capacity];
        Map<Long, Integer> held = new LinkedHashMap<>();
        Map<Long, Integer> slotOf = new LinkedHashMap<>();
        int next = 0;
        SplittableRandom random = new SplittableRandom(11);
        int matched = 0;
        for (int op = 0; op < 1_000_000; op++) {
            long id = random.nextLong(3_000); // few enough ids that repeats, takes and evictions all happen
            if (random.nextInt(3) > 0) {
                int pair = random.nextInt(4);
                log.put(id, pair);
                if (held.containsKey(id)) {
                    held.put(id, pair);
                    continue;
                }
                if (live[next]) {
                    held.remove(ring[next]);
                    slotOf.remove(ring[next]);
                }
                ring[next] = id;
                live[next] = true;
                held.put(id, pair);
                slotOf.put(id, next);
                next = (next + 1) % capacity;
            } else {
                Integer expected = held.remove(id);
                if (expected != null) {
                    live[slotOf.remove(id)] = false;
                    matched++;
                }
                assertThat(log.take(id)).as("op %d id %d", op, id).isEqualTo(expected == null ? -1 : expected);
            }
            assertThat(log.size()).isEqualTo(held.size());
        }
        assertThat(matched).isGreaterThan(50_000);
    }

    @Test
    void shouldRefuseANonPositiveCapacity() {
        assertThatThrownBy(() -> new DecisionLog(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be at least 1, got 0");
    }
}
