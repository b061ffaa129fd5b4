package org.fraudscorer.trainer.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fraudscorer.common.metrics.ConfusionMatrix;
import org.fraudscorer.common.metrics.RankingMetrics;
import org.fraudscorer.common.nn.Activation;
import org.fraudscorer.common.nn.DenseLayer;
import org.fraudscorer.common.nn.Inference;
import org.fraudscorer.common.nn.Loss;
import org.fraudscorer.common.nn.MLP;
import org.fraudscorer.common.nn.Parameter;

/**
 * Mini-batch training of an {@link MLP} for a rare positive class: class-weighted BCE, stratified batches,
 * optional resampling, gradient clipping, learning-rate schedule, and early stopping on validation PR-AUC that
 * keeps the best epoch's weights. Deterministic for a given seed.
 */
public final class Trainer {
    /** Validation rows sampled to measure dead ReLU units (enough to see a unit fire, cheap per epoch). */
    private static final int DEAD_RELU_SAMPLE = 2_000;
    private static final int EVAL_CHUNK = 4_096;

    private final TrainerConfig config;

    public Trainer(TrainerConfig config) {
        this.config = config;
    }

    public TrainingResult fit(TrainingSet train, TrainingSet validation, TrainingListener listener) {
        if (train.features() != validation.features()) {
            throw new IllegalArgumentException("train has " + train.features() + " features, validation "
                    + validation.features());
        }
        // Without a validation fraud PR-AUC is NaN every epoch, no epoch ever counts as best, and the initial
        // random weights would be "restored" and returned as if trained.
        if (validation.positives() == 0) {
            throw new IllegalArgumentException("validation rows hold no fraud (0 of " + validation.rows()
                    + "): validation PR-AUC, early stopping and the best-epoch choice need at least one");
        }
        long start = System.nanoTime();
        Run run = start(train);
        List<Parameter> params = run.net.parameters();
        double[][] best = snapshot(params, null);
        double bestPrAuc = Double.NEGATIVE_INFINITY;
        int bestEpoch = -1;
        int sinceBest = 0;
        boolean stoppedEarly = false;
        List<EpochStats> history = new ArrayList<>();

        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            double trainLoss = run.epoch(epoch, listener);
            double[] scores = probabilities(run.net, validation);
            double valLoss = meanLoss(scores, validation.y());
            ConfusionMatrix cm = ConfusionMatrix.at(scores, validation.y(), null, 0.5);
            double prAuc = RankingMetrics.averagePrecision(scores, validation.y(), null);
            double rocAuc = RankingMetrics.rocAuc(scores, validation.y(), null);
            boolean improved = prAuc > bestPrAuc;
            if (improved) {
                bestPrAuc = prAuc;
                bestEpoch = epoch;
                best = snapshot(params, best);
                sinceBest = 0;
            } else {
                sinceBest++;
            }
            EpochStats stats = new EpochStats(epoch + 1, config.schedule().rate(epoch), trainLoss, valLoss,
                    cm.accuracy(), cm.precision(), cm.recall(), cm.f1(), prAuc, rocAuc,
                    deadReluShare(run.net, validation), run.lastGradNorms(), (System.nanoTime() - epochStart) / 1e9,
                    improved);
            history.add(stats);
            listener.onEpoch(stats);
            if (config.patience() > 0 && sinceBest >= config.patience() && epoch + 1 < config.epochs()) {
                stoppedEarly = true;
                break;
            }
        }
        restore(params, best);
        return new TrainingResult(run.net, history, bestEpoch + 1, stoppedEarly, run.w0, run.w1, run.n, run.p,
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * Trains for exactly {@code epochs} epochs with no validation rows and returns the last epoch's network. The
     * procedure's evaluated and refit ensembles train their members in rounds through {@link Ensembles#train}, which
     * must give each member exactly this network for its seed ({@code CrossValidationTest} holds it to that).
     */
    public MLP fitEpochs(TrainingSet train, int epochs, TrainingListener listener) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        Run run = start(train);
        for (int epoch = 0; epoch < epochs; epoch++) {
            run.epoch(epoch, listener);
        }
        return run.network();
    }

    /** A fresh network (seeded by the configuration) ready to be trained on {@code train}, one epoch per call. */
    public Run start(TrainingSet train) {
        return new Run(train);
    }

    /**
     * One network being trained epoch by epoch: the loop of {@link #fit}, exposed so that cross-validation can
     * advance several folds in step and stop them on their mean validation signal. Not thread-safe; distinct runs
     * may train on distinct threads.
     */
    public final class Run {
        private final TrainingSet data;
        private final MLP net;
        private final List<Parameter> params;
        private final List<DenseLayer> dense;
        private final Optimizer optimizer;
        private final BatchSampler sampler;
        private final double w0;
        private final double w1;
        private final int n;
        private final int p;
        private final int drawn;
        private final double positiveWeight;
        private final double negativeWeight;
        private final int f;
        private final double[] bx;
        private final double[] by;
        private final double[] bw;
        private final double[] gradLogits;
        private final double[] gradNormSums;
        private double[] lastNorms;

