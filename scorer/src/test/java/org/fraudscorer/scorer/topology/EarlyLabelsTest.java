package org.fraudscorer.scorer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The held labels of a terminal-stage task, and what a restarted task finds of them. */
class EarlyLabelsTest {
    private static KeyValueStore<Bytes, byte[]> store() {
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("early"),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }

    @Test
    void aRestartedTaskFindsTheLabelsItHeldAndTakesThemWhenTheirPaymentsCome() {
        KeyValueStore<Bytes, byte[]> store = store();
        EarlyLabels before = new EarlyLabels(store, 10);
        assertThat(before.hold(7, 100, 1_000, true)).isTrue();
        assertThat(before.hold(7, 101, 1_100, false)).isTrue();
        assertThat(before.hold(8, 100, 1_200, false)).as("the same id at another terminal").isTrue();
        assertThat(before.hold(7, 101, 1_100, true)).as("a correction").isTrue();
        assertThat(before.size()).isEqualTo(3);

        // a task restarted on the store (restored from its changelog) counts them again, or it would never look
        EarlyLabels after = new EarlyLabels(store, 10);
        assertThat(after.size()).isEqualTo(3);
        assertThat(after.take(7, 999)).isNull();
        assertThat(after.take(7, 101)).isEqualTo(new EarlyLabels.Held(1_100, true, 2));
        assertThat(after.take(7, 101)).isNull();
        assertThat(after.take(7, 100)).isEqualTo(new EarlyLabels.Held(1_000, true, 1));
        assertThat(after.take(8, 100)).as("still held at its own terminal").isEqualTo(new EarlyLabels.Held(1_200,
                false, 1));
        assertThat(after.size()).isZero();
        assertThat(new EarlyLabels(store, 10).size()).isZero();
    }

    @Test
    void theSweepRemovesThoseDatedBeforeItsCutoffAndAFullTaskHoldsNoOtherPayment() {
        KeyValueStore<Bytes, byte[]> store = store();
        EarlyLabels early = new EarlyLabels(store, 2);
        early.hold(1, 10, 500, true);
        early.hold(1, 10, 500, false);
        early.hold(1, 11, 900, true);
        assertThat(early.hold(1, 12, 950, true)).as("full").isFalse();
        assertThat(early.hold(1, 11, 900, false)).as("a correction takes no more room").isTrue();
        store.put(Bytes.wrap(java.nio.ByteBuffer.allocate(16).putLong(2).putLong(13).array()), new byte[] {1, 2});
        early = new EarlyLabels(store, 2);
        assertThat(early.size()).isEqualTo(3);
        // payment 10's two records and the unreadable entry
        assertThat(early.expire(600)).isEqualTo(3);
        assertThat(early.size()).isEqualTo(1);
        assertThat(early.take(1, 11)).isEqualTo(new EarlyLabels.Held(900, false, 2));
    }
}
