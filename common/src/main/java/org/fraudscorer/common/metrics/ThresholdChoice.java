package org.fraudscorer.common.metrics;

import java.util.Objects;

/**
 * A decision threshold picked by {@link ThresholdTuner} (flag iff score >= threshold), with the
 * validation-set numbers it achieves.
 *
 * @param threshold the chosen threshold; {@code +Infinity} means "flag nothing"
 * @param method how it was chosen, e.g. {@code "max-f1"}, {@code "min-precision(0.90)"},
 *               {@code "min-cost(fp=5.00)"}
 * @param cost the expected cost under the min-cost model, or {@code NaN} for methods without one
 */
public record ThresholdChoice(double threshold, String method, double precision, double recall,
                              double f1, double cost) {

    public ThresholdChoice {
        Objects.requireNonNull(method, "method");
    }

    static ThresholdChoice of(double threshold, String method, ConfusionMatrix matrix, double cost) {
        return new ThresholdChoice(threshold, method, matrix.precision(), matrix.recall(), matrix.f1(), cost);
    }
}