        private Run(TrainingSet train) {
            data = switch (config.resample()) {
                case "smote" -> Resampling.smote(train, config.resampleRatio() > 0 ? config.resampleRatio() : 0.1, 5,
                        config.seed());
                case "undersample" -> Resampling.undersample(train,
                        config.resampleRatio() > 0 ? config.resampleRatio() : 10, config.seed());
                default -> train;
            };
            n = data.rows();
            p = data.positives();
            if (p == 0 || p == n) {
                throw new IllegalArgumentException("training rows hold " + p + " frauds out of " + n
                        + ": both classes are needed");
            }
            // Balanced class weights n / (2·n_class): each class carries half of the total weight.
            // (n / (2·n_class))^s: s = 1 balanced, s = 0 unweighted.
            double s = config.classWeightScale();
            w1 = s == 0 ? 1.0 : s == 1 ? n / (2.0 * p) : Math.pow(n / (2.0 * p), s);
            w0 = s == 0 ? 1.0 : s == 1 ? n / (2.0 * (n - p)) : Math.pow(n / (2.0 * (n - p)), s);
            f = data.features();
            net = MLP.build(config.sizes(f), config.activation(), config.dropout(), config.seed());
            if (config.biasInit() != 0) {
                SplittableRandom init = new SplittableRandom(config.seed());
                for (DenseLayer d : net.denseLayers()) {
                    d.initialize(init, config.biasInit());
                }
            }
            params = net.parameters();
            dense = net.denseLayers();
            optimizer = Optimizer.parse(config.optimizer(), config.momentum());
            sampler = new BatchSampler(data.y(), config.stratified(), config.seed() ^ 0x5DEECE66DL);
            // An epoch over a draw of the negatives: each drawn one stands for (all / drawn) of them, and both classes'
            // weights are scaled by (epoch rows / all rows) so that a batch's expected gradient is the full set's (the
            // gradient clip and L2 act as they do on every row). Drawing all gives factors of exactly 1.
            drawn = config.epochNegatives() > 0 && config.epochNegatives() < n - p ? config.epochNegatives() : n - p;
            double share = (double) (p + drawn) / n;
            positiveWeight = w1 * share;
            negativeWeight = w0 * ((double) (n - p) / drawn) * share;
            int bs = Math.min(config.batchSize(), n); // a batch is at most every row: buffers for no more
            bx = new double[bs * f];
            by = new double[bs];
            bw = new double[bs];
            gradLogits = new double[bs];
            gradNormSums = new double[dense.size()];
        }

        /** Runs epoch {@code epoch} (0-based: it sets the learning rate) and returns the mean training loss. */
        public double epoch(int epoch, TrainingListener listener) {
            int bs = config.batchSize();
            int rows = sampler.epochRows(drawn);
            int batches = (rows + bs - 1) / bs;
            double lr = config.schedule().rate(epoch);
            int[] order = sampler.nextEpoch(bs, drawn);
            double lossSum = 0;
            java.util.Arrays.fill(gradNormSums, 0);
            for (int b = 0; b < batches; b++) {
                int from = b * bs;
                int m = Math.min(bs, rows - from);
                for (int i = 0; i < m; i++) {
                    int r = order[from + i];
                    System.arraycopy(data.x(), r * f, bx, i * f, f);
                    by[i] = data.y()[r];
                    bw[i] = data.y()[r] == 1 ? positiveWeight : negativeWeight;
                }
                double[] logits = net.forward(bx, m, true);
                double loss = Loss.bceWithLogits(logits, by, bw, m, gradLogits);
                if (config.l2() > 0) {
                    loss += Loss.l2Penalty(net, config.l2());
                }
                net.backward(gradLogits, m);
                if (config.l2() > 0) {
                    Loss.addL2Gradient(net, config.l2());
                }
                double total = layerNorms(dense, gradNormSums);
                if (!Double.isFinite(loss) || !Double.isFinite(total)) {
                    throw new TrainingDivergedException(String.format(
                            "training diverged at epoch %d, batch %d/%d: loss %s, gradient norm %s at learning rate %g. "
                                    + "Lower --learning-rate, set --clip-norm (e.g. 1), or check the input for extreme values.",
                            epoch + 1, b + 1, batches, loss, total, lr));
                }
                if (config.clipNorm() > 0 && total > config.clipNorm()) {
                    scale(params, config.clipNorm() / total);
                }
                optimizer.step(params, lr);
                lossSum += loss * m;
                listener.onBatch(epoch, b, batches);
            }
            checkFinite(params, epoch);
            lastNorms = new double[dense.size()];
            for (int l = 0; l < lastNorms.length; l++) {
                lastNorms[l] = gradNormSums[l] / batches;
            }
            return lossSum / rows;
        }

