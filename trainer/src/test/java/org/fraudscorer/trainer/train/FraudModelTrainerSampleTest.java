package org.fraudscorer.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.FeatureSpec;
import org.fraudscorer.common.metrics.RankingMetrics;
import org.fraudscorer.common.metrics.ThresholdTuner;
import org.fraudscorer.common.model.ModelBundle;
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
        double latestEarly = Math.max(max(split.train().times()), max(split.validation().times()));
        assertThat(latestEarly).isLessThanOrEqualTo(split.test().times()[0]);
        // the split is the documented one: latest 25% as test, seed 42 for train/validation
        Split expected = Splitter.latestAsTest(sample, 0.60, 0.15, 42L);
        assertThat(split.train().rowNumbers()).isEqualTo(expected.train().rowNumbers());
        assertThat(split.validation().rowNumbers()).isEqualTo(expected.validation().rowNumbers());
    }

    @Test
    void preprocessingIsFittedOnTrainingRowsOnly() {
        FeatureSchema schema = result.bundle().schema();
        double[] fitted = result.bundle().preprocessing().means();
        double[] trainMeans = means(schema, result.split().train());
        double[] allMeans = means(schema, sample);

        assertThat(fitted).hasSize(schema.featureCount()).hasSize(29);
        int differFromAll = 0;
        for (int j = 0; j < fitted.length; j++) {
            assertThat(fitted[j]).as(schema.features().get(j).name())
                    .isCloseTo(trainMeans[j], within(1e-9 * Math.max(1, Math.abs(trainMeans[j]))));
            if (Math.abs(fitted[j] - allMeans[j]) > 1e-6 * Math.max(1, Math.abs(allMeans[j]))) {
                differFromAll++;
            }
        }
        assertThat(differFromAll).isEqualTo(fitted.length);
    }

    @Test
    void thresholdIsTheMaxF1CutOnValidationScores() {
        ModelBundle bundle = result.bundle();
        TrainingSet validation = FraudModelTrainer.features(bundle.preprocessing(), result.split().validation());
        double[] scores = Trainer.probabilities(bundle.network(), validation);

        double expected = ThresholdTuner.maxF1(scores, validation.y(), null).threshold();
        assertThat(bundle.threshold().value()).isEqualTo(expected);
        assertThat(bundle.threshold().method()).isEqualTo("max-f1");
        assertThat(result.threshold().threshold()).isEqualTo(expected);
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
