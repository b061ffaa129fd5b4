package org.fraudscorer.trainer.retrain;

import java.time.LocalDate;
import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.events.EventPeriod;
import org.fraudscorer.trainer.events.FeatureReplay;
import org.fraudscorer.trainer.events.HandbookModels;
import org.fraudscorer.trainer.events.HandbookSplit;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import org.fraudscorer.trainer.train.TrainingListener;

/**
 * A challenger from raw payment events and their labels. The days are laid out as the handbook's protocol, counted
 * back from the last event's day:
 * <pre>
 *   [first day .. training end] [delay] [window: windowDays] [delay: labels not all in yet] last payment
 *                                        ^ latest labelled window: its last day is the last whole day that ends at
 *                                          least the delay before the last payment (every label of it is in)
 * </pre>
 * The evaluated challenger is trained by {@link HandbookModels#trainProcedure} on the training days (its labels were
 * all known before the window starts); it and the champion are scored on the window's payments (cards already known
 * to be compromised left out, as in the handbook's test weeks: a fraud in the {@code windowDays} days before the
 * delay, or known during the delay and the window, whatever the training days; {@link HandbookSplit}). The published
 * model is the procedure's shipped model: refit on the latest labelled days (window included) unless
 * {@code --no-refit}.
 */
public final class RawEventRetraining {
    private RawEventRetraining() {
    }

    public static Challenge challenge(RawEvents events, int delayDays, int windowDays, FraudModelTrainer.Options options,
                                      ModelBundle champion, TrainingListener listener) {
        return challenge(events, delayDays, windowDays, options, champion, listener, null);
    }

