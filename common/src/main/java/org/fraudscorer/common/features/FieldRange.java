package org.fraudscorer.common.features;

/**
 * The plausible range of an input field. A value outside it is not a transaction we can score
 * (an overflowed amount, a unit error): such events are refused, never silently clipped.
 */
public record FieldRange(String field, double min, double max) {
    public FieldRange {
        if (!(min <= max)) {
            throw new IllegalArgumentException("range of " + field + ": min " + min + " > max " + max);
        }
    }

    /** @return null when the value is acceptable, else the reason it is not. */
    public String check(double value) {
        if (Double.isNaN(value)) {
            return field + " is NaN";
        }
        if (Double.isInfinite(value)) {
            return field + " is infinite";
        }
        if (value < min) {
            return field + " = " + value + " is below the minimum " + min;
        }
        if (value > max) {
            return field + " = " + value + " is above the maximum " + max;
        }
        return null;
    }
}
