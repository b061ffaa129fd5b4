package org.fraudscorer.trainer.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
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

    private static int[] range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }

    /**
     * Trains one network per fold in step for at most {@code config.epochs()} epochs, stopping when the mean
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
        List<EpochStats> history = new ArrayList<>();
        double bestMean = Double.NEGATIVE_INFINITY;
        int bestEpoch = -1;
        int sinceBest = 0;
        boolean stoppedEarly = false;
        double[] bestFoldPr = new double[k];
        double[] bestFoldRoc = new double[k];
        List<double[]> bestScores = new ArrayList<>(java.util.Collections.nCopies(k, (double[]) null));
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(Math.min(threads, k), daemon()) : null;
        try {
            for (int epoch = 0; epoch < config.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                int e = epoch;
                // Each task trains one fold for one epoch and scores its validation rows.
                List<FoldEpoch> done = inParallel(pool, k, f -> new FoldEpoch(runs.get(f).epoch(e, TrainingListener.NONE),
                        Trainer.probabilities(runs.get(f).network(), data.get(f).validation())));
                List<double[]> scores = new ArrayList<>(k);
                double trainLoss = 0;
                double valLoss = 0;
                double[] pr = new double[k];
                double[] roc = new double[k];
                int pooledRows = 0;
                for (int f = 0; f < k; f++) {
                    double[] s = done.get(f).scores();
                    int[] y = folds.get(f).validation().y();
                    scores.add(s);
                    trainLoss += done.get(f).trainLoss() / k;
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
                EpochStats stats = new EpochStats(epoch + 1, config.schedule().rate(epoch), trainLoss, valLoss,
                        cm.accuracy(), cm.precision(), cm.recall(), cm.f1(), meanPr, mean(roc), 0.0,
                        runs.get(0).lastGradNorms(), (System.nanoTime() - epochStart) / 1e9, improved);
                history.add(stats);
                listener.onEpoch(stats);
                if (config.patience() > 0 && sinceBest >= config.patience() && epoch + 1 < config.epochs()) {
                    stoppedEarly = true;
                    break;
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return new Result(bestEpoch + 1, stoppedEarly, history, bestFoldPr, mean(bestFoldPr), sd(bestFoldPr),
                mean(bestFoldRoc), sd(bestFoldRoc), bestScores, (System.nanoTime() - start) / 1e9);
    }

    /** Runs {@code task(0..n-1)} on the pool (or inline without one) and returns the results in index order. */
    static <T> List<T> inParallel(ExecutorService pool, int n, IntFunction<T> task) {
        List<T> out = new ArrayList<>(n);
        if (pool == null) {
            for (int i = 0; i < n; i++) {
                out.add(task.apply(i));
            }
            return out;
        }
        List<Future<T>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int idx = i;
            futures.add(pool.submit(() -> task.apply(idx)));
        }
        try {
            for (Future<T> f : futures) {
                out.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
        return out;
    }

    static java.util.concurrent.ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r, "fraud-train");
            t.setDaemon(true);
            return t;
        };
    }

    /** One fold's epoch: its mean training loss and its validation rows' scores. */
    private record FoldEpoch(double trainLoss, double[] scores) {
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
