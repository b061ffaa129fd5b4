package org.fraudscorer.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.fraudscorer.common.metrics.RankingMetrics;
import org.junit.jupiter.api.Test;

class CrossValidationTest {

    private static int[] labels(int rows, int positives) {
        int[] y = new int[rows];
        for (int i = 0; i < positives; i++) {
            y[(int) ((long) i * rows / positives)] = 1;
        }
        return y;
    }

    @Test
    void stratifiedFoldsCoverEveryRowOnceAndKeepTheClassProportions() {
        int[] y = labels(1_003, 47);
        CrossValidation.Folds folds = CrossValidation.stratified(y, 5, 9L);
        assertThat(folds.count()).isEqualTo(5);
        int[] seen = new int[y.length];
        List<Integer> frauds = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (int f = 0; f < 5; f++) {
            int[] va = folds.validation().get(f);
            int[] tr = folds.train().get(f);
            assertThat(va.length + tr.length).isEqualTo(y.length);
            Set<Integer> inVal = new HashSet<>();
            for (int r : va) {
                seen[r]++;
                inVal.add(r);
            }
            for (int r : tr) {
                assertThat(inVal).doesNotContain(r);
            }
            frauds.add((int) Arrays.stream(va).filter(r -> y[r] == 1).count());
            sizes.add(va.length);
        }
        assertThat(seen).containsOnly(1);
        // 47 frauds over 5 folds: 9 or 10 each; 1,003 rows: 200 or 201 each.
        assertThat(frauds).allMatch(n -> n == 9 || n == 10);
        assertThat(frauds.stream().mapToInt(Integer::intValue).sum()).isEqualTo(47);
        assertThat(sizes).allMatch(n -> n == 200 || n == 201);
    }

    @Test
    void stratifiedFoldsDependOnTheSeedOnly() {
        int[] y = labels(500, 30);
        CrossValidation.Folds a = CrossValidation.stratified(y, 4, 3L);
        CrossValidation.Folds b = CrossValidation.stratified(y, 4, 3L);
        CrossValidation.Folds c = CrossValidation.stratified(y, 4, 4L);
        for (int f = 0; f < 4; f++) {
            assertThat(a.validation().get(f)).isEqualTo(b.validation().get(f));
        }
        assertThat(a.validation().get(0)).isNotEqualTo(c.validation().get(0));
    }

    @Test
    void refusesFewerThanTwoFoldsOrTooFewFrauds() {
        assertThatThrownBy(() -> CrossValidation.stratified(labels(100, 10), 1, 1L))
                .hasMessageContaining("--folds must be at least 2");
        assertThatThrownBy(() -> CrossValidation.stratified(labels(100, 3), 5, 1L))
                .hasMessageContaining("needs at least 5 frauds");
    }

    @Test
    void theChosenEpochIsTheBestMeanAndTheOutOfFoldScoresAreThatEpochs() {
        TrainingSet all = Synthetic.gaussians(1_200, 0.05, 6, 1.2, 5L);
        List<CrossValidation.FoldData> data = foldData(all, 3);
        TrainerConfig config = TrainerConfig.builder().hidden(8).epochs(12).patience(0).seed(3L).build();
        CrossValidation.Result r = CrossValidation.run(data, config, 2, TrainingListener.NONE);
        assertThat(r.history()).hasSize(12);
        double best = r.history().stream().mapToDouble(EpochStats::prAuc).max().orElseThrow();
        assertThat(r.history().get(r.bestEpoch() - 1).prAuc()).isEqualTo(best);
        assertThat(r.meanPrAuc()).isEqualTo(best);
        for (int f = 0; f < 3; f++) {
            double pr = RankingMetrics.averagePrecision(r.oofScores().get(f), data.get(f).validation().y(), null);
            assertThat(pr).isEqualTo(r.foldPrAuc()[f]);
        }
        assertThat(r.meanPrAuc()).isEqualTo(CrossValidation.mean(r.foldPrAuc()));
        assertThat(r.sdPrAuc()).isGreaterThan(0);
        // One thread gives the same result as two: the folds do not share anything.
        CrossValidation.Result single = CrossValidation.run(data, config, 1, TrainingListener.NONE);
        assertThat(single.foldPrAuc()).isEqualTo(r.foldPrAuc());
        assertThat(single.oofScores().get(2)).isEqualTo(r.oofScores().get(2));
    }

