package org.fraudscorer.trainer.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.stream.IntStream;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.train.CrossValidation;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.fraudscorer.trainer.train.TrainingListener;
import org.junit.jupiter.api.Test;

/**
 * {@code handbook --selection-only}: the figure that settings and feature sets are compared on is the one the
 * procedure chose its epoch count on, and it is computed without any payment after the training week.
 */
class HandbookSelectionTest {

    @Test
    void selectionIsTheProceduresSignalAndReadsNoDayAfterTheTrainingWeek() {
        // Given 50 simulated days and a training week starting on day 29 (its 3 folds reach back to day 1)
        RawEvents all = simulated(50, LocalDate.of(2018, 7, 1));
        TrainerConfig config = TrainerConfig.rawEventDefaults().toBuilder().hidden(8).epochs(3).seed(5).build();
        LocalDate week = LocalDate.of(2018, 7, 29);
        HandbookProtocol full = new HandbookProtocol(all, FeatureReplay.replay(all, 7), 7, config);

        // When the whole protocol fold runs on the full file, and the selection alone on the file cut after the week
        HandbookProtocol.FoldResult fold = full.fold(week, TrainingListener.NONE, 1, 3, 1);
        long firstDayAfter = week.plusDays(HandbookProtocol.TRAIN_DAYS).toEpochDay();
        int[] upToWeekEnd = IntStream.range(0, all.size()).filter(i -> HandbookSplit.day(all, i) < firstDayAfter).toArray();
        assertThat(upToWeekEnd.length).isLessThan(all.size() * 3 / 4);
        RawEvents cut = all.subset(upToWeekEnd, "cut");
        CrossValidation.Result selection = new HandbookProtocol(cut, FeatureReplay.replay(cut, 7), 7, config)
                .selection(week, 3, 1, TrainingListener.NONE);

        // Then both report the same validation AP, bit for bit, over 3 folds
        assertThat(selection.foldPrAuc()).hasSize(3);
        assertThat(selection.meanPrAuc()).isBetween(0.0, 1.0).isEqualTo(fold.selectionAp());
        assertThat(selection.bestEpoch()).isEqualTo(fold.bestEpoch());
    }

