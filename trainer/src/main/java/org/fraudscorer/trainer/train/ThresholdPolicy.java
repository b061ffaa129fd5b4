package org.fraudscorer.trainer.train;

import java.util.Locale;
import org.fraudscorer.common.metrics.ThresholdTuner;
import org.fraudscorer.common.metrics.ThresholdChoice;

/**
 * How the decision threshold is picked on validation data: {@code max-f1}, {@code min-precision:0.9}
 * (highest recall with at least that precision), {@code min-cost:5} (a missed fraud costs its amount, a
 * false alarm the given fixed cost), or a number in [0, 1]: that threshold, as {@code evaluate --threshold} takes it.
 */
public record ThresholdPolicy(String kind, double parameter) {

    public static ThresholdPolicy parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("max-f1")) {
            return new ThresholdPolicy("max-f1", 0);
        }
        if (!s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.charAt(0) == '.')) {
            double t;
            try {
                t = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                t = Double.NaN;
            }
            if (t >= 0 && t <= 1) {
                return new ThresholdPolicy("fixed", t);
            }
        }
        int colon = s.indexOf(':');
        if (colon > 0) {
            String kind = s.substring(0, colon);
            double v;
            try {
                v = Double.parseDouble(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("threshold policy '" + spec + "': '" + s.substring(colon + 1)
                        + "' is not a number");
            }
            if (kind.equals("min-precision") && v > 0 && v <= 1) {
                return new ThresholdPolicy(kind, v);
            }
            if (kind.equals("min-cost") && v >= 0 && Double.isFinite(v)) {
                return new ThresholdPolicy(kind, v);
            }
        }
        throw new IllegalArgumentException("threshold policy '" + spec
                + "' not understood: use max-f1, min-precision:P (0<P≤1), min-cost:C (false-alarm cost ≥ 0) or a threshold in [0, 1]");
    }

    public ThresholdChoice choose(double[] scores, int[] labels, double[] weights, double[] amounts) {
        return switch (kind) {
            case "min-precision" -> ThresholdTuner.minPrecision(scores, labels, weights, parameter);
            case "min-cost" -> ThresholdTuner.minCost(scores, labels, weights, amounts, parameter);
            case "fixed" -> {
                var m = org.fraudscorer.common.metrics.ConfusionMatrix.at(scores, labels, weights, parameter);
                yield new ThresholdChoice(parameter, "fixed", m.precision(), m.recall(), m.f1(), Double.NaN);
            }
            default -> ThresholdTuner.maxF1(scores, labels, weights);
        };
    }
}