    /**
     * The selection table's dead-ReLU column is measured (fold 0's, as its gradient norms), as a single run's is: it
     * was a constant 0.00% during k-fold selection, whatever the units did (found by a hunt).
     */
    @Test
    void theDeadReluShareOfTheSelectionIsFoldZerosAsASingleRunMeasuresIt() {
        TrainingSet all = Synthetic.gaussians(600, 0.1, 4, 2.0, 4L);
        List<CrossValidation.FoldData> data = foldData(all, 2);
        Configs dead = small(2);
        dead.biasInit = -100; // every hidden ReLU starts off for every row, and no gradient brings it back
        CrossValidation.Result r = CrossValidation.run(data, dead.build(), 1, TrainingListener.NONE);
        assertThat(r.history()).extracting(EpochStats::deadReluShare).containsExactly(1.0, 1.0);
        Configs live = small(3);
        CrossValidation.Result cv = CrossValidation.run(data, live.build(), 1, TrainingListener.NONE);
        live.seed = Ensembles.memberSeed(live.seed, 0);
        TrainingResult single = new Trainer(live.build()).fit(data.get(0).train(), data.get(0).validation(),
                TrainingListener.NONE);
        assertThat(cv.history()).extracting(EpochStats::deadReluShare)
                .containsExactlyElementsOf(single.history().stream().map(EpochStats::deadReluShare).toList());
        // leaky ReLU units (the creditcard default) cannot die: not measured, where it printed 0.00% every epoch
        Configs leaky = small(2);
        leaky.activation = org.fraudscorer.common.nn.Activation.LEAKY_RELU;
        assertThat(CrossValidation.run(data, leaky.build(), 1, TrainingListener.NONE).history())
                .extracting(EpochStats::deadReluShare).allMatch(v -> Double.isNaN(v)).hasSize(2);
    }

