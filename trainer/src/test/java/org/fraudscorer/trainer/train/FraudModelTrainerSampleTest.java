package org.fraudscorer.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.FeatureSpec;
import org.fraudscorer.common.features.Preprocessing;
import org.fraudscorer.common.metrics.RankingMetrics;
import org.fraudscorer.common.metrics.ThresholdTuner;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelScorer;
import org.fraudscorer.trainer.SharedData;
import org.fraudscorer.trainer.data.CreditCardCsv;
import org.fraudscorer.trainer.data.Dataset;
import org.fraudscorer.trainer.data.Splitter;
import org.fraudscorer.trainer.data.Splitter.Split;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Trains with the defaults on the real sample of ../shared/data (skipped when absent, failed when
 * {@code FRAUD_REQUIRE_DATA=1}): the acceptance criterion and the no-leakage guarantees.
 */
class FraudModelTrainerSampleTest {

    private static Dataset sample;
    private static FraudModelTrainer.Result result;

    @BeforeAll
    static void train() {
        sample = CreditCardCsv.read(SharedData.creditcardSample());
        result = FraudModelTrainer.train(sample, FraudModelTrainer.Options.defaults(), TrainingListener.NONE);
    }

    @Test
    void defaultTrainingReachesTheAcceptancePrAucOnTheLatestQuarter() {
        double prAuc = RankingMetrics.averagePrecision(result.testScores(), result.split().test().labels(), null);
        assertThat(prAuc).isGreaterThanOrEqualTo(0.85);
        assertThat(result.test().prAuc()).isEqualTo(prAuc);
        assertThat(result.bundle().metrics().get("test").get("pr_auc")).isEqualTo(prAuc);
    }

    @Test
    void testPartIsTheLatestQuarterWith1569RowsAnd221Frauds() {
        Split split = result.split();
        assertThat(split.test().rows()).isEqualTo(1_569);
        assertThat(split.test().positives()).isEqualTo(221);
        assertThat(result.testScores()).hasSize(1_569);
        assertThat(split.train().rows() + split.validation().rows()).isEqualTo(6_275 - 1_569);
        assertThat(result.development().rows()).isEqualTo(6_275 - 1_569);
        double latestEarly = Math.max(max(split.train().times()), max(split.validation().times()));
        assertThat(latestEarly).isLessThanOrEqualTo(split.test().times()[0]);
        // the split is the documented one: latest 25% as test, seed 42 for train/validation
        Split expected = Splitter.latestAsTest(sample, 0.60, 0.15, 42L);
        assertThat(split.train().rowNumbers()).isEqualTo(expected.train().rowNumbers());
        assertThat(split.validation().rowNumbers()).isEqualTo(expected.validation().rowNumbers());
    }

    @Test
    void theEvaluatedModelLearntFromTheDevelopmentRowsOnlyAndTheShippedOneFromEveryLabelledRow() {
        ModelBundle evaluated = result.evaluated();
        ModelBundle shipped = result.bundle();
        FeatureSchema schema = shipped.schema();
        Dataset dev = result.development();
        assertThat(dev.rows()).isEqualTo(4_706);
        assertThat(dev.positives()).isEqualTo(156);
        assertMeans(evaluated.preprocessing().means(), means(schema, dev));
        assertMeans(shipped.preprocessing().means(), means(schema, sample));
        assertThat(shipped.preprocessing().quantiles()).as("standardised only, by default").isNull();
        // the counts recorded in the files
        assertThat(evaluated.provenance()).containsEntry("fit", "evaluated").containsEntry("fitRows", 4_706)
                .containsEntry("fitPositives", 156);
        assertThat(shipped.provenance()).containsEntry("fit", "refit").containsEntry("fitRows", 6_275)
                .containsEntry("fitPositives", 377).containsEntry("developmentRows", 4_706)
                .containsEntry("testRows", 1_569);
        assertThat(result.refitRows()).isEqualTo(6_275);
        assertThat(result.refitPositives()).isEqualTo(377);
        // held-out metrics of the procedure travel with the shipped model
        assertThat(shipped.metrics().get("test")).isEqualTo(evaluated.metrics().get("test"));
        assertThat(shipped.metrics().get("cross_validation").get("folds")).isEqualTo(5.0);
        assertThat(shipped.members()).hasSize(FraudModelTrainer.Options.DEFAULT_ENSEMBLE);
        assertThat(evaluated.members()).hasSize(FraudModelTrainer.Options.DEFAULT_ENSEMBLE);
        assertThat(shipped.network().denseLayers().get(0).weights())
                .isNotEqualTo(evaluated.network().denseLayers().get(0).weights());
    }

    @Test
    void testScoresAreTheEvaluatedEnsemblesMeanLogitOnTheTestPart() {
        ModelBundle evaluated = result.evaluated();
        TrainingSet test = FraudModelTrainer.features(evaluated.preprocessing(), result.split().test());
        double[] sum = new double[test.rows()];
        for (var member : evaluated.members()) {
            double[] z = Trainer.logits(member, test);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += z[i];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            assertThat(result.testScores()[i]).isEqualTo(1 / (1 + Math.exp(-sum[i] / evaluated.members().size())),
                    within(1e-12));
        }
    }

