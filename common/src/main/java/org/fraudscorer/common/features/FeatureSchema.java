package org.fraudscorer.common.features;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fraudscorer.common.features.events.HandbookFeatures;

/**
 * What an event must carry ({@link #inputFields()}, with plausible ranges) and which features the network
 * sees ({@link #features()}, in order). Stored inside every model file, so a scorer can refuse a model
 * whose schema differs from the one it serves.
 */
public record FeatureSchema(String name, List<String> inputFields, List<FieldRange> ranges, List<FeatureSpec> features) {

    /** Largest amount we accept: far above any card payment, small enough to catch overflowed or unit-shifted values. */
    public static final double MAX_AMOUNT = 10_000_000.0;
    /** The PCA components of the Kaggle data lie within about ±120; beyond ±1000 a value is not from that transform. */
    public static final double MAX_ABS_PCA = 1_000.0;

    public FeatureSchema {
        inputFields = List.copyOf(inputFields);
        ranges = List.copyOf(ranges);
        features = List.copyOf(features);
        if (ranges.size() != inputFields.size()) {
            throw new IllegalArgumentException("schema " + name + ": " + inputFields.size() + " input fields but "
                    + ranges.size() + " ranges");
        }
        for (int i = 0; i < ranges.size(); i++) {
            if (!ranges.get(i).field().equals(inputFields.get(i))) {
                throw new IllegalArgumentException("schema " + name + ": range " + i + " is for "
                        + ranges.get(i).field() + ", expected " + inputFields.get(i));
            }
        }
        Map<String, Integer> seen = new HashMap<>();
        for (String f : inputFields) {
            if (seen.put(f, seen.size()) != null) {
                throw new IllegalArgumentException("schema " + name + ": duplicate input field " + f);
            }
        }
        for (FeatureSpec f : features) {
            if (!seen.containsKey(f.source())) {
                throw new IllegalArgumentException("schema " + name + ": feature " + f.name()
                        + " reads unknown input field " + f.source());
            }
        }
    }

    /**
     * The Kaggle/ULB credit-card schema. Absolute {@code Time} is an input field (events carry it) but not a
     * feature: it encodes the position in the two-day file (and in our sample, how rows were drawn), so a
     * network that saw it would learn the sampling, not fraud.
     */
    public static final FeatureSchema CREDITCARD = creditcard();

    private static FeatureSchema creditcard() {
        List<String> inputs = new ArrayList<>();
        List<FieldRange> ranges = new ArrayList<>();
        List<FeatureSpec> features = new ArrayList<>();
        inputs.add("Time");
        ranges.add(new FieldRange("Time", 0, Double.MAX_VALUE));
        for (int i = 1; i <= 28; i++) {
            String v = "V" + i;
            inputs.add(v);
            ranges.add(new FieldRange(v, -MAX_ABS_PCA, MAX_ABS_PCA));
            features.add(new FeatureSpec(v, v, Transform.NONE));
        }
        inputs.add("Amount");
        ranges.add(new FieldRange("Amount", 0, MAX_AMOUNT));
        features.add(new FeatureSpec("log1p(Amount)", "Amount", Transform.LOG1P));
        return new FeatureSchema("creditcard-v1", inputs, ranges, features);
    }

    /** Every raw-event feature set's model schema, built once from its {@link HandbookFeatures.Version}. */
    private static final java.util.Map<HandbookFeatures.Version, FeatureSchema> RAW_EVENT_SCHEMAS = rawEventSchemas();

    /**
     * The handbook's 15 engineered features of raw payment events ({@code features.events.HandbookFeatures}):
     * the engine computes them from the event and the card's and terminal's histories, so they are the model's
     * input fields, each fed to the network as it is and standardised, as the handbook's StandardScaler does.
     */
    public static final FeatureSchema HANDBOOK_V1 = of(HandbookFeatures.Version.V1);

    /**
     * {@code handbook-v2}: the 15, then the card's amount profile (the amount over the median and over the maximum of
     * the card's previous 30 days). What {@code train} writes for raw events
     * since it was added; {@code handbook-v1} models keep loading and are served with their own 15 features.
     */
    public static final FeatureSchema HANDBOOK_V2 = of(HandbookFeatures.Version.V2);

    /** The model schema of a raw-event feature set. */
    public static FeatureSchema of(HandbookFeatures.Version version) {
        return RAW_EVENT_SCHEMAS.get(version);
    }

    /**
     * A feature set's schema: its features are the engine's outputs, in order, each an input field fed to the network
     * untransformed (a log-scaled feature is computed scaled), each accepted from 0 to the set's
     * {@link HandbookFeatures.Version#maxValue}.
     */
    private static java.util.Map<HandbookFeatures.Version, FeatureSchema> rawEventSchemas() {
        java.util.Map<HandbookFeatures.Version, FeatureSchema> all = new java.util.EnumMap<>(
                HandbookFeatures.Version.class);
        for (HandbookFeatures.Version version : HandbookFeatures.Version.values()) {
            List<FieldRange> ranges = new ArrayList<>();
            List<FeatureSpec> features = new ArrayList<>();
            for (int i = 0; i < version.count(); i++) {
                String n = version.names().get(i);
                ranges.add(new FieldRange(n, 0, version.maxValue(i)));
                features.add(new FeatureSpec(n, n, Transform.NONE));
            }
            all.put(version, new FeatureSchema(version.schemaName(), version.names(), ranges, features));
        }
        return java.util.Collections.unmodifiableMap(all);
    }

    /** The raw-event feature set this schema is, if it is one ({@code handbook-v1}, {@code handbook-v2}). */
    public java.util.Optional<HandbookFeatures.Version> handbookVersion() {
        for (HandbookFeatures.Version v : HandbookFeatures.Version.values()) {
            if (v.schemaName().equals(name)) {
                return java.util.Optional.of(v);
            }
        }
        return java.util.Optional.empty();
    }

    public int inputCount() {
        return inputFields.size();
    }

    public int featureCount() {
        return features.size();
    }

    /** @return the position of an input field, or -1. */
    public int inputIndex(String field) {
        return inputFields.indexOf(field);
    }

    public List<String> featureNames() {
        return features.stream().map(FeatureSpec::name).toList();
    }

    /**
     * Checks one event's input vector against the ranges.
     *
     * @return null when every value is acceptable, else the first reason it is not
     */
    public String validate(double[] inputs) {
        if (inputs.length < inputFields.size()) {
            return "expected " + inputFields.size() + " input values, got " + inputs.length;
        }
        for (int i = 0; i < ranges.size(); i++) {
            String reason = ranges.get(i).check(inputs[i]);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }
}
