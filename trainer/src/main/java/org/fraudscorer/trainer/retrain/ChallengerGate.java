package org.fraudscorer.trainer.retrain;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.fraudscorer.common.metrics.ApGainBootstrap;
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
 *   <li>with {@code maxFlagRateChange} above 0 (off by default), the share of the window's payments it flags at its
 *       threshold is within a factor {@code maxFlagRateChange} of the share the champion flags at its own: the
 *       analysts' alert budget. A challenger that ranks better and holds F1 can still double the alerts (or halve
 *       them, and the frauds caught with them) when its threshold lands elsewhere on the window; a team sized for
 *       today's alert volume refuses that model until the threshold is agreed.</li>
 * </ol>
 * Both models are measured on the same rows, so the comparison is paired. A model that flags nothing in the window
 * has F1 0.
 *
 * <p>The AP gain of one window is noisy: on ~58,000 payments with ~400 frauds, +0.0004 and −0.0001 are both well within
 * what another week's rows would give. The verdict therefore carries a paired, stratified bootstrap of the gain
 * ({@link ApGainBootstrap}, {@link #BOOTSTRAP_REPLICATES} resamples, seed {@link #BOOTSTRAP_SEED}): its 90% interval
 * and the share of resamples in which the challenger's AP is at least the champion's plus {@code minGain}. With
 * {@code gainConfidence} above 0 the ranking check also asks that share to reach it: a gain the window resolves.
 * It is 0 (off) by default because weekly retraining exists to publish a fresher model, trained on the latest labels,
 * whenever it is not worse; asking for a resolved gain would keep a model that ages while its successors tie with it
 * within the noise, week after week. An operator who wants only credible improvements gives e.g. {@code 0.9}.
 *
 * @param minGain        required AP gain of the challenger over the champion (absolute, in AP points of 0..1)
 * @param maxF1Loss      largest drop of F1 at the threshold tolerated (0..1; 1 turns the check off)
 * @param gainConfidence smallest share of bootstrap resamples in which the gain reaches {@code minGain} ([0, 1); 0
 *                       turns the check off)
 * @param maxFlagRateChange largest factor, either way, between the two models' flag rates on the window (≥ 1; 0
 *                       turns the check off)
 * @param allowFirst     publish when there is no champion to compare with (the first model of a deployment)
 */
public record ChallengerGate(double minGain, double maxF1Loss, double gainConfidence, double maxFlagRateChange,
                             boolean allowFirst) {
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
     * Resamples of the gain's bootstrap: the share is then known to about ±0.01 near 0.9 (its Monte Carlo error,
     * √(0.9 · 0.1 / 1000)), and each resample costs one pass over the window's rows per model.
     */
    public static final int BOOTSTRAP_REPLICATES = 1_000;
    /** Fixed, so that the same window gives the same verdict when the retrain is run again. */
    public static final long BOOTSTRAP_SEED = 20_180_401L;
    /** Two models' gains closer than this are equal: "not worse" accepts an equal value. */
    private static final double TOLERANCE = 1e-12;
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
        if (!(gainConfidence >= 0 && gainConfidence < 1)) {
            throw new IllegalArgumentException("--gain-confidence must be a probability in [0, 1) (0 turns the check "
                    + "off), got " + gainConfidence);
        }
        if (!(maxFlagRateChange == 0 || maxFlagRateChange >= 1 && maxFlagRateChange < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("--max-flag-rate-change must be a factor of at least 1 (e.g. 1.5; 0 "
                    + "turns the check off), got " + maxFlagRateChange);
        }
    }

    /**
     * The gate of a {@code retrain} given none of its options: not worse by AP, F1 within {@link #DEFAULT_MAX_LOSS},
     * no confidence asked, no alert budget, no first model. Change one criterion with its {@code with...} method, so
     * that a criterion added to the gate (a component with its default here) leaves every other caller as it is.
     */
    public static ChallengerGate defaults() {
        return new ChallengerGate(0, DEFAULT_MAX_LOSS, 0, 0, false);
    }

    public ChallengerGate withMinGain(double gain) {
        return new ChallengerGate(gain, maxF1Loss, gainConfidence, maxFlagRateChange, allowFirst);
    }

    public ChallengerGate withMaxF1Loss(double loss) {
        return new ChallengerGate(minGain, loss, gainConfidence, maxFlagRateChange, allowFirst);
    }

    public ChallengerGate withGainConfidence(double confidence) {
        return new ChallengerGate(minGain, maxF1Loss, confidence, maxFlagRateChange, allowFirst);
    }

    public ChallengerGate withMaxFlagRateChange(double factor) {
        return new ChallengerGate(minGain, maxF1Loss, gainConfidence, factor, allowFirst);
    }

    public ChallengerGate withAllowFirst(boolean allow) {
        return new ChallengerGate(minGain, maxF1Loss, gainConfidence, maxFlagRateChange, allow);
    }

    /** The bootstrap of the challenger's AP gain the gate reads, with its replicate count and seed. */
    public static ApGainBootstrap bootstrap(double[] challengerScores, double[] championScores, int[] labels,
                                            double[] weights) {
        return ApGainBootstrap.of(challengerScores, championScores, labels, weights, BOOTSTRAP_REPLICATES,
                BOOTSTRAP_SEED);
    }

    /**
     * The gate's answer; {@code gain} (of AP) and {@code f1Change} (challenger minus champion, each at its own
     * threshold) are NaN when there was no champion. {@code gainLow} and {@code gainHigh} (the 5th and 95th
     * percentiles of the bootstrap gains) and {@code gainShare} (the share of resamples with a gain of at least the
     * min gain, out of {@code replicates}) are NaN too, and {@code replicates} 0, when there was no bootstrap.
     * {@code flagRateChange} is the challenger's flag rate over the champion's (infinite when only the challenger
     * flags anything, 1 when neither does), NaN without a champion or a measured flag rate.
     */
    public record Verdict(boolean passed, double gain, double gainLow, double gainHigh, double gainShare,
                          int replicates, double f1Change, double flagRateChange, String reason) {
        /**
         * The answer without a champion: nothing compared, every number NaN and no bootstrap (a field added to the
         * verdict is given its "not compared" value here, once).
         */
        static Verdict noChampion(boolean passed, String reason) {
            return new Verdict(passed, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN,
                    reason);
        }

        public Map<String, Object> toMap(ChallengerGate gate) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("metric", METRIC);
            m.put("min_gain", gate.minGain());
            m.put("gain", WindowMetrics.finite(gain));
            m.put("gain_p05", WindowMetrics.finite(gainLow));
            m.put("gain_p95", WindowMetrics.finite(gainHigh));
            m.put("share_at_least_min_gain", WindowMetrics.finite(gainShare));
            m.put("gain_confidence", gate.gainConfidence());
            m.put("bootstrap_replicates", replicates == 0 ? null : replicates);
            m.put("max_f1_loss", gate.maxF1Loss());
            m.put("f1_change", WindowMetrics.finite(f1Change));
            m.put("max_flag_rate_change", gate.maxFlagRateChange());
            m.put("flag_rate_change", WindowMetrics.finite(flagRateChange));
            m.put("passed", passed);
            m.put("reason", reason);
            return m;
        }
    }

    /** {@link #judge(WindowMetrics, WindowMetrics, ApGainBootstrap)} without a bootstrap (no confidence check). */
    public Verdict judge(WindowMetrics challenger, WindowMetrics champion) {
        return judge(challenger, champion, null);
    }

    /**
     * Judges the challenger against the champion (null when none serves).
     *
     * @param bootstrap the bootstrap of the AP gain on the window ({@link #bootstrap}); null when there is no champion
     * @throws IllegalArgumentException when the gate cannot be evaluated: the window holds no fraud (AP undefined) or
     *                                  fewer than {@link #MIN_PER_CLASS} of a class; the two models were measured on
     *                                  other rows; {@code gainConfidence} is set and there is no bootstrap, or the
     *                                  bootstrap is one of other scores; {@code maxFlagRateChange} is set and a flag
     *                                  rate was not measured
     */
    public Verdict judge(WindowMetrics challenger, WindowMetrics champion, ApGainBootstrap bootstrap) {
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
            return allowFirst ? Verdict.noChampion(true, "no champion serves; --allow-first publishes the first model")
                    : Verdict.noChampion(false, NO_CHAMPION);
        }
        if (champion.rows() != challenger.rows() || champion.frauds() != challenger.frauds()) {
            throw new IllegalArgumentException("the gate cannot be evaluated: challenger and champion were measured on "
                    + "different rows (" + challenger.rows() + " vs " + champion.rows() + ")");
        }
        double apGain = challenger.averagePrecision() - champion.averagePrecision();
        double flagRateChange = challenger.flagRate() == champion.flagRate() ? 1
                : challenger.flagRate() / champion.flagRate();
        if (maxFlagRateChange > 0 && Double.isNaN(flagRateChange)) {
            throw new IllegalArgumentException("the gate cannot be evaluated: --max-flag-rate-change needs both "
                    + "models' flag rates on the window");
        }
        if (bootstrap == null && gainConfidence > 0) {
            throw new IllegalArgumentException("the gate cannot be evaluated: --gain-confidence needs the bootstrap of "
                    + "the gain on the window's scores");
        }
        // e.g. the two models' scores swapped, or the weights left out of one side
        if (bootstrap != null && !(Math.abs(bootstrap.gain() - apGain) <= 1e-9)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the gate cannot be evaluated: the "
                    + "bootstrap's gain %+.6f is not the window's %+.6f (other scores)", bootstrap.gain(), apGain));
        }
        // Compared with a tolerance far below any meaningful difference, so that "not worse" accepts an equal value.
        boolean reaches = apGain >= minGain - TOLERANCE;
        double low = bootstrap == null ? Double.NaN : bootstrap.quantile(0.05);
        double high = bootstrap == null ? Double.NaN : bootstrap.quantile(0.95);
        double share = bootstrap == null ? Double.NaN : bootstrap.shareAtLeast(minGain - TOLERANCE);
        boolean resolved = gainConfidence == 0 || share >= gainConfidence - TOLERANCE;
        boolean ranks = reaches && resolved;
        String reason = String.format(Locale.ROOT, "challenger AP %.4f %s champion AP %.4f + min gain %.4f (gain %+.4f",
                challenger.averagePrecision(), reaches ? "≥" : "<", champion.averagePrecision(), minGain, apGain);
        if (bootstrap != null) {
            reason += String.format(Locale.ROOT, ", 90%% interval [%+.4f, %+.4f], ≥ min gain in %.1f%% of %d resamples",
                    low, high, 100 * share, bootstrap.replicates());
        }
        if (gainConfidence > 0) {
            // the phrase where the confidence alone refuses: the point gain reached the min gain
            reason += String.format(Locale.ROOT, ", %s --gain-confidence %.1f%%%s", resolved ? "≥" : "<",
                    100 * gainConfidence, resolved || !reaches ? "" : ": a gain the window does not resolve");
        }
        reason += ")";
        double f1Change = challenger.f1() - champion.f1();
        boolean operates = f1Change >= -maxF1Loss - TOLERANCE;
        reason += String.format(Locale.ROOT, "; at the thresholds F1 %.4f (precision %.4f, recall %.4f) against %.4f "
                + "(%.4f, %.4f): %+.4f, %s --max-f1-loss %.4f", challenger.f1(), challenger.precision(),
                challenger.recall(), champion.f1(), champion.precision(), champion.recall(), f1Change,
                operates ? "within" : "beyond", maxF1Loss);
        boolean budget = true;
        if (maxFlagRateChange > 0) {
            // either way: a third of the alerts is as far from the budget as three times as many
            double factor = Math.max(flagRateChange, 1 / flagRateChange);
            budget = factor <= maxFlagRateChange + TOLERANCE;
            reason += String.format(Locale.ROOT, "; flags %.2f%% of the window against %.2f%%: ×%.2f, %s "
                    + "--max-flag-rate-change %.2f", 100 * challenger.flagRate(), 100 * champion.flagRate(),
                    flagRateChange, budget ? "within" : "beyond", maxFlagRateChange);
        }
        return new Verdict(ranks && operates && budget, apGain, low, high, share,
                bootstrap == null ? 0 : bootstrap.replicates(), f1Change, flagRateChange, reason);
    }
}
