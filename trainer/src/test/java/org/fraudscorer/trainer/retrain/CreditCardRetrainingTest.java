package org.fraudscorer.trainer.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SplittableRandom;
import org.fraudscorer.common.metrics.BinaryReport;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.trainer.data.Dataset;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import org.fraudscorer.trainer.train.Provenance;
import org.fraudscorer.trainer.train.RowScoring;
import org.fraudscorer.trainer.train.ThresholdPolicy;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.fraudscorer.trainer.train.TrainingListener;
import org.junit.jupiter.api.Test;

/**
 * The creditcard challenge from the topics: the window's rows a champion may have been fit on (below the input topic's
 * end offsets its provenance records) are left out of the judgement when the others still judge a model.
 */
class CreditCardRetrainingTest {
    private static final String TOPIC = "cc.in";
    private static final String WHERE = "an event on cc.in below the end offsets its provenance records";

    @Test
    void shouldCountARowAsSeenWhenAnEventOfItsIdWasBelowTheEndOffsetOfItsPartition() {
        // rows: one event on partition 0 at 4; one at 5; one id on partition 1 at 9 and again on partition 2 at 0
        InputRead read = new InputRead(TOPIC, Map.of(0, 6L, 1, 10L, 2, 1L),
                new long[][] {{0, 4}, {0, 5}, {1, 9, 2, 0}}, null);
        Map<Integer, Long> champion = Map.of(0, 5L, 1, 3L); // partition 2 was not read (it did not exist yet)

        assertThat(read.seen(0, champion, null)).isTrue();
        assertThat(read.seen(1, champion, null)).as("offset 5 is at the end: not read").isFalse();
        assertThat(read.seen(2, champion, null)).isFalse();
        assertThat(read.seen(2, Map.of(2, 1L), null)).as("its event on partition 2 was read").isTrue();
        assertThat(read.provenance()).containsEntry(Provenance.INPUT_TOPIC, TOPIC)
                .containsEntry(Provenance.INPUT_END_OFFSETS, Map.of("0", 6L, "1", 10L, "2", 1L))
                .doesNotContainKey(Provenance.LABELS_TOPIC);
    }

    @Test
    void shouldCountARowAsSeenOnlyWhenALabelOfItWasBelowTheLabelsEndOffsetsToo() {
        // rows: both events read by the champion; the first one's label at 2 (read), the second's at 7 (after it)
        InputRead read = new InputRead(TOPIC, Map.of(0, 6L), new long[][] {{0, 1}, {0, 2}},
                new InputRead.Labels("cc.labels", Map.of(0, 9L), new long[][] {{0, 2}, {0, 7}}));
        Map<Integer, Long> events = Map.of(0, 6L);
        Map<Integer, Long> labels = Map.of(0, 5L);

        assertThat(read.seen(0, events, labels)).isTrue();
        assertThat(read.seen(1, events, labels)).as("its label came after the champion's read: not learnt").isFalse();
        assertThat(read.seen(1, events, null)).as("a champion that recorded no labels offsets: the event decides")
                .isTrue();
        assertThat(read.provenance()).containsEntry(Provenance.LABELS_TOPIC, "cc.labels")
                .containsEntry(Provenance.LABELS_END_OFFSETS, Map.of("0", 9L));
    }

