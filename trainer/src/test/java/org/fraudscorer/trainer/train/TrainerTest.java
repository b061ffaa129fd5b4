package org.fraudscorer.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.fraudscorer.common.metrics.RankingMetrics;
import org.fraudscorer.common.nn.Activation;
import org.fraudscorer.common.nn.MLP;
import org.fraudscorer.common.nn.Parameter;
import org.junit.jupiter.api.Test;

class TrainerTest {

    /** 3,000 rows, 2% positives (60), 8 features; positives shifted by 1.5 in every feature. */
    private static final TrainingSet TRAIN = Synthetic.gaussians(3_000, 0.02, 8, 1.5, 1L);
    private static final TrainingSet VALIDATION = Synthetic.gaussians(1_500, 0.02, 8, 1.5, 2L);

    private static double validationPrAuc(MLP net, TrainingSet validation) {
        return RankingMetrics.averagePrecision(Trainer.probabilities(net, validation), validation.y(), null);
    }

    @Test
    void learnsAnImbalancedShiftedGaussianProblemToHighValidationPrAuc() {
        TrainingResult r = new Trainer(Configs.defaults().build()).fit(TRAIN, VALIDATION, TrainingListener.NONE);

        double prAuc = validationPrAuc(r.network(), VALIDATION);
        assertThat(prAuc).isGreaterThan(0.9);
        assertThat(r.history().get(r.bestEpoch() - 1).prAuc()).isEqualTo(prAuc);
        assertThat(r.trainRows()).isEqualTo(3_000);
        assertThat(r.trainPositives()).isEqualTo(60);
        // the first epoch is measurably worse than the best one: training did something
        assertThat(r.history().get(0).trainLoss()).isGreaterThan(r.history().get(r.history().size() - 1).trainLoss());
    }

    @Test
    void sameSeedGivesBitIdenticalWeightsAndAnotherSeedDifferentOnes() {
        Configs c = Configs.defaults();
        c.epochs = 5;
        c.dropout = 0.2;
        TrainingResult a = new Trainer(c.build()).fit(TRAIN, VALIDATION, TrainingListener.NONE);
        TrainingResult b = new Trainer(c.build()).fit(TRAIN, VALIDATION, TrainingListener.NONE);
        c.seed = 43L;
        TrainingResult other = new Trainer(c.build()).fit(TRAIN, VALIDATION, TrainingListener.NONE);

        List<Parameter> pa = a.network().parameters();
        List<Parameter> pb = b.network().parameters();
        assertThat(pa).hasSameSizeAs(pb);
        for (int i = 0; i < pa.size(); i++) {
            assertThat(pb.get(i).value()).as(pa.get(i).name()).isEqualTo(pa.get(i).value());
        }
        assertThat(b.history()).extracting(EpochStats::trainLoss)
                .containsExactlyElementsOf(a.history().stream().map(EpochStats::trainLoss).toList());
        assertThat(other.network().parameters().get(0).value()).isNotEqualTo(pa.get(0).value());
    }

    @Test
    void earlyStoppingRestoresTheWeightsOfTheBestEpoch() {
        // A hard problem (shift 1): validation PR-AUC wanders, so two epochs without improvement come soon.
        TrainingSet train = Synthetic.gaussians(3_000, 0.02, 8, 1.0, 1L);
        TrainingSet validation = Synthetic.gaussians(1_500, 0.02, 8, 1.0, 2L);
        Configs c = Configs.defaults();
        c.patience = 2;
        c.epochs = 50;
        c.learningRate(1e-2);
        List<EpochStats> seen = new ArrayList<>();
        TrainingResult r = new Trainer(c.build()).fit(train, validation, new TrainingListener() {
            @Override
            public void onEpoch(EpochStats stats) {
                seen.add(stats);
            }
        });

        assertThat(r.stoppedEarly()).isTrue();
        assertThat(r.history()).hasSizeLessThan(50).hasSize(r.bestEpoch() + 2);
        assertThat(seen).hasSameSizeAs(r.history());
        EpochStats best = r.history().get(r.bestEpoch() - 1);
        assertThat(best.best()).isTrue();
        assertThat(best.epoch()).isEqualTo(r.bestEpoch());
        assertThat(r.history().subList(r.bestEpoch(), r.history().size())).noneMatch(EpochStats::best)
                .allSatisfy(e -> assertThat(e.prAuc()).isLessThanOrEqualTo(best.prAuc()));
        for (EpochStats e : r.history()) {
            assertThat(e.prAuc()).isLessThanOrEqualTo(best.prAuc());
        }
        // The last epoch is strictly worse, so getting the best figure back proves the best weights were restored.
        EpochStats last = r.history().get(r.history().size() - 1);
        assertThat(last.prAuc()).isLessThan(best.prAuc());
        assertThat(validationPrAuc(r.network(), validation)).isEqualTo(best.prAuc());
    }