    @Test
    void earlyStoppingFollowsTheMeanOfTheFolds() {
        TrainingSet all = Synthetic.gaussians(900, 0.05, 4, 2.5, 8L);
        List<CrossValidation.FoldData> data = foldData(all, 3);
        TrainerConfig config = TrainerConfig.builder().hidden(8).epochs(200).patience(3).learningRate(0.01).seed(1L)
                .build();
        CrossValidation.Result r = CrossValidation.run(data, config, 1, TrainingListener.NONE);
        assertThat(r.stoppedEarly()).isTrue();
        assertThat(r.history()).hasSize(r.bestEpoch() + 3);
        // Two threads step 3 folds with no barrier (a fold may run an epoch ahead): the epochs are still judged in
        // order, reported once each, and stop at the same epoch with the same figures and scores
        List<EpochStats> reported = java.util.Collections.synchronizedList(new ArrayList<>());
        CrossValidation.Result two = CrossValidation.run(data, config, 2, new TrainingListener() {
            @Override
            public void onEpoch(EpochStats stats) {
                reported.add(stats);
            }
        });
        assertThat(two.bestEpoch()).isEqualTo(r.bestEpoch());
        assertThat(two.stoppedEarly()).isTrue();
        assertThat(reported).extracting(EpochStats::epoch)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, r.history().size()).boxed().toList());
        assertThat(two.history()).extracting(EpochStats::prAuc)
                .containsExactlyElementsOf(r.history().stream().map(EpochStats::prAuc).toList());
        assertThat(two.history()).extracting(EpochStats::trainLoss)
                .containsExactlyElementsOf(r.history().stream().map(EpochStats::trainLoss).toList());
        for (int f = 0; f < 3; f++) {
            assertThat(two.oofScores().get(f)).isEqualTo(r.oofScores().get(f));
        }
    }

    @Test
    void ensembleMembersAreTheSameOnOneThreadOrTwo() {
        TrainingSet all = Synthetic.gaussians(600, 0.05, 4, 2.0, 9L);
        TrainerConfig config = TrainerConfig.builder().hidden(8).epochs(5).seed(4L).build();
        List<org.fraudscorer.common.nn.MLP> one = Ensembles.train(config, all, 5, 3, 1);
        List<org.fraudscorer.common.nn.MLP> two = Ensembles.train(config, all, 5, 3, 2);
        assertThat(two).hasSize(3);
        for (int m = 0; m < 3; m++) {
            assertThat(two.get(m).predictProba(all.x(), all.rows())).isEqualTo(one.get(m).predictProba(all.x(),
                    all.rows()));
        }
        // and each member is the network Trainer.fitEpochs trains alone with the member's seed
        org.fraudscorer.common.nn.MLP alone = new Trainer(config.withEpochsAndSeed(5, Ensembles.memberSeed(4L, 2)))
                .fitEpochs(all, 5, TrainingListener.NONE);
        assertThat(two.get(2).predictProba(all.x(), all.rows())).isEqualTo(alone.predictProba(all.x(), all.rows()));
    }

    @Test
    void stepwiseRunsEachJobsStepsInOrderOnceAndStopsOnAFailure() throws InterruptedException {
        // Given 5 jobs of 7 steps on 2 threads
        List<List<Integer>> steps = new ArrayList<>();
        for (int j = 0; j < 5; j++) {
            steps.add(java.util.Collections.synchronizedList(new ArrayList<>()));
        }
        Stepwise.run(2, 5, (job, step) -> {
            steps.get(job).add(step);
            return step + 1 < 7;
        });
        for (List<Integer> s : steps) {
            assertThat(s).containsExactly(0, 1, 2, 3, 4, 5, 6);
        }
        // and a step that throws ends the run with that exception, though the other jobs would never end: on one
        // thread no step follows it; on two, the other thread stops after the step it is in, before the run returns
        // (were it not stopped, the run would wait for it forever and time out)
        java.util.concurrent.atomic.AtomicInteger after = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean thrown = new java.util.concurrent.atomic.AtomicBoolean();
        Stepwise.Step failing = (job, step) -> {
            if (thrown.get()) {
                after.incrementAndGet();
            }
            if (job == 1 && step == 3) {
                thrown.set(true);
                throw new IllegalStateException("step 3 of job 1");
            }
            return true;
        };
        assertThatThrownBy(() -> Stepwise.run(1, 5, failing)).isInstanceOf(IllegalStateException.class)
                .hasMessage("step 3 of job 1");
        assertThat(after.get()).isZero();
        thrown.set(false);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () ->
                assertThatThrownBy(() -> Stepwise.run(2, 5, failing)).isInstanceOf(IllegalStateException.class)
                        .hasMessage("step 3 of job 1"));
        int atReturn = after.get();
        Thread.sleep(50);
        assertThat(after.get()).as("no step runs once the run has thrown").isEqualTo(atReturn);
    }

    @Test
    void anInterruptedStepwiseRunLetsTheStepsInFlightEndThenThrows() throws Exception {
        // Steps that take 20 ms and never check for interrupts, on 2 threads, 4 jobs that never end
        java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger steps = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(4);
        Thread caller = new Thread(() -> {
            try {
                Stepwise.run(2, 4, (job, step) -> {
                    inFlight.incrementAndGet();
                    started.countDown();
                    long until = System.nanoTime() + 20_000_000L;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait(); // busy: an interrupt does not stop it
                    }
                    steps.incrementAndGet();
                    inFlight.decrementAndGet();
                    return true; // another step always follows
                });
            } catch (Throwable t) {
                thrown.set(new Throwable(inFlight.get() + " in flight, interrupted " + Thread.currentThread().isInterrupted(), t));
            }
        });
        caller.start();
        started.await();
        caller.interrupt();
        caller.join(30_000);
        assertThat(caller.isAlive()).as("the run returned").isFalse();
        assertThat(thrown.get()).isNotNull();
        assertThat(thrown.get().getCause()).isInstanceOf(IllegalStateException.class)
                .hasMessage("interrupted while training");
        assertThat(thrown.get().getMessage()).as("no step in flight when it threw; the interrupt kept")
                .isEqualTo("0 in flight, interrupted true");
        int atReturn = steps.get();
        Thread.sleep(60);
        assertThat(steps.get()).as("no step runs once the run has thrown").isEqualTo(atReturn);
    }

    /** The stratified {@code k} folds of {@code all} (split seed 2) as training and validation rows. */
    private static List<CrossValidation.FoldData> foldData(TrainingSet all, int k) {
        CrossValidation.Folds folds = CrossValidation.stratified(all.y(), k, 2L);
        List<CrossValidation.FoldData> data = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            data.add(new CrossValidation.FoldData(rows(all, folds.train().get(f)),
                    rows(all, folds.validation().get(f))));
        }
        return data;
    }

    /** One hidden layer of 8, {@code epochs} epochs, no early stopping. */
    private static Configs small(int epochs) {
        Configs c = Configs.defaults();
        c.hidden = new int[] {8};
        c.epochs = epochs;
        c.patience = 0;
        return c;
    }

    static TrainingSet rows(TrainingSet s, int[] idx) {
        double[] x = new double[idx.length * s.features()];
        int[] y = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(s.x(), idx[i] * s.features(), x, i * s.features(), s.features());
            y[i] = s.y()[idx[i]];
        }
        return new TrainingSet(x, y, s.features());
    }
}