    /** A week cut by the file's ends is refused before any training, naming the weeks and the file's days. */
    @Test
    void aTrainingOrTestWeekTheFileHoldsOnlyPartOfIsRefused() {
        RawEvents all = simulated(50, LocalDate.of(2018, 7, 1)); // 2018-07-01..08-19
        HandbookProtocol p = protocol(all, TrainerConfig.rawEventDefaults().toBuilder().hidden(4).epochs(1).build());
        assertThat(p.coverageProblem(LocalDate.of(2018, 7, 29), true)).isNull(); // test week ends 08-18
        assertThat(p.coverageProblem(LocalDate.of(2018, 8, 1), true)).isEqualTo("the protocol's training and test "
                + "weeks 2018-08-01..2018-08-21 are not wholly in simulated (its events run from 2018-07-01 to "
                + "2018-08-19): a week cut short would be compared with the published baselines of whole weeks");
        assertThat(p.coverageProblem(LocalDate.of(2018, 8, 1), false)).as("the training week alone").isNull();
        assertThat(p.coverageProblem(LocalDate.of(2018, 6, 30), false)).startsWith("the protocol's training week "
                + "2018-06-30..2018-07-06 is not wholly in");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.fold(LocalDate.of(2018, 8, 1),
                TrainingListener.NONE)).hasMessageStartingWith("the protocol's training and test weeks 2018-08-01");
    }

    /** A payment whose verdict is not known is never a training target: the procedure refuses, whoever calls it. */
    @Test
    void theProcedureAndTheProtocolRefuseEventsWithAnUnknownLabel() {
        RawEvents all = simulated(30, LocalDate.of(2018, 7, 1));
        byte[] labels = new byte[all.size()];
        for (int i = 0; i < all.size(); i++) {
            labels[i] = (byte) (i == 5 ? RawEvents.UNKNOWN : all.label(i));
        }
        RawEvents partial = all.withLabels(labels, "partial");
        double[] x = FeatureReplay.replay(partial, 7);
        TrainerConfig config = TrainerConfig.rawEventDefaults().toBuilder().hidden(8).epochs(1).seed(5).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HandbookModels.trainProcedure(partial, x,
                new EventPeriod(LocalDate.of(2018, 7, 15), LocalDate.of(2018, 7, 21)), 7,
                org.fraudscorer.trainer.train.FraudModelTrainer.Options.defaults().withConfig(config),
                TrainingListener.NONE)).hasMessage("partial: 1 of the " + String.format(java.util.Locale.ROOT, "%,d",
                all.size()) + " payments has no TX_FRAUD label (the first: TRANSACTION_ID " + all.id(5) + "): the "
                + "procedure learns from them");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HandbookProtocol(partial, x, 7, config))
                .hasMessageEndingWith("the protocol trains and tests on them");
    }

    @Test
    void theFoldsFollowTimeWhateverTheFilesOrder() {
        // Given 36 simulated days, and the same payments in another file order: latest first (payments of the same
        // second keep their order, as a stable sort by time then restores the original file exactly)
        RawEvents all = TransactionSimulator.simulate(new TransactionSimulator.Config(200, 400, 36,
                LocalDate.of(2018, 7, 1), 5, 3)).events();
        assertThat(all.isTimeOrdered()).isTrue();
        int[] reversed = IntStream.range(0, all.size()).boxed()
                .sorted(java.util.Comparator.comparingLong((Integer i) -> -all.time(i)).thenComparingInt(i -> i))
                .mapToInt(i -> i).toArray();
        RawEvents shuffled = all.subset(reversed, "reversed");
        assertThat(shuffled.isTimeOrdered()).isFalse();
        TrainerConfig config = TrainerConfig.rawEventDefaults().toBuilder().hidden(8).epochs(3).seed(5).build();
        LocalDate week = LocalDate.of(2018, 7, 29);

        // When the selection runs on each
        CrossValidation.Result ordered = new HandbookProtocol(all, FeatureReplay.replay(all, 7), 7, config)
                .selection(week, 3, 1, TrainingListener.NONE);
        CrossValidation.Result fromReversed = new HandbookProtocol(shuffled, FeatureReplay.replay(shuffled, 7), 7,
                config).selection(week, 3, 1, TrainingListener.NONE);

        // Then the folds hold the same payments in the same (time) order: the same figures, bit for bit
        assertThat(fromReversed.foldPrAuc()).containsExactly(ordered.foldPrAuc());
        assertThat(fromReversed.bestEpoch()).isEqualTo(ordered.bestEpoch());
    }

    @Test
    void theFoldsAreTheHandbooksValidationWeeks() {
        // Given 60 simulated days from June 1st and a 7-day label delay
        RawEvents all = simulated(60, LocalDate.of(2018, 6, 1));
        HandbookProtocol p = protocol(all, TrainerConfig.rawEventDefaults());

        // When the procedure lays out 3 folds for the training week July 10..16
        var folds = p.validationFolds(LocalDate.of(2018, 7, 10), 7, 3);

        // Then, oldest first, fold i validates on the i-th week counted back from the week's end and trains on the
        // week that ends the delay before it (the handbook's start_date_training_for_valid, then a week back per fold)
        assertThat(folds).extracting(HandbookProtocol.ValidationFold::validationFrom).containsExactly(
                LocalDate.of(2018, 6, 26), LocalDate.of(2018, 7, 3), LocalDate.of(2018, 7, 10));
        assertThat(folds).extracting(HandbookProtocol.ValidationFold::trainFrom).containsExactly(
                LocalDate.of(2018, 6, 12), LocalDate.of(2018, 6, 19), LocalDate.of(2018, 6, 26));
        for (HandbookProtocol.ValidationFold f : folds) {
            assertThat(f.trainTo()).isEqualTo(f.trainFrom().plusDays(6));
            assertThat(f.validationTo()).isEqualTo(f.validationFrom().plusDays(6));
            assertThat(days(all, f.train())).allMatch(d -> !d.isBefore(f.trainFrom()) && !d.isAfter(f.trainTo()));
            assertThat(days(all, f.validation()))
                    .allMatch(d -> !d.isBefore(f.validationFrom()) && !d.isAfter(f.validationTo()));
            assertThat(all.timeOrder(f.train())).isEqualTo(f.train());
            assertThat(all.timeOrder(f.validation())).isEqualTo(f.validation());
            // every payment of the training days is trained on; cards with a fraud there are not validated on
            long trainDays = IntStream.range(0, all.size()).mapToObj(i -> HandbookSplit.day(all, i))
                    .filter(d -> d >= f.trainFrom().toEpochDay() && d <= f.trainTo().toEpochDay()).count();
            assertThat(f.train()).hasSize((int) trainDays);
            java.util.Set<Long> known = java.util.Arrays.stream(f.train()).filter(i -> all.label(i) == 1)
                    .mapToObj(all::customer).collect(java.util.stream.Collectors.toSet());
            assertThat(known).isNotEmpty();
            assertThat(java.util.Arrays.stream(f.validation()).mapToObj(all::customer)).noneMatch(known::contains);
            long validationDays = IntStream.range(0, all.size()).mapToObj(i -> HandbookSplit.day(all, i))
                    .filter(d -> d >= f.validationFrom().toEpochDay() && d <= f.validationTo().toEpochDay()).count();
            assertThat(f.validation().length).isPositive().isLessThan((int) validationDays);
        }

        // and a longer period keeps its length in every fold: 14 days, each fold trains on the 14 days before the gap
        var longer = p.validationFolds(LocalDate.of(2018, 7, 3), 14, 2);
        assertThat(longer).extracting(HandbookProtocol.ValidationFold::trainFrom).containsExactly(
                LocalDate.of(2018, 6, 12), LocalDate.of(2018, 6, 19));
        assertThat(longer).extracting(HandbookProtocol.ValidationFold::trainTo).containsExactly(
                LocalDate.of(2018, 6, 25), LocalDate.of(2018, 7, 2));
    }

    @Test
    void aFoldBeforeTheFilesFirstDayIsRefusedByName() {
        // Given a file of 29 days that starts on June 28th
        RawEvents all = simulated(29, LocalDate.of(2018, 6, 28));
        HandbookProtocol p = protocol(all, TrainerConfig.rawEventDefaults());

        // When 3 folds are asked for the week July 19..25: the third, oldest, would train on June 21..27
        // Then the refusal names that fold, its days, the file's first day and how many folds fit
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.validationFolds(LocalDate.of(2018, 7, 19), 7, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("validation fold 3 of 3 (training 2018-06-21..2018-06-27, validating "
                        + "2018-07-05..2018-07-11) has too few training days (the file holds 0 of its 7, less than "
                        + "a week)")
                .hasMessageContaining("run from 2018-06-28").hasMessageContaining("use --folds 2,");
        assertThat(p.validationFolds(LocalDate.of(2018, 7, 19), 7, 2)).hasSize(2);
        // and when not even 2 fit, it says so
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.validationFolds(LocalDate.of(2018, 7, 5), 7, 2))
                .hasMessageContaining("validation fold 1 of 2").hasMessageContaining("reaches further back");
    }

    @Test
    void aPeriodThatStartsWithTheFileHasOneFoldInsideItOrAReasonedRefusal() {
        // Given a file of 20 days that starts on July 1st, with a 7-day label delay
        RawEvents all = simulated(20, LocalDate.of(2018, 7, 1));
        HandbookProtocol p = protocol(all, TrainerConfig.rawEventDefaults());
        LocalDate from = LocalDate.of(2018, 7, 1);

        // When the period is its first 14 days: no weekly fold fits before it
        assertThat(p.validationFoldsThatFit(from, 14, 3)).isZero();
        HandbookProtocol.ValidationFold f = p.lastWeekFold(from, 14);

        // Then its one fold trains on the first 7 days and validates on the last 7, known cards left out
        assertThat(f.trainFrom()).isEqualTo(from);
        assertThat(f.trainTo()).isEqualTo(LocalDate.of(2018, 7, 7));
        assertThat(f.validationFrom()).isEqualTo(LocalDate.of(2018, 7, 8));
        assertThat(f.validationTo()).isEqualTo(LocalDate.of(2018, 7, 14));
        assertThat(days(all, f.train())).allMatch(d -> !d.isAfter(f.trainTo())).isNotEmpty();
        assertThat(days(all, f.validation())).allMatch(d -> !d.isBefore(f.validationFrom())
                && !d.isAfter(f.validationTo())).isNotEmpty();
        java.util.Set<Long> known = java.util.Arrays.stream(f.train()).filter(i -> all.label(i) == 1)
                .mapToObj(all::customer).collect(java.util.stream.Collectors.toSet());
        assertThat(known).isNotEmpty();
        assertThat(java.util.Arrays.stream(f.validation()).mapToObj(all::customer)).noneMatch(known::contains);
        // and the procedure runs on it
        TrainerConfig quick = TrainerConfig.rawEventDefaults().withEpochsAndSeed(2, 3);
        HandbookProtocol q = protocol(all, quick);
        HandbookProtocol.Procedure proc = q.procedure(from, 14, java.util.List.of(f), 1, 1, TrainingListener.NONE);
        assertThat(proc.selection().foldPrAuc()).hasSize(1);
        assertThat(proc.oofRows()).isEqualTo(f.validation());

        // and a period of one week has no room for a fold: refused with the reason
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.lastWeekFold(from, 7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the period 2018-07-01..2018-07-07 has no validation fold")
                .hasMessageContaining("run from 2018-07-01").hasMessageContaining("more than 7 days");
    }

    @Test
    void theSingleSplitFitKeepsTheInputClipAsTheProcedureDoes() {
        // handbook --folds 1 fits one split: its model must clip its inputs as the k-fold procedure's does
        RawEvents all = simulated(30, LocalDate.of(2018, 7, 1));
        TrainerConfig config = TrainerConfig.rawEventDefaults().toBuilder().hidden(8).epochs(1).seed(5)
                .inputClip(1.5).build();
        HandbookProtocol protocol = protocol(all, config);
        int[] week = new org.fraudscorer.trainer.events.EventPeriod(LocalDate.of(2018, 7, 20),
                LocalDate.of(2018, 7, 26)).rows(all, "training");

        HandbookProtocol.Fitted fitted = protocol.fit(week, TrainingListener.NONE);

        assertThat(fitted.preprocessing().clip()).isEqualTo(1.5);
        assertThat(protocol(all, TrainerConfig.rawEventDefaults().toBuilder().hidden(8).epochs(1).seed(5).build())
                .fit(week, TrainingListener.NONE).preprocessing().clip()).isZero();
    }

    /** 300 customers, 600 terminals, {@code days} simulated days from {@code from} (seed 3). */
    private static RawEvents simulated(int days, LocalDate from) {
        return TransactionSimulator.simulate(new TransactionSimulator.Config(300, 600, days, from, 5, 3)).events();
    }

    /** The protocol over {@code all} with a 7-day label delay. */
    private static HandbookProtocol protocol(RawEvents all, TrainerConfig config) {
        return new HandbookProtocol(all, FeatureReplay.replay(all, 7), 7, config);
    }

    private static java.util.List<LocalDate> days(RawEvents e, int[] rows) {
        return java.util.Arrays.stream(rows).mapToObj(i -> LocalDate.ofEpochDay(HandbookSplit.day(e, i))).toList();
    }
}
