package org.fraudscorer.trainer.events;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.trainer.data.RawEvents;

/**
 * The handbook's train/test split ({@code get_train_test_set}): training payments in
 * [start, start + trainDays), then a gap of {@code delayDays}, then {@code testDays} test days. Test payments of
 * cards already known to be compromised are left out: cards with a fraud in the training period, and, for test
 * day d, cards with a fraud on the days up to start + trainDays + d − 1 (the frauds whose labels have arrived
 * after the delay).
 *
 * @param train indices of training payments, in file order
 * @param test  indices of test payments, in file order
 */
public record HandbookSplit(int[] train, int[] test) {

    public static HandbookSplit of(RawEvents e, LocalDate trainStart, int trainDays, int delayDays, int testDays) {
        long startDay = trainStart.toEpochDay();
        int[] train = IntStream.range(0, e.size()).filter(i -> {
            long d = day(e, i);
            return d >= startDay && d < startDay + trainDays;
        }).toArray();
        Set<Long> known = new HashSet<>();
        for (int i : train) {
            if (e.label(i) == 1) {
                known.add(e.customer(i));
            }
        }
        // frauds per day of the gap, added to the known cards one day at a time
        long firstTest = startDay + trainDays + delayDays;
        int[] testDayOf = new int[e.size()];
        java.util.Arrays.fill(testDayOf, -1);
        java.util.List<Set<Long>> newlyKnown = new java.util.ArrayList<>();
        for (int d = 0; d < testDays; d++) {
            newlyKnown.add(new HashSet<>());
        }
        for (int i = 0; i < e.size(); i++) {
            long d = day(e, i);
            if (d >= firstTest && d < firstTest + testDays) {
                testDayOf[i] = (int) (d - firstTest);
            }
            long sinceTrainEnd = d - (startDay + trainDays); // fraud on this day is known from test day sinceTrainEnd + 1
            if (e.label(i) == 1 && sinceTrainEnd >= 0 && sinceTrainEnd + 1 < testDays) {
                newlyKnown.get((int) sinceTrainEnd + 1).add(e.customer(i));
            }
        }
        IntStream.Builder test = IntStream.builder();
        for (int d = 0; d < testDays; d++) {
            known.addAll(newlyKnown.get(d));
            for (int i = 0; i < e.size(); i++) {
                if (testDayOf[i] == d && !known.contains(e.customer(i))) {
                    test.add(i);
                }
            }
        }
        return new HandbookSplit(train, test.build().sorted().toArray());
    }

    /** The whole-day index (days since 1970-01-01) of payment i. */
    public static long day(RawEvents e, int i) {
        return HandbookFeatures.day(e.time(i));
    }
}
