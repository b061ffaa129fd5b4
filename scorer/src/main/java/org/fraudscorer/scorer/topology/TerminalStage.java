package org.fraudscorer.scorer.topology;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fraudscorer.common.features.events.FeatureEngine;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.common.features.events.TerminalHistory;
import org.fraudscorer.scorer.config.Backfill;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.server.ScorerMetrics;

/**
 * On the terminal-keyed partition, where events and label feedback meet in arrival order: a label marks its
 * payment in the terminal's history and is checked against the payment's remembered decision (live precision and
 * recall, the champion's and a challenger's: {@link ScorerMetrics#labelled}), and ends here; an event gets its
 * terminal features, then joins it. A backfilled event ({@link Backfill}) brings its own label, applied as soon as
 * it has joined.
 *
 * <p>The store holds a terminal's history as one record per UTC day ({@link TerminalHistory#dayBytes}), keyed by
 * the terminal id (8 bytes) then the day (4 bytes, sign bit flipped so that keys sort by day), so a range read
 * returns a terminal's days in order. A payment or a label rewrites its own day only: a busy terminal's write per
 * payment is its day so far, not its whole window. A terminal's record under its 8-byte id alone is the single-value
 * history of earlier versions (format 1); it sorts before the terminal's days, is read with them and replaced by
 * day records the first time the terminal is seen.
 */
final class TerminalStage extends HistoryStage {
    static final String STORE = "terminal-histories";
    private static final int DAY_KEY_BYTES = 12;
    private final int delayDays;
    private KeyValueStore<Bytes, byte[]> store;
    /** The days of the records {@link #load} read last. */
    private final List<Long> loadedDays = new ArrayList<>();

    TerminalStage(int delayDays, ScorerConfig config, ModelRegistry registry, ScorerMetrics metrics) {
        super(STORE, (delayDays + 30L) * HandbookFeatures.DAY, config, registry, metrics);
        this.delayDays = delayDays;
    }

    /** The key of a terminal's record of one day. */
    static Bytes dayKey(long terminal, long day) {
        return Bytes.wrap(ByteBuffer.allocate(DAY_KEY_BYTES).putLong(terminal)
                .putInt(Math.toIntExact(day) ^ Integer.MIN_VALUE).array());
    }

    /** The key of a terminal's single-value history, as earlier versions stored it. */
    static Bytes legacyKey(long terminal) {
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(terminal).array());
    }

    /** The day of a day record's key. */
    private static long dayOf(Bytes key) {
        return ByteBuffer.wrap(key.get()).getInt(Long.BYTES) ^ Integer.MIN_VALUE;
    }

    @Override
    @SuppressWarnings("unchecked")
    void useStore(StateStore store) {
        this.store = (KeyValueStore<Bytes, byte[]>) store;
    }

    @Override
    Staged apply(long terminal, Staged s, Headers headers) {
        TerminalHistory h = load(terminal);
        if (h != null && h.delayDays() != delayDays) {
            throw new IncompatibleStateException("terminal " + terminal + "'s history was built for models with a "
                    + h.delayDays() + "-day label delay, but the serving model's is " + delayDays + " days: its terminal "
                    + "features would mix both; run this model under a new --application-id and warm it with "
                    + "'./fraud backfill'");
        }
        if (s.kind() == Staged.LABEL) {
            boolean matched = h != null && h.label(s.epochSeconds(), s.transactionId(), s.fraud());
            if (matched) {
                long day = HandbookFeatures.day(s.epochSeconds());
                store.put(dayKey(terminal, day), h.dayBytes(day));
            }
            metrics.label(matched);
            metrics.labelled(s.transactionId(), s.fraud()); // against the payment's decision (and shadow pair)
            return null; // a label ends here
        }
        if (h == null) {
            h = new TerminalHistory(delayDays);
        }
        FeatureEngine.terminalStage(s.transactionId(), s.epochSeconds(), h, s.features());
        int historyLabel = Backfill.label(headers);
        if (historyLabel >= 0) { // a backfilled payment with its label: held now, so it always matches
            metrics.label(h.label(s.epochSeconds(), s.transactionId(), historyLabel == 1));
        }
        long day = HandbookFeatures.day(s.epochSeconds());
        store.put(dayKey(terminal, day), h.dayBytes(day));
        // the days that no longer hold any payment of the window
        long keep = HandbookFeatures.day(h.oldestTime());
        for (long d : loadedDays) {
            if (d < keep) {
                store.delete(dayKey(terminal, d));
            }
        }
        return s;
    }

    /**
     * The terminal's history from its day records (their days in {@link #loadedDays}), or null if it has none. A
     * single-value history of an earlier version found instead is rewritten as day records first, unless it was built
     * for another label delay (then it is returned as it is, for {@link #apply} to refuse).
     */
    private TerminalHistory load(long terminal) {
        loadedDays.clear();
        List<byte[]> days = new ArrayList<>();
        byte[] legacy = null;
        try (KeyValueIterator<Bytes, byte[]> it = store.range(legacyKey(terminal), lastKey(terminal))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                if (kv.key.get().length == Long.BYTES) {
                    legacy = kv.value;
                } else {
                    days.add(kv.value);
                    loadedDays.add(dayOf(kv.key));
                }
            }
        }
        if (legacy == null) {
            return TerminalHistory.fromDays(days);
        }
        if (!days.isEmpty()) {
            throw new IllegalStateException("terminal " + terminal + " has both a single-value history and day records");
        }
        TerminalHistory h = TerminalHistory.fromBytes(legacy);
        if (h.delayDays() == delayDays) {
            for (long day : h.days()) {
                store.put(dayKey(terminal, day), h.dayBytes(day));
                loadedDays.add(day);
            }
            store.delete(legacyKey(terminal));
        }
        return h;
    }

    /** The greatest key a record of {@code terminal} can have. */
    private static Bytes lastKey(long terminal) {
        return dayKey(terminal, Integer.MAX_VALUE);
    }

    @Override
    void forget(long terminal) {
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(legacyKey(terminal), lastKey(terminal))) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(store::delete);
    }

    /** Deletes every day record of a day that ends before {@code cutoff}, and every older single-value history. */
    @Override
    void sweep(long cutoff) {
        long lastExpiredDay = HandbookFeatures.day(cutoff) - 1;
        List<Bytes> expired = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                boolean single = kv.key.get().length == Long.BYTES;
                if (single ? newestOrExpired(kv.value, v -> TerminalHistory.fromBytes(v).newestTime()) < cutoff
                        : dayOf(kv.key) <= lastExpiredDay) {
                    expired.add(kv.key);
                }
            }
        }
        expired.forEach(store::delete);
    }
}