    @Test
    void shouldJudgeOnTheRowsTheChampionCannotHaveSeenWhenTheyHoldEnoughOfEachClass() {
        // a window of 20 rows: the first 8 seen by the champion; the 12 others hold 5 frauds and 7 genuine
        boolean[] seen = new boolean[20];
        int[] y = new int[20];
        for (int k = 0; k < 20; k++) {
            seen[k] = k < 8;
            y[k] = k % 2 == 0 && k < 18 ? 1 : 0; // frauds at 0, 2, …, 16: 5 of them from 8 on
        }

        CreditCardRetraining.Judged j = CreditCardRetraining.judged(seen, y, "champ", WHERE);

        assertThat(j.rows()).containsExactly(8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
        assertThat(j.overlap()).isEqualTo(new Challenge.Overlap(8, 8, "judged on the 12 window rows the champion "
                + "cannot have seen (5 frauds); left out the 8 it may have been fit on (an event on cc.in below the "
                + "end offsets its provenance records)"));
        assertThat(j.caveat()).isNull();
    }

    @Test
    void shouldJudgeOnTheWholeWindowWithACaveatWhenTooFewRowsAreUnseen() {
        // the same window with 4 unseen frauds only (the one at 16 seen too)
        boolean[] seen = new boolean[20];
        int[] y = new int[20];
        for (int k = 0; k < 20; k++) {
            seen[k] = k < 8 || k == 16;
            y[k] = k % 2 == 0 && k < 18 ? 1 : 0;
        }

        CreditCardRetraining.Judged j = CreditCardRetraining.judged(seen, y, "champ", WHERE);

        assertThat(j.rows()).isNull();
        assertThat(j.overlap()).isEqualTo(new Challenge.Overlap(9, 0, null));
        assertThat(j.caveat()).isEqualTo("the champion champ may have been fit on 9 of the window's 20 rows (an "
                + "event on cc.in below the end offsets its provenance records): the 11 others hold 4 frauds and 7 "
                + "genuine, too few to judge on (5 of each), so both were judged on the whole window, where its "
                + "figures are not held out: the comparison favours it");
        // nothing seen: the whole window, nothing to say; unknown: no claim
        assertThat(CreditCardRetraining.judged(new boolean[20], y, "champ", WHERE))
                .isEqualTo(new CreditCardRetraining.Judged(null, new Challenge.Overlap(0, 0, null), null));
        assertThat(CreditCardRetraining.judged(null, y, "champ", WHERE))
                .isEqualTo(new CreditCardRetraining.Judged(null, null, null));
    }

    @Test
    void shouldMeasureBothModelsOnTheUnseenWindowRowsAndRecordTheOffsetsReadInTheChallenger() {
        // Given 1,600 rows in time order on 4 partitions (row i at partition i % 4, offset i / 4), and a champion fit
        // on the first 1,400 (its provenance: the topic read to offset 350 on each partition)
        Dataset all = rows(1_600, 0.08, 3);
        long[][] positions = new long[all.rows()][];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = new long[] {i % 4, i / 4};
        }
        Map<Integer, Long> championEnds = Map.of(0, 350L, 1, 350L, 2, 350L, 3, 350L);
        Map<Integer, Long> ends = Map.of(0, 400L, 1, 400L, 2, 400L, 3, 400L);
        FraudModelTrainer.Options quick = quick();
        ModelBundle champion = FraudModelTrainer.train(all.subset(java.util.stream.IntStream.range(0, 1_400).toArray()),
                quick, TrainingListener.NONE).bundle()
                .withProvenance(Provenance.inputRead(TOPIC, championEnds, null, null));

        // When the topics' 1,600 rows are read again
        Challenge c = CreditCardRetraining.challenge(all, quick, champion, TrainingListener.NONE,
                new InputRead(TOPIC, ends, positions, null));

        // Then the window is the latest 400 rows; the 200 it learnt (rows 1,200..1,399) are left out, and both models
        // are measured on rows 1,400..1,599 only, the champion's figures as scored by hand
        assertThat(c.window()).isEqualTo("the latest 400 rows by Time");
        assertThat(c.overlap()).isEqualTo(new Challenge.Overlap(200, 200, c.overlap().note()));
        assertThat(c.overlap().note()).startsWith("judged on the 200 window rows the champion cannot have seen");
        assertThat(c.caveat()).isNull();
        Dataset unseen = all.subset(java.util.stream.IntStream.range(1_400, 1_600).toArray());
        BinaryReport expected = BinaryReport.of(RowScoring.probabilities(champion, unseen), unseen.labels(), null,
                champion.threshold().value());
        assertThat(c.champion().rows()).isEqualTo(200).isEqualTo(c.challengerMetrics().rows());
        assertThat(c.champion().frauds()).isEqualTo(unseen.positives()).isGreaterThanOrEqualTo(5);
        assertThat(c.champion().averagePrecision()).isEqualTo(expected.prAuc());
        assertThat(c.apGain().gain()).isEqualTo(c.challengerMetrics().averagePrecision()
                - c.champion().averagePrecision());
        assertThat(c.toMap()).containsEntry("window_seen_by_champion", 200).containsEntry("window_left_out", 200);
        // and the challenger says what it read, for the next retrain
        assertThat(Provenance.inputEndOffsets(c.challenger().provenance(), TOPIC)).isEqualTo(ends);
        assertThat(c.challenger().sha256()).as("sealed with the offsets")
                .isEqualTo(ModelFile.fromBytes(ModelFile.toBytes(c.challenger()), "challenger").sha256());

        // When the champion's file records another topic, or nothing: the whole window, no claim (as before)
        Challenge other = CreditCardRetraining.challenge(all, quick, champion, TrainingListener.NONE,
                new InputRead("other.in", ends, positions, null));
        assertThat(other.champion().rows()).isEqualTo(400);
        assertThat(other.overlap()).isNull();
        assertThat(other.toMap()).containsEntry("window_seen_by_champion", null).containsEntry("window_left_out", 0);

        // When the champion also recorded the labels topic, read to offset 1,300 (row i's label at offset i: the
        // labels of rows 1,300.. came after its read, so it cannot have learnt them)
        long[][] labelPositions = new long[all.rows()][];
        for (int i = 0; i < labelPositions.length; i++) {
            labelPositions[i] = new long[] {0, i};
        }
        ModelBundle labelled = champion.withProvenance(Provenance.inputRead(TOPIC, championEnds, "cc.labels",
                Map.of(0, 1_300L)));
        Challenge withLabels = CreditCardRetraining.challenge(all, quick, labelled, TrainingListener.NONE,
                new InputRead(TOPIC, ends, positions, new InputRead.Labels("cc.labels", Map.of(0, 1_600L),
                        labelPositions)));
        // Then only rows 1,200..1,299 count as seen, and both are judged on rows 1,300..1,599
        assertThat(withLabels.overlap()).isEqualTo(new Challenge.Overlap(100, 100, "judged on the 300 window rows "
                + "the champion cannot have seen (" + org.fraudscorer.common.text.Counted.of(all.subset(
                java.util.stream.IntStream.range(1_300, 1_600).toArray()).positives(), "fraud") + "); left out the 100 "
                + "it may have been fit on (an event on cc.in and a label on cc.labels below the end offsets its "
                + "provenance records)"));
        assertThat(withLabels.champion().rows()).isEqualTo(300);
        assertThat(Provenance.labelsEndOffsets(withLabels.challenger().provenance(), "cc.labels"))
                .isEqualTo(Map.of(0, 1_600L));
    }

    private static FraudModelTrainer.Options quick() {
        TrainerConfig config = TrainerConfig.creditcardDefaults().toBuilder().epochs(2).seed(5).build();
        return new FraudModelTrainer.Options(config, true, 0.6, 0.15, ThresholdPolicy.parse("max-f1"), 1, 2, 1, true,
                1);
    }

    /** Made-up creditcard rows in time order: frauds shifted in three components. No real data. */
    private static Dataset rows(int n, double fraudRate, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n * Dataset.INPUT_COUNT];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextDouble() < fraudRate ? 1 : 0;
            x[i * Dataset.INPUT_COUNT + Dataset.TIME] = i * 10;
            for (int v = 1; v <= 28; v++) {
                double shift = y[i] == 1 && (v == 3 || v == 10 || v == 14) ? -2.5 : 0;
                x[i * Dataset.INPUT_COUNT + v] = r.nextGaussian() + shift;
            }
            x[i * Dataset.INPUT_COUNT + Dataset.AMOUNT] = Math.round(Math.exp(r.nextDouble() * 6) * 100) / 100.0;
        }
        return Dataset.of("made-up", x, y);
    }
}
