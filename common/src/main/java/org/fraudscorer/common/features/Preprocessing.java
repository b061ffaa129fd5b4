package org.fraudscorer.common.features;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The fitted map from an event's input vector to the network's feature vector: pick the source field,
 * apply its fixed transform, then (when fitted with one) its {@linkplain QuantileMap quantile map} onto the normal
 * scale, then standardise with means and deviations fitted on training rows only, then clip (when set).
 * {@link #apply(double[], double[])} allocates nothing: it sits on the per-record scoring path.
 */
public final class Preprocessing {
    /** Deviations below this are treated as a constant column (divide by 1, not by ~0). */
    static final double MIN_STD = 1e-12;

    private final FeatureSchema schema;
    private final int[] sources;
    private final Transform[] transforms;
    private final double[] means;
    private final double[] stds;
    /** 1 / std: a multiply on the per-record path instead of a division (~4× cheaper on current CPUs). */
    private final double[] inverseStds;
    /** The features whose transform is not {@link Transform#NONE} (e.g. log1p of the amount). */
    private final int[] transformed;
    /** Clip of the standardised values (0 = none). */
    private final double clip;
    /** One quantile map per feature, applied after the fixed transform and before standardising; null = none. */
    private final QuantileMap[] quantiles;

    public Preprocessing(FeatureSchema schema, double[] means, double[] stds) {
        this(schema, means, stds, 0.0);
    }

    /** @param clip standardised values are clipped to {@code [-clip, clip]}; 0 = no clipping */
    public Preprocessing(FeatureSchema schema, double[] means, double[] stds, double clip) {
        this(schema, null, means, stds, clip);
    }

    /**
     * @param quantiles one map per feature, applied after its fixed transform and before standardising (the means and
     *                  deviations are those of the mapped values); null = none
     * @param clip      standardised values are clipped to {@code [-clip, clip]}; 0 = no clipping
     */
    public Preprocessing(FeatureSchema schema, List<QuantileMap> quantiles, double[] means, double[] stds,
                         double clip) {
        if (!(clip >= 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("the input clip must be finite and >= 0 (0 = off), got " + clip);
        }
        this.clip = clip;
        int n = schema.featureCount();
        if (means.length != n || stds.length != n) {
            throw new IllegalArgumentException("preprocessing for " + n + " features needs " + n
                    + " means and deviations, got " + means.length + " and " + stds.length);
        }
        for (int j = 0; j < n; j++) {
            if (!Double.isFinite(means[j]) || !Double.isFinite(stds[j]) || stds[j] <= 0) {
                throw new IllegalArgumentException("feature " + schema.features().get(j).name()
                        + ": mean " + means[j] + " and deviation " + stds[j] + " must be finite, deviation > 0");
            }
        }
        if (quantiles != null && (quantiles.size() != n || quantiles.stream().anyMatch(Objects::isNull))) {
            throw new IllegalArgumentException("preprocessing for " + n + " features needs " + n
                    + " quantile maps, got " + quantiles.stream().filter(Objects::nonNull).count());
        }
        this.quantiles = quantiles == null ? null : quantiles.toArray(new QuantileMap[0]);
        this.schema = schema;
        this.means = means.clone();
        this.stds = stds.clone();
        this.inverseStds = new double[n];
        for (int j = 0; j < n; j++) {
            inverseStds[j] = 1.0 / stds[j];
        }
        this.sources = new int[n];
        this.transforms = new Transform[n];
        for (int j = 0; j < n; j++) {
            FeatureSpec f = schema.features().get(j);
            sources[j] = schema.inputIndex(f.source());
            transforms[j] = f.transform();
        }
        this.transformed = java.util.stream.IntStream.range(0, n).filter(j -> transforms[j] != Transform.NONE).toArray();
    }

    /** Fits means and deviations (population, as scikit-learn's StandardScaler) on the given rows. */
    public static Preprocessing fit(FeatureSchema schema, double[] inputs, int rows) {
        return fit(schema, inputs, rows, false);
    }

    /**
     * Fits on the given rows: with {@code quantile}, first each feature's {@link QuantileMap} ({@link QuantileMap#KNOTS}
     * knots) on its transformed values, then the means and deviations of the mapped values; without, the means and
     * deviations of the transformed values.
     */
    public static Preprocessing fit(FeatureSchema schema, double[] inputs, int rows, boolean quantile) {
        int in = schema.inputCount();
        if (rows <= 0 || inputs.length < (long) rows * in) {
            throw new IllegalArgumentException("fit needs rows*" + in + " = " + ((long) rows * in)
                    + " input values, got " + inputs.length + " for " + rows + " rows");
        }
        int n = schema.featureCount();
        double[] means = new double[n];
        double[] stds = new double[n];
        List<QuantileMap> maps = quantile ? new ArrayList<>() : null;
        double[] transformed = new double[rows];
        for (int j = 0; j < n; j++) {
            FeatureSpec f = schema.features().get(j);
            int src = schema.inputIndex(f.source());
            for (int r = 0; r < rows; r++) {
                transformed[r] = f.transform().apply(inputs[r * in + src]);
            }
            QuantileMap map = quantile ? QuantileMap.fit(transformed, 0, 1, rows, QuantileMap.KNOTS) : null;
            if (maps != null) {
                maps.add(map);
            }
            // Welford's running mean and variance: stable for large row counts.
            double mean = 0;
            double s = 0;
            for (int r = 0; r < rows; r++) {
                double v = map == null ? transformed[r] : map.apply(transformed[r]);
                double d = v - mean;
                mean += d / (r + 1);
                s += d * (v - mean);
            }
            means[j] = mean;
            double sd = Math.sqrt(s / rows);
            stds[j] = sd < MIN_STD ? 1.0 : sd;
        }
        return new Preprocessing(schema, maps, means, stds, 0.0);
    }

    /** Writes the standardised feature vector of one event into {@code out} (length ≥ featureCount). */
    public void apply(double[] inputs, double[] out) {
        if (quantiles != null) {
            applyMapped(inputs, 0, out, 0);
            if (clip > 0) {
                clip(out, sources.length, clip);
            }
            return;
        }
        // Two tight loops instead of one with a call per feature: standardise every feature as if untransformed,
        // then redo the few transformed ones. Same operations per feature as applyBatch, so the same bits.
        int n = sources.length;
        for (int j = 0; j < n; j++) {
            out[j] = (inputs[sources[j]] - means[j]) * inverseStds[j];
        }
        for (int j : transformed) {
            out[j] = (transforms[j].apply(inputs[sources[j]]) - means[j]) * inverseStds[j];
        }
        if (clip > 0) {
            clip(out, n, clip);
        }
    }

    /** One row through transform, quantile map and standardisation: the same operations for apply and applyBatch. */
    private void applyMapped(double[] inputs, int base, double[] out, int o) {
        for (int j = 0; j < sources.length; j++) {
            out[o + j] = (quantiles[j].apply(transforms[j].apply(inputs[base + sources[j]])) - means[j]) * inverseStds[j];
        }
    }

    private static void clip(double[] v, int n, double c) {
        for (int j = 0; j < n; j++) {
            v[j] = Math.max(-c, Math.min(c, v[j]));
        }
    }

    /** The same fitted standardisation with another clip (0 = none). */
    public Preprocessing withClip(double newClip) {
        return new Preprocessing(schema, quantiles(), means, stds, newClip);
    }

    public double clip() {
        return clip;
    }

    /** Row-major batch version of {@link #apply(double[], double[])}. */
    public double[] applyBatch(double[] inputs, int rows) {
        int in = schema.inputCount();
        int n = sources.length;
        double[] out = new double[rows * n];
        for (int r = 0; r < rows; r++) {
            int base = r * in;
            int o = r * n;
            if (quantiles != null) {
                applyMapped(inputs, base, out, o);
                continue;
            }
            for (int j = 0; j < n; j++) {
                out[o + j] = (transforms[j].apply(inputs[base + sources[j]]) - means[j]) * inverseStds[j];
            }
        }
        if (clip > 0) {
            clip(out, out.length, clip);
        }
        return out;
    }

    public FeatureSchema schema() {
        return schema;
    }

    public int featureCount() {
        return sources.length;
    }

    /** The features' quantile maps in schema order, or null when the inputs are only standardised. */
    public List<QuantileMap> quantiles() {
        return quantiles == null ? null : List.of(quantiles);
    }

    public double[] means() {
        return means.clone();
    }

    public double[] stds() {
        return stds.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && p.schema.equals(schema) && Arrays.equals(p.means, means)
                && Arrays.equals(p.stds, stds) && p.clip == clip && Arrays.equals(p.quantiles, quantiles);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(means) * 31 + Arrays.hashCode(stds);
    }
}
