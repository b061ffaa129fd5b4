package org.fraudscorer.trainer.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fraudscorer.common.metrics.ConfusionMatrix;
import org.fraudscorer.common.metrics.RankingMetrics;

/**
 * K-fold model selection: one network per fold, all folds trained in step, epoch by epoch; after each epoch every
 * fold's validation PR-AUC is measured and their <em>mean</em> is the early-stopping signal. The chosen epoch count
 * is the epoch of the best mean; the out-of-fold scores of that epoch (every development row scored once, by the
 * fold that did not train on it) are what a threshold is then chosen on.
 *
 * <p>Why: with one validation part of a few dozen frauds, the best epoch and the threshold are picked by noise; over
 * K folds every fraud of the development rows votes once, and the spread over folds is reported (mean ± sd).
 *
 * <p>Folds train on up to {@code threads} threads; results do not depend on the thread count (each fold has its own
 * network and seed, and the means are summed in fold order).
 */
public final class CrossValidation {

    /** Row indices of each fold's training and validation part (indices into the caller's rows). */
    public record Folds(List<int[]> train, List<int[]> validation, String kind) {
        public Folds {
            if (train.size() != validation.size() || train.size() < 2) {
                throw new IllegalArgumentException("need at least 2 folds, got " + train.size());
            }
            train = List.copyOf(train);
            validation = List.copyOf(validation);
        }

        public int count() {
            return train.size();
        }
    }

    /** One fold's standardised rows (each fold fits its own preprocessing on its own training rows). */
    public record FoldData(TrainingSet train, TrainingSet validation) {
    }

    /**
     * @param bestEpoch       1-based epoch with the best mean validation PR-AUC: the refit's epoch count
     * @param history         per epoch: means over folds (losses, PR-AUC, ROC-AUC), confusion at 0.5 over pooled
     *                        out-of-fold rows; {@code improved} marks a new best mean
     * @param foldPrAuc       each fold's validation PR-AUC at {@code bestEpoch}
     * @param oofScores       per fold, the validation rows' scores at {@code bestEpoch} (in the fold's row order)
     * @param sdPrAuc         standard deviation (n − 1) of {@code foldPrAuc}
     */
    public record Result(int bestEpoch, boolean stoppedEarly, List<EpochStats> history, double[] foldPrAuc,
                         double meanPrAuc, double sdPrAuc, double meanRocAuc, double sdRocAuc,
                         List<double[]> oofScores, double seconds) {
    }

    private CrossValidation() {
    }

    /**
     * Stratified K folds: within each class the rows are shuffled with {@code seed} and dealt to the folds in turn,
     * so every fold holds the class proportions of the whole (fraud counts differ by at most one).
     */
    public static Folds stratified(int[] labels, int k, long seed) {
        checkK(k, labels.length);
        int positives = 0;
        for (int y : labels) {
            positives += y;
        }
        if (positives < k) {
            throw new IllegalArgumentException("stratified " + k + "-fold validation needs at least " + k
                    + " frauds, the development rows hold " + positives);
        }
        int[] fold = new int[labels.length];
        Random random = new Random(seed);
        int next = 0;
        for (int label = 0; label <= 1; label++) {
            int wanted = label;
            int[] rows = java.util.stream.IntStream.range(0, labels.length).filter(r -> labels[r] == wanted).toArray();
            for (int i = rows.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = rows[i];
                rows[i] = rows[j];
                rows[j] = t;
            }
            // Continue dealing where the previous class stopped, so fold sizes differ by at most one overall.
            for (int r : rows) {
                fold[r] = next;
                next = (next + 1) % k;
            }
        }
        return byFoldIndex(fold, k, "stratified");
    }

    private static void checkK(int k, int rows) {
        if (k < 2) {
            throw new IllegalArgumentException("--folds must be at least 2, got " + k);
        }
        if (rows < 2 * k) {
            throw new IllegalArgumentException(k + "-fold validation needs at least " + (2 * k) + " rows, got " + rows);
        }
    }

