package org.fraudscorer.scorer.serde;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.fraudscorer.common.features.FeatureSchema;

/** Builds creditcard event payloads for tests; values are made up, not taken from any dataset. */
final class TestEvents {
    static final FeatureSchema SCHEMA = FeatureSchema.CREDITCARD;

    /** Raw JSON text of each field's value, in insertion order. */
    private final Map<String, String> fields = new LinkedHashMap<>();
    private String suffix = "";

    private TestEvents() {
    }

    /** A valid event: Time, V1..V28, Amount with made-up values. */
    static TestEvents valid() {
        TestEvents e = new TestEvents();
        double[] v = validInputs();
        for (int i = 0; i < v.length; i++) {
            e.fields.put(SCHEMA.inputFields().get(i), Double.toString(v[i]));
        }
        return e;
    }

    /** The inputs of {@link #valid()}, in schema order. */
    static double[] validInputs() {
        double[] v = new double[SCHEMA.inputCount()];
        v[0] = 51234.0;
        for (int i = 1; i <= 28; i++) {
            v[i] = (i % 3 == 0 ? -1 : 1) * (0.125 * i + i / 1000.0);
        }
        v[29] = 87.35;
        return v;
    }

    /** Sets (or adds, at the end) a field with the given raw JSON value text. */
    TestEvents set(String field, String rawJsonValue) {
        fields.put(field, rawJsonValue);
        return this;
    }

    TestEvents remove(String field) {
        fields.remove(field);
        return this;
    }

    /** Raw text inserted just before the closing brace, e.g. {@code ,"V3":1.0} for a duplicate. */
    TestEvents appendRaw(String raw) {
        suffix += raw;
        return this;
    }

    String json() {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, String> f : fields.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(f.getKey()).append("\":").append(f.getValue());
        }
        return sb.append(suffix).append('}').toString();
    }

    byte[] bytes() {
        return utf8(json());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String jsonString(String s) {
        return '"' + s + '"';
    }

    /** A random in-range input vector mixing plain uniform values with raw bit patterns (extremes, subnormals). */
    static double[] randomInputs(Random rnd) {
        double[] v = new double[SCHEMA.inputCount()];
        for (int i = 0; i < v.length; i++) {
            double min = SCHEMA.ranges().get(i).min();
            double max = SCHEMA.ranges().get(i).max();
            v[i] = randomIn(rnd, min, max);
        }
        return v;
    }

    private static double randomIn(Random rnd, double min, double max) {
        switch (rnd.nextInt(6)) {
            case 0: // arbitrary bit patterns within range: subnormals, 17-digit values, Double.MAX_VALUE...
                while (true) {
                    double d = Double.longBitsToDouble(rnd.nextLong());
                    if (d >= min && d <= max) {
                        return d;
                    }
                }
            case 1:
                return rnd.nextBoolean() ? min : max;
            case 2: // cents, as amounts usually are
                return Math.max(min, Math.min(max, Math.round(rnd.nextDouble() * Math.min(max, 1e6) * 100) / 100.0));
            default:
                double span = Math.min(max, 1e9) - min;
                return min + rnd.nextDouble() * span;
        }
    }
}