    /**
     * As {@link #challenge(RawEvents, int, int, FraudModelTrainer.Options, ModelBundle, TrainingListener)}, training
     * from {@code trainFrom} on: the events before it are history only (their payments and labels fill the card and
     * terminal windows of the first training days, as a scorer's stores would, and are not trained on).
     *
     * @param trainFrom the first training day, or null for the first day of {@code events}
     */
    public static Challenge challenge(RawEvents events, int delayDays, int windowDays, FraudModelTrainer.Options options,
                                      ModelBundle champion, TrainingListener listener, LocalDate trainFrom) {
        if (delayDays < 0) {
            throw new IllegalArgumentException("--delay-days must be ≥ 0, got " + delayDays);
        }
        if (windowDays < 1) {
            throw new IllegalArgumentException("--window-days must be ≥ 1, got " + windowDays);
        }
        if (events.size() == 0) {
            throw new IllegalArgumentException("no payment events in " + events.source());
        }
        events.requireLabels("a challenger learns from them");
        if (champion != null) {
            EventFamily.RAW_EVENTS.requireModel(champion.schema(), champion.modelVersion(), events.source());
            if (champion.labelDelayDays().isPresent() && champion.labelDelayDays().getAsInt() != delayDays) {
                // it would pass the gate and be published, and every scorer would then refuse it
                throw new IllegalArgumentException("the champion " + champion.modelVersion() + " serves with a "
                        + champion.labelDelayDays().getAsInt() + "-day label delay and scorers refuse a model with "
                        + "another; a challenger with --delay-days " + delayDays + " could never replace it (give "
                        + "--delay-days " + champion.labelDelayDays().getAsInt() + ", or publish a new champion "
                        + "by hand and restart the scorers with new state)");
            }
        }
        LocalDate first = EventPeriod.firstDay(events);
        if (trainFrom != null && trainFrom.isAfter(first)) {
            first = trainFrom; // the days before are history
        }
        LocalDate last = EventPeriod.lastDay(events);
        LocalDate windowTo = EventPeriod.lastLabelledDay(events, delayDays); // every label of the window is in
        LocalDate windowFrom = windowTo.minusDays(windowDays - 1L);
        LocalDate trainTo = windowFrom.minusDays(delayDays + 1L);
        if (trainTo.isBefore(first)) {
            throw new IllegalArgumentException("the gate cannot be evaluated: the days of " + events.source()
                    + " to train and judge on run from " + first + " to " + last + ", too short for training days, a " + delayDays + "-day delay, a " + windowDays
                    + "-day labelled window and the delay of its labels (" + (windowDays + 2L * delayDays + 2)
                    + " days at least)");
        }
        // Cards already known to be compromised are those of the handbook's test weeks: a fraud in the window's length
        // of days before the delay (its training week), or known during the delay and the window. Not a fraud anywhere
        // in the training days: that set grew with every week the topics held (a weekly run over 10 weeks kept 404 of
        // the window's 636 frauds at first, 168 at the end), and the gate's rows, and verdict, changed with --from.
        int[] window = HandbookSplit.of(events, windowFrom.minusDays((long) delayDays + windowDays), windowDays,
                delayDays, windowDays).test();
        int windowFrauds = 0;
        for (int i : window) {
            windowFrauds += events.label(i);
        }
        String windowText = windowFrom + ".." + windowTo;
        if (windowFrauds == 0) {
            throw new IllegalArgumentException("the gate cannot be evaluated: the latest labelled window " + windowText
                    + " (" + window.length + " events) holds no fraud");
        }
        // The challenger reads the champion's feature set and label delay, so that it can be swapped in live (a
        // scorer serves one schema and keeps one delay for the life of its stores); without a champion, the newest set.
        HandbookFeatures.Version version = champion == null ? HandbookFeatures.Version.NEWEST
                : champion.schema().handbookVersion().orElseThrow();
        double[] features = FeatureReplay.replay(events, delayDays, version);
        HandbookModels.ProcedureResult r = HandbookModels.trainProcedure(events, features,
                new EventPeriod(first, trainTo), delayDays, options, listener);

        int[] y = new int[window.length];
        for (int k = 0; k < window.length; k++) {
            y[k] = events.label(window[k]);
        }
        WindowMetrics championMetrics = null;
        double championPrecision = Double.NaN;
        double[] pc = null;
        if (champion != null) {
            // the same features: the champion's delay is the challenger's (checked above)
            pc = HandbookModels.probabilities(champion, events, features, window);
            championMetrics = metrics(champion, events, window, pc, y, null);
            championPrecision = championMetrics.precision();
        }
        double[] p = HandbookModels.probabilities(r.evaluated(), events, features, window);
        WindowMetrics challengerMetrics = metrics(r.evaluated(), events, window, p, y, championPrecision);
        return new Challenge(r.bundle(), r.evaluated().modelVersion(), r.period().toString(), windowText,
                challengerMetrics, championMetrics, pc == null ? null : ChallengerGate.bootstrap(p, pc, y, null),
                champion == null ? null
                : championSawTheWindow(champion.modelVersion(), champion.provenance(), windowFrom));
    }

    /**
     * Why the champion's figures on the window are not held out, or null: its file says it was fitted on payments up
     * to a day ({@code provenance.trainTo}) on or after the window's first (e.g. the refit of a retrain run less than a
     * window ago). The comparison then favours the champion.
     */
    static String championSawTheWindow(String version, java.util.Map<String, Object> provenance,
                                       LocalDate windowFrom) {
        LocalDate fitTo = org.fraudscorer.trainer.train.Provenance.trainTo(provenance);
        return fitTo == null || fitTo.isBefore(windowFrom) ? null
                : "the champion " + version + " was fitted on payments "
                + "up to " + fitTo + " (its provenance), on or after the window's first day " + windowFrom + ": its "
                + "figures are not held out, so the comparison favours it";
    }

    /** {@code p}: the model's scores of the window's {@code rows}; {@code y}: their labels. */
    private static WindowMetrics metrics(ModelBundle m, RawEvents events, int[] rows, double[] p, int[] y,
                                         Double championPrecision) {
        double t = m.threshold().value();
        HandbookModels.Evaluation e = HandbookModels.evaluate(events, rows, p, t);
        // null: m is the champion, whose recall-at-precision is taken at its own precision
        return championPrecision == null ? WindowMetrics.ofChampion(m.modelVersion(), p, y, t, e.cardPrecision())
                : WindowMetrics.of(m.modelVersion(), p, y, t, e.cardPrecision(), championPrecision);
    }
}
