package org.fraudscorer.common.model;

/**
 * The decision threshold (flag when probability ≥ value) and how it was chosen on validation data.
 *
 * @param method e.g. {@code max-f1}, {@code min-precision(0.90)}, {@code min-cost(fp=5.00)}
 */
public record ThresholdInfo(double value, String method) {
    public ThresholdInfo {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], got " + value);
        }
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("threshold method must be named");
        }
    }
}
