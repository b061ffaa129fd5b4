package org.fraudscorer.trainer.events;

import org.fraudscorer.common.features.events.FeatureEngine;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.trainer.data.RawEvents;

/**
 * Computes the raw-event features of every event as the scorer would have seen them: events in time order
 * (ties in file order) through one {@link FeatureEngine}, each label delivered {@code delay} days after its
 * payment, i.e. before the first event at or after payment time + delay. So the terminal windows, which end at
 * t − delay (inclusive), see every label they cover, exactly as the handbook computes them from the whole table.
 * A payment whose label is not known ({@link RawEvents#UNKNOWN}) gets none, as in the scorer when its label never
 * arrives: its terminal counts it as a payment but not as a fraud.
 */
public final class FeatureReplay {
    private FeatureReplay() {
    }

    /**
     * @return row-major features of {@link HandbookFeatures.Version#NEWEST} ({@code handbook-v2} today, 17 per row),
     *         {@code events.size() × NEWEST.count()}, row i for event i (file order)
     */
    public static double[] replay(RawEvents events, int delayDays) {
        return replay(events, delayDays, HandbookFeatures.Version.NEWEST);
    }

    /** As {@link #replay(RawEvents, int)}, for a given feature set: rows are {@code version.count()} wide. */
    public static double[] replay(RawEvents events, int delayDays, HandbookFeatures.Version version) {
        int n = events.size();
        int[] order = events.isTimeOrdered() ? null : events.timeOrder();
        FeatureEngine engine = new FeatureEngine(delayDays, version);
        long delay = delayDays * HandbookFeatures.DAY;
        int f = version.count();
        double[] out = new double[Math.multiplyExact(n, f)];
        double[] row = new double[f];
        int labelled = 0; // position in time order of the next label to deliver
        for (int k = 0; k < n; k++) {
            int i = order == null ? k : order[k];
            long t = events.time(i);
            for (; labelled < k; labelled++) {
                int j = order == null ? labelled : order[labelled];
                if (events.time(j) + delay > t) {
                    break;
                }
                if (events.label(j) != RawEvents.UNKNOWN) {
                    engine.onLabel(events.terminal(j), events.time(j), events.id(j), events.label(j) == 1);
                }
            }
            engine.onEvent(events.id(i), t, events.customer(i), events.terminal(i), events.amount(i), row);
            System.arraycopy(row, 0, out, i * f, f);
        }
        return out;
    }
}