    @Test
    void patienceZeroRunsEveryEpoch() {
        Configs c = Configs.defaults();
        c.patience = 0;
        c.epochs = 4;
        TrainingResult r = new Trainer(c.build()).fit(TRAIN, VALIDATION, TrainingListener.NONE);
        assertThat(r.stoppedEarly()).isFalse();
        assertThat(r.history()).extracting(EpochStats::epoch).containsExactly(1, 2, 3, 4);
    }

    @Test
    void hugeLearningRateOnHugeInputsStopsWithAnActionableDivergenceMessage() {
        TrainingSet train = Synthetic.gaussians(300, 0.1, 2, 1.0, 1L);
        double[] x = train.x();
        for (int i = 0; i < x.length; i++) {
            x[i] *= 1e150;
        }
        Configs c = Configs.defaults();
        c.clipNorm = 0;
        c.learningRate(1e6);

        assertThatThrownBy(() -> new Trainer(c.build()).fit(train, Synthetic.gaussians(100, 0.1, 2, 1.0, 2L),
                TrainingListener.NONE))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageStartingWith("training diverged at epoch 1, batch ")
                .hasMessageContaining("Lower --learning-rate")
                .hasMessageContaining("--clip-norm");
    }

    @Test
    void gradientClippingScalesTheUpdateToTheClipNorm() {
        // SGD with lr 1 over one full batch: the parameter change is exactly minus the (clipped) gradient.
        TrainingSet train = Synthetic.gaussians(200, 0.1, 4, 3.0, 5L);
        TrainingSet validation = Synthetic.gaussians(100, 0.1, 4, 3.0, 6L);
        Configs c = Configs.defaults();
        c.optimizer = "sgd";
        c.momentum = 0.9;
        c.learningRate(1.0);
        c.batchSize = 256;
        c.epochs = 1;
        c.clipNorm = 0.1;
        double[] clipped = change(c, train, validation);
        c.clipNorm = 0;
        double[] raw = change(c, train, validation);

        double rawNorm = norm(raw);
        assertThat(rawNorm).isGreaterThan(1.0);
        assertThat(norm(clipped)).isLessThanOrEqualTo(0.1 + 1e-12).isCloseTo(0.1, within(1e-12));
        for (int i = 0; i < raw.length; i++) {
            assertThat(clipped[i]).isCloseTo(raw[i] * 0.1 / rawNorm, within(1e-12));
        }
    }