        /** The network as trained so far (live: later epochs change it). */
        public MLP network() {
            return net;
        }

        /** Mean gradient norm per dense layer over the last epoch's batches. */
        double[] lastGradNorms() {
            return lastNorms.clone();
        }
    }

    /** Fraud probabilities of every row (dropout off), in chunks so the network's buffers stay small. */
    public static double[] probabilities(MLP net, TrainingSet s) {
        double[] out = logits(net, s);
        for (int i = 0; i < out.length; i++) {
            out[i] = Loss.sigmoid(out[i]);
        }
        return out;
    }

    /** Fraud logits of every row (dropout off). */
    public static double[] logits(MLP net, TrainingSet s) {
        double[] out = new double[s.rows()];
        int f = s.features();
        double[] chunk = new double[Math.min(EVAL_CHUNK, Math.max(1, s.rows())) * f];
        for (int from = 0; from < s.rows(); from += EVAL_CHUNK) {
            int m = Math.min(EVAL_CHUNK, s.rows() - from);
            System.arraycopy(s.x(), from * f, chunk, 0, m * f);
            double[] logits = net.forward(chunk, m, false);
            System.arraycopy(logits, 0, out, from, m);
        }
        return out;
    }

    /** Mean binary cross-entropy of probabilities {@code p} against labels {@code y} (NaN for no rows). */
    static double meanLoss(double[] p, int[] y) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            double q = y[i] == 1 ? p[i] : 1 - p[i];
            s -= Math.log(Math.max(q, 1e-15));
        }
        return p.length == 0 ? Double.NaN : s / p.length;
    }

    /** Adds each dense layer's gradient norm to {@code sums}; returns the global norm. */
    private static double layerNorms(List<DenseLayer> dense, double[] sums) {
        double total = 0;
        for (int l = 0; l < dense.size(); l++) {
            double sq = 0;
            for (Parameter p : dense.get(l).parameters()) {
                for (double g : p.grad()) {
                    sq += g * g;
                }
            }
            sums[l] += Math.sqrt(sq);
            total += sq;
        }
        return Math.sqrt(total);
    }

    private static void scale(List<Parameter> params, double factor) {
        for (Parameter p : params) {
            double[] g = p.grad();
            for (int i = 0; i < g.length; i++) {
                g[i] *= factor;
            }
        }
    }

    private static void checkFinite(List<Parameter> params, int epoch) {
        for (Parameter p : params) {
            for (double v : p.value()) {
                if (!Double.isFinite(v)) {
                    throw new TrainingDivergedException("parameter " + p.name() + " became " + v + " in epoch "
                            + (epoch + 1) + ": lower --learning-rate or set --clip-norm");
                }
            }
        }
    }

    static double deadReluShare(MLP net, TrainingSet s) {
        List<DenseLayer> dense = net.denseLayers();
        int hiddenUnits = 0;
        for (int l = 0; l + 1 < dense.size(); l++) {
            if (dense.get(l).activation() == Activation.RELU) {
                hiddenUnits += dense.get(l).outputSize();
            }
        }
        if (hiddenUnits == 0 || s.rows() == 0) {
            return Double.NaN; // no ReLU unit to die (a leaky one cannot), or no row to tell by
        }
        boolean[][] alive = new boolean[dense.size()][];
        for (int l = 0; l < dense.size(); l++) {
            alive[l] = new boolean[dense.get(l).outputSize()];
        }
        Inference inf = net.newInference();
        double[] row = new double[s.features()];
        int step = Math.max(1, s.rows() / DEAD_RELU_SAMPLE);
        for (int r = 0; r < s.rows(); r += step) {
            System.arraycopy(s.x(), r * s.features(), row, 0, s.features());
            inf.logit(row);
            for (int l = 0; l + 1 < dense.size(); l++) {
                double[] a = inf.activations(l);
                for (int u = 0; u < alive[l].length; u++) {
                    alive[l][u] |= a[u] > 0;
                }
            }
        }
        int dead = 0;
        for (int l = 0; l + 1 < dense.size(); l++) {
            if (dense.get(l).activation() == Activation.RELU) {
                for (boolean a : alive[l]) {
                    dead += a ? 0 : 1;
                }
            }
        }
        return (double) dead / hiddenUnits;
    }

    private static double[][] snapshot(List<Parameter> params, double[][] into) {
        double[][] s = into != null ? into : new double[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            double[] v = params.get(i).value();
            if (s[i] == null) {
                s[i] = v.clone();
            } else {
                System.arraycopy(v, 0, s[i], 0, v.length);
            }
        }
        return s;
    }

    private static void restore(List<Parameter> params, double[][] from) {
        for (int i = 0; i < params.size(); i++) {
            System.arraycopy(from[i], 0, params.get(i).value(), 0, from[i].length);
        }
    }
}
