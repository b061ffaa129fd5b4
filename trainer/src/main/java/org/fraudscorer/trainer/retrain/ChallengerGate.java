package org.fraudscorer.trainer.retrain;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.fraudscorer.common.text.Counted;

/**
 * The publish gate of a retrain. The challenger may replace the champion only if, on the latest labelled window:
 * <ol>
 *   <li>its average precision (PR-AUC) is at least the champion's plus {@code minGain} ({@code 0} means "not worse";
 *       a positive gain demands a real improvement, a negative one tolerates a small loss, e.g. to take fresher
 *       data): the ranking;</li>
 *   <li>at its own threshold, its F1 is at most {@code maxF1Loss} below the champion's F1 at the champion's
 *       threshold: the operating point the analysts and the bank live with. A better ranking with a threshold that
 *       lands badly on the window (twice the alerts at half the precision, or half the frauds caught) passed an
 *       AP-only gate. F1 rather than precision and recall apart, because a move along the trade-off is not a loss:
 *       a champion that flags nearly everything (precision 0.06, recall 0.99) must not keep out a challenger with
 *       precision 0.85 and recall 0.37.</li>
 * </ol>
 * Both models are measured on the same rows, so the comparison is paired. A model that flags nothing in the window
 * has F1 0.
 *
 * @param minGain    required AP gain of the challenger over the champion (absolute, in AP points of 0..1)
 * @param maxF1Loss  largest drop of F1 at the threshold tolerated (0..1; 1 turns the check off)
 * @param allowFirst publish when there is no champion to compare with (the first model of a deployment)
 */
public record ChallengerGate(double minGain, double maxF1Loss, boolean allowFirst) {
    public static final String METRIC = "average_precision";
    /** The default tolerance of the operating-point check, in F1 points of 0..1. */
    public static final double DEFAULT_MAX_LOSS = 0.05;
    /**
     * Fewest frauds, and fewest genuine payments, a window must hold for its AP to judge a model: on a window of
     * reviewed alerts that is nearly all frauds (84 of 85, from a walkthrough), any model's AP is about 0.99, and a
     * model that flags every payment passed a tolerant gate.
     */
    public static final int MIN_PER_CLASS = 5;
    /**
     * The refusal without a champion. Scorers started with {@code --model} serve that file while the model topic holds
     * nothing: a weekly-operations run was told to use --allow-first, which would have replaced the serving model
     * without a comparison (and, with --as challenger, is a usage error).
     */
    public static final String NO_CHAMPION = "no champion to compare with: " + noChampionAdvice(true);

    /**
     * What to do when the model topic holds no champion ({@link #NO_CHAMPION}, and {@code retrain}'s warning before it
     * trains); {@code allowFirst}: whether {@code --allow-first} is an option (not with {@code --as challenger}).
     */
    public static String noChampionAdvice(boolean allowFirst) {
        return "scorers started with --model serve that file until a model is published; publish the serving model "
                + "first ('./fraud publish --model FILE') or give it as --champion FILE, so that the challenger is "
                + "compared with it" + (allowFirst ? " (--allow-first only for a deployment that serves no model yet: "
                + "it publishes without a comparison)" : "");
    }

    public ChallengerGate {
        if (!Double.isFinite(minGain) || minGain <= -1 || minGain >= 1) {
            throw new IllegalArgumentException("--min-gain must be a number in (-1, 1), got " + minGain);
        }
        if (!(maxF1Loss >= 0 && maxF1Loss <= 1)) {
            throw new IllegalArgumentException("--max-f1-loss must be a number in [0, 1] (1 turns the check off), got "
                    + maxF1Loss);
        }
    }

    /** The AP gate with the default operating-point tolerance. */
    public ChallengerGate(double minGain, boolean allowFirst) {
        this(minGain, DEFAULT_MAX_LOSS, allowFirst);
    }

    /**
     * The gate's answer; {@code gain} (of AP) and {@code f1Change} (challenger minus champion, each at its own
     * threshold) are NaN when there was no champion.
     */
    public record Verdict(boolean passed, double gain, double f1Change, String reason) {
        public Map<String, Object> toMap(ChallengerGate gate) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("metric", METRIC);
            m.put("min_gain", gate.minGain());
            m.put("gain", WindowMetrics.finite(gain));
            m.put("max_f1_loss", gate.maxF1Loss());
            m.put("f1_change", WindowMetrics.finite(f1Change));
            m.put("passed", passed);
            m.put("reason", reason);
            return m;
        }
    }

    /**
     * Judges the challenger against the champion (null when none serves).
     *
     * @throws IllegalArgumentException when the gate cannot be evaluated: the window holds no fraud (AP undefined)
     */
    public Verdict judge(WindowMetrics challenger, WindowMetrics champion) {
        if (challenger.frauds() == 0 || Double.isNaN(challenger.averagePrecision())) {
            throw new IllegalArgumentException("the gate cannot be evaluated: the evaluation window (" + challenger.rows()
                    + " labelled events) holds no fraud, so average precision is undefined");
        }
        int genuine = challenger.rows() - challenger.frauds();
        if (challenger.frauds() < MIN_PER_CLASS || genuine < MIN_PER_CLASS) {
            throw new IllegalArgumentException("the gate cannot be evaluated: the evaluation window (" + challenger.rows()
                    + " labelled events) holds " + Counted.of(challenger.frauds(), "fraud") + " and "
                    + Counted.of(genuine, "genuine payment") + ", "
                    + "and average precision on fewer than " + MIN_PER_CLASS + " of either says nothing about a model "
                    // the alerts' hint was given for a window short of frauds too (a 1-day raw-event window; a hunt)
                    + (genuine < MIN_PER_CLASS ? "(a window of reviewed alerts is mostly frauds: label genuine alerts "
                    + "too, or retrain from an archive)" : "(too few frauds: a longer --window-days for raw payment "
                    + "events; more labelled rows for creditcard rows, whose window is their latest part)"));
        }
        if (champion == null) {
            return allowFirst
                    ? new Verdict(true, Double.NaN, Double.NaN,
                    "no champion serves; --allow-first publishes the first model")
                    : new Verdict(false, Double.NaN, Double.NaN, NO_CHAMPION);
        }
        if (champion.rows() != challenger.rows() || champion.frauds() != challenger.frauds()) {
            throw new IllegalArgumentException("the gate cannot be evaluated: challenger and champion were measured on "
                    + "different rows (" + challenger.rows() + " vs " + champion.rows() + ")");
        }
        double gain = challenger.averagePrecision() - champion.averagePrecision();
        // Compared with a tolerance far below any meaningful difference, so that "not worse" accepts an equal value.
        boolean ranks = gain >= minGain - 1e-12;
        String reason = String.format(Locale.ROOT, "challenger AP %.4f %s champion AP %.4f + min gain %.4f (gain %+.4f)",
                challenger.averagePrecision(), ranks ? "≥" : "<", champion.averagePrecision(), minGain, gain);
        double f1Change = challenger.f1() - champion.f1();
        boolean operates = f1Change >= -maxF1Loss - 1e-12;
        reason += String.format(Locale.ROOT, "; at the thresholds F1 %.4f (precision %.4f, recall %.4f) against %.4f "
                + "(%.4f, %.4f): %+.4f, %s --max-f1-loss %.4f", challenger.f1(), challenger.precision(),
                challenger.recall(), champion.f1(), champion.precision(), champion.recall(), f1Change,
                operates ? "within" : "beyond", maxF1Loss);
        return new Verdict(ranks && operates, gain, f1Change, reason);
    }
}
