package org.fraudscorer.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.fraudscorer.trainer.SharedData;
import org.fraudscorer.trainer.data.Splitter.Split;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reads the real sample of ../shared/data (see its SOURCES.md); skipped when the data is absent. */
class CreditCardSampleTest {

    private static Dataset sample;

    @BeforeAll
    static void read() {
        sample = CreditCardCsv.read(SharedData.creditcardSample());
    }

    @Test
    void hasTheDocumentedRowsAndFrauds() {
        assertThat(sample.rows()).isEqualTo(6_275);
        assertThat(sample.positives()).isEqualTo(377);
        assertThat(sample.inputCount()).isEqualTo(30);
        assertThat(sample.rowNumber(6_274)).isEqualTo(6_275);
    }

    @Test
    void coversTheFirstThirtySixHoursInTimeOrder() {
        double[] times = sample.times();
        assertThat(times).isSorted();
        assertThat(times[0]).isEqualTo(0);
        assertThat(times[times.length - 1]).isLessThan(129_600);
        assertThat(Arrays.stream(sample.amounts()).min().orElseThrow()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void defaultSplitHasSaneBoundaries() {
        Split split = Splitter.latestAsTest(sample, 0.60, 0.15, 42L);

        assertThat(split.test().rows()).isEqualTo(1_569);
        assertThat(split.train().rows() + split.validation().rows()).isEqualTo(4_706); // the first 75%
        assertThat(split.test().rowNumber(0)).isEqualTo(4_707);
        assertThat(last(split.train().times())).isLessThanOrEqualTo(split.test().times()[0]);
        assertThat(last(split.validation().times())).isLessThanOrEqualTo(split.test().times()[0]);
        assertThat(split.train().positives() + split.validation().positives() + split.test().positives())
                .isEqualTo(377);
        assertThat(split.test().positives()).isPositive();
    }

    private static double last(double[] values) {
        return values[values.length - 1];
    }
}