    /** Flattened (trained − initial) parameters of a one-epoch run. */
    private static double[] change(Configs c, TrainingSet train, TrainingSet validation) {
        TrainerConfig config = c.build();
        MLP initial = MLP.build(config.sizes(train.features()), config.activation(),
                config.dropout(), config.seed());
        TrainingResult r = new Trainer(config).fit(train, validation, TrainingListener.NONE);
        assertThat(r.bestEpoch()).isEqualTo(1);
        List<Double> d = new ArrayList<>();
        for (int i = 0; i < initial.parameters().size(); i++) {
            double[] before = initial.parameters().get(i).value();
            double[] after = r.network().parameters().get(i).value();
            for (int j = 0; j < before.length; j++) {
                d.add(after[j] - before[j]);
            }
        }
        return d.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double e : v) {
            s += e * e;
        }
        return Math.sqrt(s);
    }

    @Test
    void reportsBalancedClassWeightsOfTheTrainingRows() {
        Configs c = Configs.defaults();
        c.epochs = 1;
        TrainingResult r = new Trainer(c.build()).fit(TRAIN, VALIDATION, TrainingListener.NONE);
        // n = 3000, n1 = 60, n0 = 2940
        assertThat(r.classWeightPositive()).isEqualTo(3000 / (2.0 * 60)).isEqualTo(25.0);
        assertThat(r.classWeightNegative()).isEqualTo(3000 / (2.0 * 2940));
        assertThat(r.classWeightNegative() * 2940 + r.classWeightPositive() * 60).isCloseTo(3000, within(1e-9));

        c.classWeights = false;
        TrainingResult unweighted = new Trainer(c.build()).fit(TRAIN, VALIDATION, TrainingListener.NONE);
        assertThat(unweighted.classWeightPositive()).isEqualTo(1.0);
        assertThat(unweighted.classWeightNegative()).isEqualTo(1.0);
    }

    @Test
    void smoteTrainsOnTopUpPositivesEndToEnd() {
        Configs c = Configs.defaults();
        c.resample = "smote";
        c.resampleRatio = 0.2;
        c.epochs = 15;
        TrainingResult r = new Trainer(c.build()).fit(TRAIN, VALIDATION, TrainingListener.NONE);
        // round(2940 · 0.2) = 588 positives, of which 528 synthetic
        assertThat(r.trainPositives()).isEqualTo(588);
        assertThat(r.trainRows()).isEqualTo(2_940 + 588);
        assertThat(r.classWeightPositive()).isEqualTo(3528 / (2.0 * 588));
        assertThat(validationPrAuc(r.network(), VALIDATION)).isGreaterThan(0.8);
    }

    @Test
    void undersamplingTrainsOnAllPositivesAndSomeNegativesEndToEnd() {
        Configs c = Configs.defaults();
        c.resample = "undersample";
        c.resampleRatio = 5;
        c.epochs = 40;
        TrainingResult r = new Trainer(c.build()).fit(TRAIN, VALIDATION, TrainingListener.NONE);
        assertThat(r.trainPositives()).isEqualTo(60);
        assertThat(r.trainRows()).isEqualTo(60 + 300);
        assertThat(r.classWeightNegative()).isEqualTo(360 / (2.0 * 300));
        assertThat(validationPrAuc(r.network(), VALIDATION)).isGreaterThan(0.8);
    }

    @Test
    void rejectsTrainingRowsWithOneClassOnly() {
        TrainingSet noFraud = Synthetic.gaussians(100, 0.0, 8, 1.0, 3L);
        assertThatThrownBy(() -> new Trainer(Configs.defaults().build()).fit(noFraud, VALIDATION,
                TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("training rows hold 0 frauds out of 100: both classes are needed");
    }

    @Test
    void rejectsValidationRowsWithoutFraud() {
        // Without a validation fraud PR-AUC is NaN in every epoch, no epoch is ever "best", and the run would
        // hand back the untrained initial weights.
        TrainingSet noFraud = Synthetic.gaussians(100, 0.0, 8, 1.0, 3L);
        assertThatThrownBy(() -> new Trainer(Configs.defaults().build()).fit(TRAIN, noFraud, TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("validation rows hold no fraud");
    }

    @Test
    void epochsOverADrawOfNegativesLearnWithFewerBatchesAndDrawingAllChangesNothing() {
        Configs c = Configs.defaults();
        c.epochs = 6;
        c.patience = 0;
        int[] batches = new int[1];
        TrainingListener count = new TrainingListener() {
            @Override
            public void onBatch(int epoch, int batch, int of) {
                batches[0] = of;
            }
        };
        TrainingResult full = new Trainer(c.build()).fit(TRAIN, VALIDATION, count);
        assertThat(batches[0]).isEqualTo(47); // 3,000 rows in batches of 64

        // Drawing at least every negative (2,940) is the ordinary epoch, weight for weight
        c.epochNegatives = 2_940;
        TrainingResult all = new Trainer(c.build()).fit(TRAIN, VALIDATION, TrainingListener.NONE);
        for (int i = 0; i < full.network().parameters().size(); i++) {
            assertThat(all.network().parameters().get(i).value()).isEqualTo(full.network().parameters().get(i).value());
        }

        // 500 negatives an epoch: 560 rows, 9 batches, still learns the problem
        c.epochNegatives = 500;
        c.epochs = 30;
        TrainingResult drawn = new Trainer(c.build()).fit(TRAIN, VALIDATION, count);
        assertThat(batches[0]).isEqualTo(9);
        assertThat(drawn.trainRows()).isEqualTo(3_000);
        assertThat(validationPrAuc(drawn.network(), VALIDATION)).isGreaterThan(0.85);
        assertThatThrownBy(() -> Configs.defaults().build().toBuilder().epochNegatives(-1).build())
                .hasMessageContaining("epoch negatives must be ≥ 0");
    }
}
