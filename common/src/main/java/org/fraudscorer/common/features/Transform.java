package org.fraudscorer.common.features;

import java.util.Locale;

/** A fixed, parameter-free transform applied to an input field before standardisation. */
public enum Transform {
    NONE {
        @Override public double apply(double v) { return v; }
    },
    /** log(1 + v): compresses heavy-tailed, non-negative amounts. */
    LOG1P {
        @Override public double apply(double v) { return Math.log1p(v); }
    };

    public abstract double apply(double v);

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Transform parse(String id) {
        for (Transform t : values()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown transform '" + id + "' (known: none, log1p)");
    }
}
