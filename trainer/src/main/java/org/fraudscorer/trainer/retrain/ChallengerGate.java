package org.fraudscorer.trainer.retrain;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The publish gate of a retrain: the challenger may replace the champion only if its average precision (PR-AUC) on
 * the latest labelled window is at least the champion's plus {@code minGain}. {@code minGain = 0} means "not worse";
 * a positive gain demands a real improvement, a negative one tolerates a small loss (e.g. to take fresher data).
 * Both models are measured on the same rows, so the comparison is paired.
 *
 * @param minGain    required AP gain of the challenger over the champion (absolute, in AP points of 0..1)
 * @param allowFirst publish when there is no champion to compare with (the first model of a deployment)
 */
public record ChallengerGate(double minGain, boolean allowFirst) {
    public static final String METRIC = "average_precision";
    /**
     * Fewest frauds, and fewest genuine payments, a window must hold for its AP to judge a model: on a window of
     * reviewed alerts that is nearly all frauds (84 of 85, from a walkthrough), any model's AP is about 0.99, and a
     * model that flags every payment passed a tolerant gate.
     */
    public static final int MIN_PER_CLASS = 5;

    public ChallengerGate {
        if (!Double.isFinite(minGain) || minGain <= -1 || minGain >= 1) {
            throw new IllegalArgumentException("--min-gain must be a number in (-1, 1), got " + minGain);
        }
    }

    /** The gate's answer; {@code gain} is NaN when there was no champion. */
    public record Verdict(boolean passed, double gain, String reason) {
        public Map<String, Object> toMap(ChallengerGate gate) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("metric", METRIC);
            m.put("min_gain", gate.minGain());
            m.put("gain", WindowMetrics.finite(gain));
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
                    + " labelled events) holds " + challenger.frauds() + " frauds and " + genuine + " genuine payments, "
                    + "and average precision on fewer than " + MIN_PER_CLASS + " of either says nothing about a model "
                    + "(a window of reviewed alerts is mostly frauds: label genuine alerts too, or retrain from an "
                    + "archive)");
        }
        if (champion == null) {
            return allowFirst
                    ? new Verdict(true, Double.NaN, "no champion serves; --allow-first publishes the first model")
                    : new Verdict(false, Double.NaN, "no champion to compare with (give --champion FILE, or "
                    + "--allow-first for a deployment's first model)");
        }
        if (champion.rows() != challenger.rows() || champion.frauds() != challenger.frauds()) {
            throw new IllegalArgumentException("the gate cannot be evaluated: challenger and champion were measured on "
                    + "different rows (" + challenger.rows() + " vs " + champion.rows() + ")");
        }
        double gain = challenger.averagePrecision() - champion.averagePrecision();
        // Compared with a tolerance far below any meaningful AP difference, so that "not worse" accepts an equal AP.
        boolean passed = gain >= minGain - 1e-12;
        String reason = String.format(Locale.ROOT, "challenger AP %.4f %s champion AP %.4f + min gain %.4f (gain %+.4f)",
                challenger.averagePrecision(), passed ? "≥" : "<", champion.averagePrecision(), minGain, gain);
        return new Verdict(passed, gain, reason);
    }
}
