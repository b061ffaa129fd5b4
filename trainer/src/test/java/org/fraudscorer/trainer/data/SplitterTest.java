package org.fraudscorer.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.fraudscorer.trainer.data.Splitter.Split;
import org.junit.jupiter.api.Test;

class SplitterTest {

    private final Dataset data = MadeUpCsv.expected(1000, true); // in time order, 59 frauds

    @Test
    void latestAsTestSplitTakesTheEndOfTheTimeLineAsTheTestPart() {
        Split split = Splitter.latestAsTest(data, 0.60, 0.15, 7);

        assertThat(split.test().rowNumbers()).containsExactly(IntStream.rangeClosed(751, 1000).toArray());
        assertThat(split.test().input(0, 7)).isEqualTo(data.input(750, 7));
        assertThat(split.train().rows()).isEqualTo(600);
        assertThat(split.validation().rows()).isEqualTo(150);
        assertThat(split.validation().rowNumbers()).isSorted();
        assertThat(Arrays.stream(split.validation().rowNumbers()).max().orElseThrow()).isLessThanOrEqualTo(750);
        assertDisjointAndComplete(split, data);
    }

    @Test
    void latestAsTestSplitSortsUnorderedRowsStablyByTime() {
        int[] reversed = IntStream.range(0, 300).map(i -> 299 - i).toArray();
        Dataset shuffled = data.subset(reversed); // time descending; Time = row / 3, so ties come in threes

        Split split = Splitter.latestAsTest(shuffled, 0.5, 0.25, 7);

        assertThat(split.test().rows()).isEqualTo(75);
        assertThat(split.test().times()).isSorted();
        assertThat(split.test().times()[0]).isGreaterThanOrEqualTo(max(split.train().times()))
                .isGreaterThanOrEqualTo(max(split.validation().times()));
        // rows of equal Time keep their order in the (reversed) input: row numbers 228, 227, 226 for Time 75
        assertThat(Arrays.copyOf(split.test().rowNumbers(), 6)).containsExactly(228, 227, 226, 231, 230, 229);
        assertDisjointAndComplete(split, shuffled);
    }

    @Test
    void stratifiedSplitKeepsEachClassShareToTheRow() {
        Split split = Splitter.stratified(data, 0.60, 0.15, 7);

        int positives = data.positives();
        int negatives = data.rows() - positives;
        assertShare(split.train(), positives, negatives, 0.60);
        assertShare(split.validation(), positives, negatives, 0.15);
        assertShare(split.test(), positives, negatives, 0.25);
        assertDisjointAndComplete(split, data);
        assertThat(split.train().rowNumbers()).isSorted();
        assertThat(split.train().rowNumbers()).isNotEqualTo(IntStream.rangeClosed(1, 600).toArray());
    }

    @Test
    void stratifiedSplitIsDeterminedByTheSeed() {
        Split first = Splitter.stratified(data, 0.6, 0.15, 2024);
        Split again = Splitter.stratified(data, 0.6, 0.15, 2024);
        Split other = Splitter.stratified(data, 0.6, 0.15, 2025);

        assertThat(again.train().rowNumbers()).containsExactly(first.train().rowNumbers());
        assertThat(again.validation().rowNumbers()).containsExactly(first.validation().rowNumbers());
        assertThat(again.test().rowNumbers()).containsExactly(first.test().rowNumbers());
        assertThat(again.train().inputs()).containsExactly(first.train().inputs());
        assertThat(other.train().rowNumbers()).isNotEqualTo(first.train().rowNumbers());
    }

    @Test
    void rejectsFractionsThatLeaveNoTestPart() {
        assertThatThrownBy(() -> Splitter.latestAsTest(data, 0.8, 0.2, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trainFrac + validationFrac must be below 1 so that the test part is not empty, "
                        + "but 0.8 + 0.2 = 1.0");
        assertThatThrownBy(() -> Splitter.stratified(data, 0, 0.2, 1))
                .hasMessage("trainFrac must be between 0 and 1 (exclusive), but is 0.0");
        assertThatThrownBy(() -> Splitter.latestAsTest(data, 0.5, Double.NaN, 1))
                .hasMessage("validationFrac must be between 0 and 1 (exclusive), but is NaN");
    }

    @Test
    void rejectsDataTooSmallForEveryPart() {
        Dataset tiny = data.subset(new int[] {0, 1, 2});

        assertThatThrownBy(() -> Splitter.latestAsTest(tiny, 0.6, 0.15, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected has too few rows (3) for a split of 0.6 / 0.15 / rest: "
                        + "the validation part would be empty");
        // the latest rows as test, the earlier ones stratified: a class too small to reach both parts
        int[] zeros = java.util.stream.IntStream.range(0, data.rows()).filter(i -> data.label(i) == 0).limit(2)
                .toArray();
        int one = java.util.stream.IntStream.range(0, data.rows()).filter(i -> data.label(i) == 1).findFirst()
                .orElseThrow();
        int[] rows = {zeros[0], zeros[1], one, data.rows() - 1}; // the earliest 3 by time: 2 genuine, 1 fraud
        java.util.Arrays.sort(rows);
        Dataset four = data.subset(rows);
        assertThatThrownBy(() -> Splitter.latestAsTest(four, 0.6, 0.15, 1))
                .hasMessage("expected has too few rows (4) for a split of 0.6 / 0.15 / rest: the validation part "
                        + "would be empty");
    }

    @Test
    void stratifiedSplitNeedsLabels() {
        assertThatThrownBy(() -> Splitter.stratified(MadeUpCsv.expected(100, false), 0.6, 0.15, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a stratified split needs labels, but expected has no Class column");
    }

    private static void assertShare(Dataset part, int positives, int negatives, double fraction) {
        assertThat((double) part.positives()).isCloseTo(positives * fraction,
                org.assertj.core.data.Offset.offset(1.0));
        assertThat((double) part.rows() - part.positives()).isCloseTo(negatives * fraction,
                org.assertj.core.data.Offset.offset(1.0));
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }

    private static void assertDisjointAndComplete(Split split, Dataset whole) {
        int[] all = Stream.of(split.train(), split.validation(), split.test())
                .flatMapToInt(part -> Arrays.stream(part.rowNumbers()))
                .sorted()
                .toArray();
        assertThat(all).containsExactly(Arrays.stream(whole.rowNumbers()).sorted().toArray());
    }
}