    @Test
    void thresholdIsTheMaxF1CutOnTheOutOfFoldScoresOfTheChosenEpoch() {
        CrossValidation.Result cv = result.selection();
        FraudModelTrainer.Development d = FraudModelTrainer.development(sample, FraudModelTrainer.Options.defaults());
        int n = 0;
        for (double[] s : cv.oofScores()) {
            n += s.length;
        }
        double[] scores = new double[n];
        int[] labels = new int[n];
        int at = 0;
        for (int f = 0; f < d.folds().count(); f++) {
            double[] s = cv.oofScores().get(f);
            System.arraycopy(s, 0, scores, at, s.length);
            System.arraycopy(d.foldData().get(f).validation().y(), 0, labels, at, s.length);
            at += s.length;
        }
        assertThat(n).isEqualTo(4_706);
        double expected = ThresholdTuner.maxF1(scores, labels, null).threshold();
        assertThat(result.bundle().threshold().value()).isEqualTo(expected);
        assertThat(result.bundle().threshold().method()).isEqualTo("max-f1");
        assertThat(result.bundle().hyperparameters()).containsEntry("selectedEpochs", cv.bestEpoch());
    }

    @Test
    void theSameSeedGivesTheSameModelWhateverTheThreadCount() {
        FraudModelTrainer.Options one = new FraudModelTrainer.Options(TrainerConfig.creditcardDefaults(), true, 0.60, 0.15,
                ThresholdPolicy.parse("max-f1"), 1.0, 5, 2, true, 1);
        FraudModelTrainer.Result again = FraudModelTrainer.train(sample, one, TrainingListener.NONE);
        FraudModelTrainer.Result twoThreads = FraudModelTrainer.train(sample, new FraudModelTrainer.Options(
                TrainerConfig.creditcardDefaults(), true, 0.60, 0.15, ThresholdPolicy.parse("max-f1"), 1.0, 5, 2, true, 2),
                TrainingListener.NONE);
        assertThat(again.selection().bestEpoch()).isEqualTo(result.selection().bestEpoch());
        assertThat(again.selection().foldPrAuc()).isEqualTo(result.selection().foldPrAuc());
        assertThat(again.bundle().threshold().value()).isEqualTo(result.bundle().threshold().value());
        // members 0 and 1 of the default five-member model, bit for bit
        for (int m = 0; m < 2; m++) {
            assertThat(again.bundle().members().get(m).denseLayers().get(1).weights())
                    .isEqualTo(result.bundle().members().get(m).denseLayers().get(1).weights());
            assertThat(twoThreads.bundle().members().get(m).denseLayers().get(1).weights())
                    .isEqualTo(again.bundle().members().get(m).denseLayers().get(1).weights());
        }
        FraudModelTrainer.Result otherSeed = FraudModelTrainer.train(sample,
                one.withConfig(TrainerConfig.creditcardDefaults().toBuilder().seed(7L).build()), TrainingListener.NONE);
        assertThat(otherSeed.bundle().network().denseLayers().get(1).weights())
                .isNotEqualTo(result.bundle().network().denseLayers().get(1).weights());
    }

    @Test
    void quantileMappedInputsAreFittedOnTheRowsEachModelLearntFromAndTravelInItsFile() {
        FraudModelTrainer.Options o = FraudModelTrainer.Options.defaults().withEnsemble(1).withConfig(
                TrainerConfig.creditcardDefaults().toBuilder().inputTransform(TrainerConfig.QUANTILE).inputClip(0)
                        .epochs(3).patience(0).build());
        FraudModelTrainer.Result q = FraudModelTrainer.train(sample, o, TrainingListener.NONE);
        FeatureSchema schema = q.bundle().schema();
        Dataset dev = q.development();
        assertThat(q.evaluated().preprocessing()).isEqualTo(Preprocessing.fit(schema, dev.inputs(), dev.rows(), true));
        assertThat(q.bundle().preprocessing()).isEqualTo(Preprocessing.fit(schema, sample.inputs(), sample.rows(), true));
        assertThat(q.bundle().hyperparameters()).containsEntry("inputTransform", "quantile");
        // the test scores are the evaluated model's, through its maps, as a scorer loading its file computes them
        ModelBundle loaded = ModelFile.fromBytes(ModelFile.toBytes(q.evaluated()), "quantile.json");
        ModelScorer scorer = loaded.newScorer();
        double[] row = new double[schema.inputCount()];
        Dataset test = q.split().test();
        for (int i = 0; i < test.rows(); i += 97) {
            System.arraycopy(test.inputs(), i * row.length, row, 0, row.length);
            assertThat(scorer.probability(row)).isCloseTo(q.testScores()[i], within(1e-12));
        }
    }

    @Test
    void withoutRefitTheShippedModelIsTheEvaluatedOne() {
        FraudModelTrainer.Result r = FraudModelTrainer.train(sample,
                FraudModelTrainer.Options.defaults().withRefit(false).withEnsemble(1), TrainingListener.NONE);
        assertThat(r.bundle()).isSameAs(r.evaluated());
        assertThat(r.bundle().members()).hasSize(1);
        assertThat(r.refitRows()).isEqualTo(4_706);
        assertThat(r.bundle().provenance()).containsEntry("fit", "evaluated").containsEntry("fitRows", 4_706);
    }

    private static void assertMeans(double[] fitted, double[] expected) {
        assertThat(fitted).hasSize(expected.length);
        for (int j = 0; j < fitted.length; j++) {
            assertThat(fitted[j]).isCloseTo(expected[j], within(1e-9 * Math.max(1, Math.abs(expected[j]))));
        }
    }

    /** Plain mean of every feature (transform of its source field) over the rows of {@code d}. */
    private static double[] means(FeatureSchema schema, Dataset d) {
        List<FeatureSpec> features = schema.features();
        double[] m = new double[features.size()];
        for (int j = 0; j < m.length; j++) {
            FeatureSpec f = features.get(j);
            int src = Dataset.INPUT_NAMES.indexOf(f.source());
            double sum = 0;
            for (int r = 0; r < d.rows(); r++) {
                sum += f.transform().apply(d.input(r, src));
            }
            m[j] = sum / d.rows();
        }
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double e : v) {
            m = Math.max(m, e);
        }
        return m;
    }
}
