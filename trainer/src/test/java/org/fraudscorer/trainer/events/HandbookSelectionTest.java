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
        // Given 30 simulated days and a training week starting on day 5
        RawEvents all = TransactionSimulator.simulate(new TransactionSimulator.Config(300, 600, 30,
                LocalDate.of(2018, 7, 1), 5, 3)).events();
        TrainerConfig config = TrainerConfig.rawEventDefaults().toBuilder().hidden(8).epochs(3).seed(5).build();
        LocalDate week = LocalDate.of(2018, 7, 5);
        HandbookProtocol full = new HandbookProtocol(all, FeatureReplay.replay(all, 7), 7, config);

        // When the whole protocol fold runs on the full file, and the selection alone on the file cut after the week
        HandbookProtocol.FoldResult fold = full.fold(week, TrainingListener.NONE, 1, 3, 1);
        long firstDayAfter = week.plusDays(HandbookProtocol.TRAIN_DAYS).toEpochDay();
        int[] upToWeekEnd = IntStream.range(0, all.size()).filter(i -> HandbookSplit.day(all, i) < firstDayAfter).toArray();
        assertThat(upToWeekEnd.length).isLessThan(all.size() / 2);
        RawEvents cut = all.subset(upToWeekEnd, "cut");
        CrossValidation.Result selection = new HandbookProtocol(cut, FeatureReplay.replay(cut, 7), 7, config)
                .selection(week, 3, 1, TrainingListener.NONE);

        // Then both report the same validation AP, bit for bit, over 3 folds
        assertThat(selection.foldPrAuc()).hasSize(3);
        assertThat(selection.meanPrAuc()).isBetween(0.0, 1.0).isEqualTo(fold.selectionAp());
        assertThat(selection.bestEpoch()).isEqualTo(fold.bestEpoch());
    }

    @Test
    void theFoldsFollowTimeWhateverTheFilesOrder() {
        // Given 20 simulated days, and the same payments in another file order: latest first (payments of the same
        // second keep their order, as a stable sort by time then restores the original file exactly)
        RawEvents all = TransactionSimulator.simulate(new TransactionSimulator.Config(200, 400, 20,
                LocalDate.of(2018, 7, 1), 5, 3)).events();
        assertThat(all.isTimeOrdered()).isTrue();
        int[] reversed = IntStream.range(0, all.size()).boxed()
                .sorted(java.util.Comparator.comparingLong((Integer i) -> -all.time(i)).thenComparingInt(i -> i))
                .mapToInt(i -> i).toArray();
        RawEvents shuffled = all.subset(reversed, "reversed");
        assertThat(shuffled.isTimeOrdered()).isFalse();
        TrainerConfig config = TrainerConfig.rawEventDefaults().toBuilder().hidden(8).epochs(3).seed(5).build();
        LocalDate week = LocalDate.of(2018, 7, 5);

        // When the selection runs on each
        CrossValidation.Result ordered = new HandbookProtocol(all, FeatureReplay.replay(all, 7), 7, config)
                .selection(week, 3, 1, TrainingListener.NONE);
        CrossValidation.Result fromReversed = new HandbookProtocol(shuffled, FeatureReplay.replay(shuffled, 7), 7,
                config).selection(week, 3, 1, TrainingListener.NONE);

        // Then the folds hold the same payments in the same (time) order: the same figures, bit for bit
        assertThat(fromReversed.foldPrAuc()).containsExactly(ordered.foldPrAuc());
        assertThat(fromReversed.bestEpoch()).isEqualTo(ordered.bestEpoch());
    }
}
