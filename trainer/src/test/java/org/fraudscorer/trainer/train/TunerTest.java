package org.fraudscorer.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.common.nn.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TunerTest {
    @TempDir
    Path dir;

    private static List<CrossValidation.FoldData> folds() {
        TrainingSet all = Synthetic.gaussians(900, 0.06, 5, 1.0, 12L);
        CrossValidation.Folds f = CrossValidation.stratified(all.y(), 3, 1L);
        List<CrossValidation.FoldData> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            out.add(new CrossValidation.FoldData(CrossValidationTest.rows(all, f.train().get(i)),
                    CrossValidationTest.rows(all, f.validation().get(i))));
        }
        return out;
    }

    @Test
    void aSeededSearchIsRepeatableRanksByMeanFoldPrAucAndStartsFromTheBase() {
        TrainerConfig base = TrainerConfig.builder().hidden(8).epochs(6).patience(0).seed(5L).build();
        Tuner.Space space = new Tuner.Space(List.of(new int[] {4}, new int[] {8, 4}),
                List.of(Activation.RELU, Activation.TANH), 1e-3, 1e-2, List.of(32, 64), List.of(0.0, 0.1),
                List.of(0.0, 1e-4), List.of(4, 6), List.of(0.0, 1.0), List.of(0.0, 2.0));
        List<Integer> progress = new ArrayList<>();
        List<Tuner.Trial> a = Tuner.search(folds(), base, space, 5, 99L, 2, (t, done, total, best) -> progress.add(done));
        List<Tuner.Trial> b = Tuner.search(folds(), base, space, 5, 99L, 1, (t, done, total, best) -> { });
        assertThat(progress).containsExactly(1, 2, 3, 4, 5);
        assertThat(a).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(a.get(i).index()).isEqualTo(b.get(i).index());
            assertThat(a.get(i).meanPrAuc()).isEqualTo(b.get(i).meanPrAuc());
            assertThat(Tuner.toMap(a.get(i).config())).isEqualTo(Tuner.toMap(b.get(i).config()));
        }
        for (int i = 1; i < 5; i++) {
            assertThat(a.get(i - 1).meanPrAuc()).isGreaterThanOrEqualTo(a.get(i).meanPrAuc());
        }
        Tuner.Trial start = a.stream().filter(t -> t.index() == 0).findFirst().orElseThrow();
        assertThat(Tuner.toMap(start.config())).isEqualTo(Tuner.toMap(base));
        // a trial's score is the cross-validation of its configuration on the same folds
        Tuner.Trial best = a.get(0);
        CrossValidation.Result again = CrossValidation.run(folds(), best.config(), 1, TrainingListener.NONE);
        assertThat(again.meanPrAuc()).isEqualTo(best.meanPrAuc());
        // every drawn value comes from the space
        for (Tuner.Trial t : a) {
            if (t.index() > 0) {
                assertThat(List.of(Activation.RELU, Activation.TANH)).contains(t.config().activation());
                assertThat(t.config().schedule().initial()).isBetween(1e-3, 1e-2);
                assertThat(List.of(4, 6)).contains(t.config().epochs());
            }
        }
    }

    /** A drawn learning rate replaces the base schedule's initial rate only: a step schedule keeps its steps. */
    @Test
    void aDrawnLearningRateKeepsTheBasesSchedule() {
        TrainerConfig base = TrainerConfig.builder().schedule(new LearningRateSchedule(LearningRateSchedule.Kind.STEP,
                1e-3, 0.3, 4)).build();
        Tuner.Space space = new Tuner.Space(List.<int[]>of(new int[] {4}), List.of(Activation.RELU), 1e-3, 1e-2,
                List.of(32), List.of(0.0), List.of(0.0), List.of(4), List.of(0.0), List.of(0.0));
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 20; i++) {
            LearningRateSchedule s = space.draw(base, r).schedule();
            assertThat(s.kind()).isEqualTo(LearningRateSchedule.Kind.STEP);
            assertThat(s.gamma()).isEqualTo(0.3);
            assertThat(s.stepEpochs()).isEqualTo(4);
            assertThat(s.initial()).isBetween(1e-3, 1e-2);
        }
    }

    @Test
    void aConfigurationFileRoundTripsAndRefusesUnknownKeys() throws Exception {
        // every option away from the defaults, the searched ones and those the trials only ran with
        TrainerConfig c = TrainerConfig.builder().hidden(32, 8).activation(Activation.TANH).batchSize(128)
                .dropout(0.2).l2(1e-4).epochs(55).classWeightScale(0.5).inputClip(2)
                .optimizer("sgd").momentum(0.8).schedule(new LearningRateSchedule(LearningRateSchedule.Kind.STEP, 0.002,
                        0.3, 5)).clipNorm(0).patience(4).stratified(false).resample("smote").resampleRatio(0.2)
                .epochNegatives(1000).inputTransform(TrainerConfig.QUANTILE).build();
        Path f = dir.resolve("c.json");
        Tuner.write(f, c, EventFamily.CREDITCARD, Map.of("trials", 3));
        TrainerConfig back = Tuner.apply(f, TrainerConfig.defaults(), EventFamily.CREDITCARD);
        assertThat(Tuner.toMap(back)).isEqualTo(Tuner.toMap(c));
        assertThat(back.schedule()).isEqualTo(c.schedule());
        assertThat(back.seed()).isEqualTo(TrainerConfig.defaults().seed()); // the seed is the run's, not the file's
        TrainerConfig all = TrainerConfig.defaults();
        for (String key : Tuner.toMap(c).keySet()) {
            assertThat(Tuner.toMap(c).get(key)).as(key).isNotEqualTo(Tuner.toMap(all).get(key));
        }

        // a file written before the non-searched options were added: those keep the base's values
        Files.writeString(f, "{\"format\":\"fraud-scorer-training-config\",\"config\":{\"hidden\":[8],"
                + "\"learningRate\":0.004,\"epochs\":9}}");
        TrainerConfig old = Tuner.apply(f, TrainerConfig.rawEventDefaults(), EventFamily.RAW_EVENTS);
        assertThat(old.hidden()).containsExactly(8);
        assertThat(old.schedule()).isEqualTo(LearningRateSchedule.constant(0.004));
        assertThat(old.epochNegatives()).isEqualTo(TrainerConfig.RAW_EVENT_EPOCH_NEGATIVES);
        assertThat(old.patience()).isEqualTo(TrainerConfig.rawEventDefaults().patience());
        assertThat(old.inputTransform()).isEqualTo(TrainerConfig.STANDARD);

        Files.writeString(f, "{\"format\":\"fraud-scorer-training-config\",\"config\":{\"hiddn\":[4]}}");
        assertThatThrownBy(() -> Tuner.apply(f, TrainerConfig.defaults(), EventFamily.CREDITCARD))
                .hasMessageContaining("unknown key 'hiddn'");
        Files.writeString(f, "{\"model\":{}}");
        assertThatThrownBy(() -> Tuner.apply(f, TrainerConfig.defaults(), EventFamily.CREDITCARD))
                .hasMessageContaining("not a fraud-scorer-training-config file");
    }

    @Test
    void aConfigurationValueOfTheWrongTypeIsRefusedNotReadAsZero() throws Exception {
        Path f = dir.resolve("c.json");
        String[][] cases = {{"\"hidden\": 32", "hidden must be a list"}, {"\"hidden\": [32.5]", "hidden must be an integer"},
            {"\"inputClip\": null", "inputClip must be a number, got null"}, {"\"l2\": \"x\"", "l2 must be a number"},
            {"\"epochs\": 1e3", "epochs must be an integer"}, {"\"activation\": 3", "activation must be a name"}, {"\"inputTransform\": 1", "inputTransform must be a name"},
            {"\"stratifiedBatches\": 1", "stratifiedBatches must be true or false"},
            {"\"learningRateSchedule\": \"cosine\"", "learningRateSchedule must be constant, step or exponential"},
            {"\"optimizer\": \"rmsprop\"", "optimizer must be adam or sgd, got 'rmsprop'"},
            {"\"activation\": \"elu\"", "c.json: activation: Unknown activation 'elu'; expected one of relu, "},
            {"\"resample\": \"oversample\"", "resampling must be none, smote or undersample"}};
        for (String[] c : cases) {
            Files.writeString(f, "{\"format\":\"fraud-scorer-training-config\",\"config\":{" + c[0] + "}}");
            assertThatThrownBy(() -> Tuner.apply(f, TrainerConfig.defaults(), EventFamily.CREDITCARD)).as(c[0])
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(c[1]);
        }
        Files.writeString(f, "{\"format\":\"fraud-scorer-training-config\",\"config\":{\"hidden\": []}}");
        assertThat(Tuner.apply(f, TrainerConfig.defaults(), EventFamily.CREDITCARD).hidden())
                .isEmpty(); // no hidden layer, said explicitly
    }

    @Test
    void anEmptySpaceIsRefused() {
        assertThatThrownBy(() -> new Tuner.Space(List.of(), List.of(Activation.RELU), 1e-3, 1e-2, List.of(64),
                List.of(0.0), List.of(0.0), List.of(10), List.of(1.0), List.of(0.0)))
                .hasMessageContaining("no hidden sizes");
    }
}
