package org.fraudscorer.common.model;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.Preprocessing;
import org.fraudscorer.common.nn.Activation;
import org.fraudscorer.common.nn.MLP;

/** Made-up models and transactions for model-file tests (no real data involved). */
public final class ModelFixtures {
    private ModelFixtures() {
    }

    /** A seeded random 29-16-16-1 ReLU bundle with random (valid) preprocessing. */
    public static ModelBundle bundle(long seed) {
        return bundle(seed, Activation.RELU);
    }

    /** A seeded random 29-16-16-1 bundle with {@code hidden} units and random (valid) preprocessing. */
    public static ModelBundle bundle(long seed, Activation hidden) {
        FeatureSchema s = FeatureSchema.CREDITCARD;
        SplittableRandom r = new SplittableRandom(seed);
        double[] means = new double[s.featureCount()];
        double[] stds = new double[s.featureCount()];
        for (int j = 0; j < means.length; j++) {
            means[j] = r.nextGaussian();
            stds[j] = 0.5 + r.nextDouble();
        }
        MLP net = MLP.build(new int[] {s.featureCount(), 16, 16, 1}, hidden, 0.0, seed);
        for (var d : net.denseLayers()) {
            double[] b = d.biases();
            for (int i = 0; i < b.length; i++) {
                b[i] = 0.1 * r.nextGaussian();
            }
        }
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        metrics.put("test", Map.of("pr_auc", 0.5));
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("hidden", java.util.List.of(16, 16));
        hyper.put("learningRate", 0.001);
        return new ModelBundle("fixture-" + seed, Instant.parse("2026-11-29T00:00:00Z"), s,
                new Preprocessing(s, means, stds), net, new ThresholdInfo(0.5, "max-f1"), seed, metrics, hyper,
                Map.of("data", "made-up"), null);
    }

    /**
     * A creditcard bundle whose network overflows to NaN on the events of {@link #transactions}: finite weights of
     * ±1e308, which the model file's checks let through, in leaky ReLU units (whose negative side keeps a NaN that
     * ReLU's would zero).
     */
    public static ModelBundle overflowing() {
        ModelBundle b = bundle(1, Activation.LEAKY_RELU);
        java.util.List<org.fraudscorer.common.nn.DenseLayer> layers = b.members().get(0).denseLayers();
        java.util.Arrays.fill(layers.get(0).weights(), 1e308);
        double[] w = layers.get(1).weights();
        for (int i = 0; i < w.length; i++) {
            w[i] = i % 2 == 0 ? 1e308 : -1e308;
        }
        return b;
    }

    /** A raw-event (handbook schema) model named {@code version} with the given label delay. */
    public static ModelBundle raw(String version, int delayDays) {
        FeatureSchema s = FeatureSchema.HANDBOOK_V1;
        double[] ones = new double[s.featureCount()];
        java.util.Arrays.fill(ones, 1);
        MLP net = MLP.build(new int[] {s.featureCount(), 4, 1}, Activation.RELU, 0, version.hashCode());
        return new ModelBundle(version, Instant.EPOCH, s, new Preprocessing(s, new double[s.featureCount()], ones),
                net, bundle(1).threshold(), 1, Map.of(), Map.of(), Map.of(ModelBundle.LABEL_DELAY_KEY, delayDays),
                null).sealed();
    }

    /** A seeded random ensemble of {@code k} members (member i built from seed {@code seed + i}), inputs clipped at 2. */
    public static ModelBundle ensemble(long seed, int k) {
        ModelBundle first = bundle(seed);
        java.util.List<MLP> members = new java.util.ArrayList<>();
        for (int i = 0; i < k; i++) {
            members.add(bundle(seed + i).network());
        }
        return new ModelBundle("ensemble-" + seed + "x" + k, first.createdAt(), first.schema(),
                first.preprocessing().withClip(2.0),
                members, first.threshold(), seed, first.metrics(), first.hyperparameters(), first.provenance(), null);
    }

    /** Plausible made-up transactions: Time, V1..V28, Amount. */
    public static double[][] transactions(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][30];
        for (int i = 0; i < n; i++) {
            x[i][0] = r.nextDouble(0, 172_800);
            for (int v = 1; v <= 28; v++) {
                x[i][v] = 2 * r.nextGaussian();
            }
            x[i][29] = Math.exp(r.nextDouble(0, 8)) - 1;
        }
        return x;
    }

    /**
     * {@link #ensemble} with quantile-mapped inputs: the maps, means and deviations fitted on made-up transactions
     * (no clip), as {@code train --input-transform quantile} fits them.
     */
    public static ModelBundle quantileEnsemble(long seed, int k) {
        ModelBundle e = ensemble(seed, k);
        double[][] t = transactions(2_000, seed);
        double[] flat = new double[t.length * 30];
        for (int i = 0; i < t.length; i++) {
            System.arraycopy(t[i], 0, flat, i * 30, 30);
        }
        return new ModelBundle("quantile-" + seed + "x" + k, e.createdAt(), e.schema(),
                Preprocessing.fit(e.schema(), flat, t.length, true), e.members(), e.threshold(), seed, e.metrics(),
                e.hyperparameters(), e.provenance(), null);
    }
}
