package org.fraudscorer.common.metrics;

import java.util.Objects;

/**
 * Argument checks shared by the metrics. Every public entry point validates once, up front, so the
 * computing code can assume well-formed input. Null arrays (other than {@code weights}) raise
 * {@link NullPointerException}; every other problem raises {@link IllegalArgumentException} naming
 * what was expected and what was found.
 */
final class Inputs {

    private Inputs() {
    }

    /** The weight of row {@code i}; a {@code null} weights array means every row weighs 1. */
    static double weight(double[] weights, int i) {
        return weights == null ? 1.0 : weights[i];
    }

    /**
     * Checks that the arrays are non-empty and of equal length, scores are finite, labels are 0 or 1,
     * weights (if given) are finite and non-negative, and the total weight is positive.
     */
    static void requireValid(double[] scores, int[] labels, double[] weights) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(labels, "labels");
        if (scores.length == 0) {
            throw new IllegalArgumentException("scores is empty; expected at least 1 row");
        }
        requireSameLength("labels", labels.length, scores.length);
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException(
                        "scores[" + i + "] = " + scores[i] + "; expected a finite number");
            }
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + "; expected 0 or 1");
            }
        }
        if (weights != null) {
            requireSameLength("weights", weights.length, scores.length);
            requireNonNegative("weights", weights);
            double total = 0;
            for (double w : weights) {
                total += w;
            }
            if (!(total > 0)) {
                throw new IllegalArgumentException(
                        "weights sum to " + total + "; expected a positive total weight");
            }
        }
    }

    /** Checks a per-row array of money amounts against the number of rows. */
    static void requireAmounts(double[] amounts, int rows) {
        Objects.requireNonNull(amounts, "amounts");
        requireSameLength("amounts", amounts.length, rows);
        requireNonNegative("amounts", amounts);
    }

    static void requireThreshold(double threshold) {
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold = NaN; expected a number (infinities allowed)");
        }
    }

    static void requireProbability(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " = " + value + "; expected a value in [0, 1]");
        }
    }

    static void requireNonNegative(String name, double value) {
        if (!(Double.isFinite(value) && value >= 0)) {
            throw new IllegalArgumentException(name + " = " + value + "; expected a finite value >= 0");
        }
    }

    private static void requireNonNegative(String name, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!(Double.isFinite(values[i]) && values[i] >= 0)) {
                throw new IllegalArgumentException(
                        name + "[" + i + "] = " + values[i] + "; expected a finite value >= 0");
            }
        }
    }

    private static void requireSameLength(String name, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(name + " has length " + actual
                    + "; expected " + expected + " (the length of scores)");
        }
    }
}
