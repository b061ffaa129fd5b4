package org.fraudscorer.trainer.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.events.EventPeriod;
import org.fraudscorer.trainer.events.FeatureReplay;
import org.fraudscorer.trainer.events.HandbookModels;
import org.fraudscorer.trainer.events.HandbookSplit;
import org.fraudscorer.trainer.events.TransactionSimulator;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import org.fraudscorer.trainer.train.ThresholdPolicy;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.fraudscorer.trainer.train.TrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The raw-event challenge: its window, and the champion measured on the features its own label delay gives. */
class RawEventRetrainingTest {
    static RawEvents events;
    static FraudModelTrainer.Options quick;

    @BeforeAll
    static void simulate() {
        events = TransactionSimulator.simulate(new TransactionSimulator.Config(300, 600, 40, LocalDate.of(2018, 4, 1), 5,
                3)).events();
        TrainerConfig config = TrainerConfig.rawEventDefaults().toBuilder().epochs(2).seed(5).build();
        quick = new FraudModelTrainer.Options(config, true, 0.6, 0.15, ThresholdPolicy.parse("max-f1"), 1, 2, 1, true, 1);
    }

    @Test
    void shouldScoreAChampionWithFeaturesReplayedWithItsOwnLabelDelayAndRefuseAnotherDelay() {
        // Given a champion trained with a 3-day label delay
        double[] features3 = FeatureReplay.replay(events, 3);
        ModelBundle champion = HandbookModels.trainProcedure(events, features3,
                new EventPeriod(LocalDate.of(2018, 4, 1), LocalDate.of(2018, 4, 14)), 3, quick.withRefit(false),
                TrainingListener.NONE).bundle();
        assertThat(champion.labelDelayDays().getAsInt()).isEqualTo(3);

        // When the challenge runs with a 7-day delay, it is refused: scorers would refuse such a challenger
        assertThatThrownBy(() -> RawEventRetraining.challenge(events, 7, 7, quick, champion, TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("serves with a 3-day label delay and scorers refuse a model with another")
                .hasMessageContaining("give --delay-days 3");

        // When it runs with the champion's 3-day delay
        Challenge c = RawEventRetraining.challenge(events, 3, 7, quick, champion, TrainingListener.NONE);

        // Then the window is laid out from the last payment, and the champion's numbers are those of its own features
        assertThat(c.window()).isEqualTo("2018-04-30..2018-05-06");
        assertThat(c.training()).isEqualTo("2018-04-01..2018-04-26");
        assertThat(c.challenger().labelDelayDays().getAsInt()).isEqualTo(3);
        // (cards known to be compromised: a fraud in the 7 days before the delay, or known since, as the handbook's)
        int[] window = HandbookSplit.of(events, LocalDate.of(2018, 4, 20), 7, 3, 7).test();
        double[] p = HandbookModels.probabilities(champion, events, features3, window);
        HandbookModels.Evaluation expected = HandbookModels.evaluate(events, window, p, champion.threshold().value());
        assertThat(c.champion().rows()).isEqualTo(window.length).isEqualTo(c.challengerMetrics().rows());
        assertThat(c.champion().averagePrecision()).isEqualTo(expected.averagePrecision());
        assertThat(c.champion().cardPrecisionAt100()).isEqualTo(expected.cardPrecision());
        assertThat(c.champion().frauds()).isEqualTo(expected.frauds()).isPositive();
        // and not those of the challenger's 7-day features
        double[] p7 = HandbookModels.probabilities(champion, events, FeatureReplay.replay(events, 7), window);
        // a replay of the other feature set is refused, whatever the event count
        double[] v1 = FeatureReplay.replay(events, 3, org.fraudscorer.common.features.events.HandbookFeatures.Version.V1);
        assertThatThrownBy(() -> HandbookModels.probabilities(champion, events, v1, window))
                .hasMessageContaining("reads 17 features (handbook-v2)").hasMessageContaining("are 15.0 wide");
        RawEvents first17 = events.subset(java.util.stream.IntStream.range(0, 17 * 15).toArray(), "first");
        double[] v1of17 = FeatureReplay.replay(first17, 3,
                org.fraudscorer.common.features.events.HandbookFeatures.Version.V1);
        assertThat(v1of17.length % 17).as("the old check let this through").isZero();
        assertThatThrownBy(() -> HandbookModels.probabilities(champion, first17, v1of17, new int[] {0}))
                .hasMessageContaining("reads 17 features");
        assertThat(c.champion().averagePrecision())
                .isNotEqualTo(HandbookModels.evaluate(events, window, p7, 0.5).averagePrecision());
        // The published model is refit on the latest labelled days; the measured one is a different model
        assertThat(c.challenger().provenance()).containsEntry("fit", "refit");
        assertThat(c.evaluatedVersion()).isNotEqualTo(c.challenger().modelVersion());
        // its features were replayed over the events read, which the provenance names (it said "of the file" for
        // topics too)
        assertThat(c.challenger().provenance().get("features")).isEqualTo("handbook-v2, replayed over all events of "
                + events.source() + " (earlier ones as history)");
    }

    /**
     * The gate's rows are the window's payments less those of cards known to be compromised as in the handbook's test
     * weeks (a fraud in the window's length of days before the delay, or known since), whatever the days read before:
     * they left out every card with a fraud anywhere in the training days, so a weekly run over a growing topic judged
     * on fewer and fewer frauds (404 of the window's 636 in its first week, 168 ten weeks later), and the same window
     * held 28,137 payments and 164 frauds without --from, 41,097 and 243 with --from 2018-07-01 (a weekly-operations
     * run); the verdict changed with it.
     */
    @Test
    void theWindowsRowsDoNotDependOnHowManyDaysAreTrainedOn() {
        Challenge all = RawEventRetraining.challenge(events, 3, 7, quick.withRefit(false), null, TrainingListener.NONE);
        Challenge late = RawEventRetraining.challenge(events, 3, 7, quick.withRefit(false), null, TrainingListener.NONE,
                LocalDate.of(2018, 4, 16));
        assertThat(all.window()).isEqualTo(late.window()).isEqualTo("2018-04-30..2018-05-06");
        assertThat(all.training()).isEqualTo("2018-04-01..2018-04-26");
        assertThat(late.training()).isEqualTo("2018-04-16..2018-04-26");
        int[] handbook = HandbookSplit.of(events, LocalDate.of(2018, 4, 20), 7, 3, 7).test();
        assertThat(all.challengerMetrics().rows()).isEqualTo(late.challengerMetrics().rows())
                .isEqualTo(handbook.length);
        assertThat(all.challengerMetrics().frauds()).isEqualTo(late.challengerMetrics().frauds()).isPositive();
        // a card whose only earlier fraud is older than the 7 days before the delay is judged in the window
        int[] longPeriod = HandbookSplit.of(events, LocalDate.of(2018, 4, 1), 26, 3, 7).test();
        assertThat(handbook.length).as("cards with older frauds are kept").isGreaterThan(longPeriod.length);
    }

    @Test
    void aChampionFittedOnTheWindowsDaysIsSaidToBeJudgedInSample() {
        LocalDate window = LocalDate.of(2018, 4, 30);
        assertThat(RawEventRetraining.championSawTheWindow("v1", java.util.Map.of("trainTo", "2018-04-29"), window))
                .isNull();
        assertThat(RawEventRetraining.championSawTheWindow("v2", java.util.Map.of("trainTo", "2018-05-02"), window))
                .isEqualTo("the champion v2 was fitted on payments up to 2018-05-02 (its provenance), on or after "
                        + "the window's first day 2018-04-30: its figures are not held out, so the comparison "
                        + "favours it");
        assertThat(RawEventRetraining.championSawTheWindow("v0", java.util.Map.of(), window)).isNull();
    }

    @Test
    void shouldRefuseAChampionOfTheOtherFamily() {
        ModelBundle card = org.fraudscorer.common.model.ModelFixtures.bundle(1);
        assertThatThrownBy(() -> RawEventRetraining.challenge(events, 7, 7, quick, card, TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uses feature schema creditcard-v1");
    }

    /**
     * {@code retrain --from}: the days before the first training day are history. The challenge trains from that day,
     * on the features a replay of the whole history gives there (what a scorer with full stores computes), not on
     * features whose windows start empty on it.
     */
    @Test
    void daysBeforeTheFirstTrainingDayAreHistoryOnly() {
        LocalDate trainFrom = LocalDate.of(2018, 4, 10);
        Challenge c = RawEventRetraining.challenge(events, 3, 7, quick.withRefit(false), null, TrainingListener.NONE,
                trainFrom);
        assertThat(c.training()).isEqualTo("2018-04-10..2018-04-26");
        // the first training day's features: those of the whole replay, which differ from a replay started there
        RawEvents fromThere = events.subset(new EventPeriod(trainFrom, null).rows(events, "payment"), "from there");
        double[] all = FeatureReplay.replay(events, 3);
        double[] cold = FeatureReplay.replay(fromThere, 3);
        int width = all.length / events.size();
        int firstTrained = new EventPeriod(trainFrom, null).rows(events, "payment")[0];
        double[] warm = java.util.Arrays.copyOfRange(all, firstTrained * width, (firstTrained + 1) * width);
        assertThat(java.util.Arrays.copyOfRange(cold, 0, width)).as("a cold start is another feature vector")
                .isNotEqualTo(warm);
        assertThat(org.fraudscorer.common.features.events.HandbookFeatures.historyDays(7)).isEqualTo(38);
        assertThat(new EventPeriod(trainFrom, LocalDate.of(2018, 5, 1)).withDaysBefore(38))
                .isEqualTo(new EventPeriod(LocalDate.of(2018, 3, 3), LocalDate.of(2018, 5, 1)));
        assertThat(new EventPeriod(null, null).withDaysBefore(38)).isEqualTo(new EventPeriod(null, null));
        // and the model it evaluated was trained on the rows of the training days only, with those warm features
        assertThat(c.challenger().provenance().get("evaluatedFrom")).isEqualTo("2018-04-10");
    }
}