    private static Folds byFoldIndex(int[] fold, int k, String kind) {
        List<int[]> train = new ArrayList<>();
        List<int[]> validation = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            int wanted = f;
            validation.add(java.util.stream.IntStream.range(0, fold.length).filter(r -> fold[r] == wanted).toArray());
            train.add(java.util.stream.IntStream.range(0, fold.length).filter(r -> fold[r] != wanted).toArray());
        }
        return new Folds(train, validation, kind);
    }

    /**
     * Trains one network per fold, side by side, for at most {@code config.epochs()} epochs, stopping when the mean
     * validation PR-AUC has not improved for {@code config.patience()} epochs (0 = never). Fold {@code f} uses seed
     * {@link Ensembles#memberSeed}{@code (config.seed(), f)}.
     */
    public static Result run(List<FoldData> folds, TrainerConfig config, int threads, TrainingListener listener) {
        long start = System.nanoTime();
        int k = folds.size();
        for (FoldData f : folds) {
            if (f.validation().positives() == 0) {
                throw new IllegalArgumentException("a validation fold holds no fraud (0 of " + f.validation().rows()
                        + " rows): use fewer --folds");
            }
        }
        if (config.inputClip() > 0) {
            List<FoldData> clipped = new ArrayList<>();
            for (FoldData f : folds) {
                clipped.add(new FoldData(f.train().clipped(config.inputClip()),
                        f.validation().clipped(config.inputClip())));
            }
            folds = clipped;
        }
        List<FoldData> data = folds;
        List<Trainer.Run> runs = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            TrainerConfig seeded = config.withEpochsAndSeed(config.epochs(), Ensembles.memberSeed(config.seed(), f));
            runs.add(new Trainer(seeded).start(data.get(f).train()));
        }
        // Folds train an epoch at a time on whichever thread is free (Stepwise); a fast fold may run several epochs
        // ahead of a slow one (its scores wait in order). An epoch is judged, in order, once every fold has scored
        // it. A stop wastes the epochs already run ahead, and every figure is the one a barrier per epoch would give.
        Selector selector = new Selector(folds, config, listener);
        Stepwise.run(threads, k, (f, epoch) -> {
            Trainer.Run run = runs.get(f);
            double loss = run.epoch(epoch, TrainingListener.NONE);
            FoldEpoch done = new FoldEpoch(loss, Trainer.probabilities(run.network(), data.get(f).validation()),
                    f == 0 ? run.lastGradNorms() : null,
                    f == 0 ? Trainer.deadReluShare(run.network(), data.get(f).validation()) : 0);
            return selector.scored(f, epoch, done);
        });
        List<EpochStats> history = selector.history;
        int bestEpoch = selector.bestEpoch;
        boolean stoppedEarly = selector.stoppedEarly;
        double[] bestFoldPr = selector.bestFoldPr;
        double[] bestFoldRoc = selector.bestFoldRoc;
        List<double[]> bestScores = selector.bestScores;
        return new Result(bestEpoch + 1, stoppedEarly, history, bestFoldPr, mean(bestFoldPr), sd(bestFoldPr),
                mean(bestFoldRoc), sd(bestFoldRoc), bestScores, (System.nanoTime() - start) / 1e9);
    }

    static java.util.concurrent.ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r, "fraud-train");
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * One fold's epoch: its mean training loss, its validation rows' scores, and (fold 0 only) its gradient norms and
     * dead-ReLU share.
     */
    private record FoldEpoch(double trainLoss, double[] scores, double[] gradNorms, double deadReluShare) {
    }

    /**
     * The early-stopping state of {@link #run}: collects the folds' epochs as they come, from any thread, and judges
     * each epoch in order once all folds have scored it.
     */
    private static final class Selector {
        private final List<FoldData> folds;
        private final TrainerConfig config;
        private final TrainingListener listener;
        private final int k;
        private final java.util.Map<Integer, FoldEpoch[]> pending = new java.util.HashMap<>();
        private final List<EpochStats> history = new ArrayList<>();
        private final double[] bestFoldPr;
        private final double[] bestFoldRoc;
        private final List<double[]> bestScores;
        private int judged;
        private double bestMean = Double.NEGATIVE_INFINITY;
        private int bestEpoch = -1;
        private int sinceBest;
        private boolean stoppedEarly;
        private long since = System.nanoTime();

        Selector(List<FoldData> folds, TrainerConfig config, TrainingListener listener) {
            this.folds = folds;
            this.config = config;
            this.listener = listener;
            this.k = folds.size();
            bestFoldPr = new double[k];
            bestFoldRoc = new double[k];
            bestScores = new ArrayList<>(java.util.Collections.nCopies(k, (double[]) null));
        }

        /** Records fold {@code f}'s epoch; returns whether that fold should train another. */
        synchronized boolean scored(int f, int epoch, FoldEpoch done) {
            if (stoppedEarly) {
                return false;
            }
            FoldEpoch[] row = pending.computeIfAbsent(epoch, e -> new FoldEpoch[k]);
            row[f] = done;
            while (!stoppedEarly && pending.containsKey(judged) && complete(pending.get(judged))) {
                judge(judged, pending.remove(judged));
                judged++;
            }
            return !stoppedEarly && epoch + 1 < config.epochs();
        }

        private static boolean complete(FoldEpoch[] row) {
            for (FoldEpoch e : row) {
                if (e == null) {
                    return false;
                }
            }
            return true;
        }

        private void judge(int epoch, FoldEpoch[] done) {
            List<double[]> scores = new ArrayList<>(k);
            double trainLoss = 0;
            double valLoss = 0;
            double[] pr = new double[k];
            double[] roc = new double[k];
            int pooledRows = 0;
            for (int f = 0; f < k; f++) {
                double[] s = done[f].scores();
                int[] y = folds.get(f).validation().y();
                scores.add(s);
                trainLoss += done[f].trainLoss() / k;
                valLoss += Trainer.meanLoss(s, y) / k;
                pr[f] = RankingMetrics.averagePrecision(s, y, null);
                roc[f] = RankingMetrics.rocAuc(s, y, null);
                pooledRows += s.length;
            }
            double[] pooled = new double[pooledRows];
            int[] pooledY = new int[pooledRows];
            int at = 0;
            for (int f = 0; f < k; f++) {
                System.arraycopy(scores.get(f), 0, pooled, at, scores.get(f).length);
                System.arraycopy(folds.get(f).validation().y(), 0, pooledY, at, scores.get(f).length);
                at += scores.get(f).length;
            }
            ConfusionMatrix cm = ConfusionMatrix.at(pooled, pooledY, null, 0.5);
            double meanPr = mean(pr);
            boolean improved = meanPr > bestMean;
            if (improved) {
                bestMean = meanPr;
                bestEpoch = epoch;
                sinceBest = 0;
                System.arraycopy(pr, 0, bestFoldPr, 0, k);
                System.arraycopy(roc, 0, bestFoldRoc, 0, k);
                for (int f = 0; f < k; f++) {
                    bestScores.set(f, scores.get(f));
                }
            } else {
                sinceBest++;
            }
            long now = System.nanoTime();
            EpochStats stats = new EpochStats(epoch + 1, config.schedule().rate(epoch), trainLoss, valLoss,
                    cm.accuracy(), cm.precision(), cm.recall(), cm.f1(), meanPr, mean(roc), done[0].deadReluShare(),
                    done[0].gradNorms(), (now - since) / 1e9, improved);
            since = now;
            history.add(stats);
            listener.onEpoch(stats);
            if (config.patience() > 0 && sinceBest >= config.patience() && epoch + 1 < config.epochs()) {
                stoppedEarly = true;
            }
        }
    }

    public static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }

    /** Sample standard deviation (n − 1). */
    public static double sd(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double s = 0;
        for (double d : v) {
            s += (d - m) * (d - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
