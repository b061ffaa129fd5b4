package org.fraudscorer.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatasetTest {

    private final Dataset data = MadeUpCsv.expected(10, true);

    @Test
    void namesInputsInCanonicalOrder() {
        assertThat(data.inputCount()).isEqualTo(30);
        assertThat(data.inputNames()).hasSize(30).startsWith("Time", "V1", "V2").endsWith("V28", "Amount");
        assertThat(data.inputNames().get(Dataset.TIME)).isEqualTo("Time");
        assertThat(data.inputNames().get(Dataset.AMOUNT)).isEqualTo("Amount");
    }

    @Test
    void accessorsAgreeWithTheFlatRowMajorLayout() {
        double[] inputs = data.inputs();
        assertThat(inputs).hasSize(10 * 30);
        assertThat(data.input(4, 7)).isEqualTo(inputs[4 * 30 + 7]).isEqualTo(MadeUpCsv.value(4, 7));
        assertThat(data.times()[6]).isEqualTo(MadeUpCsv.value(6, Dataset.TIME));
        assertThat(data.amounts()[6]).isEqualTo(MadeUpCsv.value(6, Dataset.AMOUNT));
        double[] row = new double[32];
        data.copyRow(2, row, 1);
        assertThat(row[1]).isEqualTo(data.input(2, 0));
        assertThat(row[30]).isEqualTo(data.input(2, 29));
        assertThat(data.positives()).isEqualTo(1); // row 3
        assertThat(data.label(3)).isEqualTo(1);
    }

    @Test
    void bulkAccessorsReturnCopies() {
        data.inputs()[0] = 99;
        data.labels()[0] = 1;
        data.rowNumbers()[0] = 99;

        assertThat(data.input(0, 0)).isEqualTo(MadeUpCsv.value(0, 0));
        assertThat(data.label(0)).isZero();
        assertThat(data.rowNumber(0)).isEqualTo(1);
    }

    @Test
    void subsetCopiesTheChosenRowsWithTheirLabelsAndSourceRowNumbers() {
        Dataset subset = data.subset(new int[] {7, 3, 3});

        assertThat(subset.rows()).isEqualTo(3);
        assertThat(subset.rowNumbers()).containsExactly(8, 4, 4);
        assertThat(subset.labels()).containsExactly(0, 1, 1);
        assertThat(subset.positives()).isEqualTo(2);
        assertThat(subset.input(0, 5)).isEqualTo(data.input(7, 5));
        assertThat(subset.source()).isEqualTo(data.source());
        assertThatThrownBy(() -> data.subset(new int[] {10})).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void ofRejectsWhatAFileCouldNotContain() {
        assertThatThrownBy(() -> Dataset.of("x", new double[31], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 30");
        double[] nan = new double[30];
        nan[29] = Double.NaN;
        assertThatThrownBy(() -> Dataset.of("x", nan, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("input Amount of row 0 is NaN");
        assertThatThrownBy(() -> Dataset.of("x", new double[30], new int[] {2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("label of row 0 is 2, not 0 or 1");
        assertThatThrownBy(() -> Dataset.of("x", new double[60], new int[] {0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("labels has 1 values for 2 rows");
    }

    @Test
    void unlabelledDataRefusesLabelQuestions() {
        Dataset unlabelled = MadeUpCsv.expected(3, false);

        assertThat(unlabelled.hasLabels()).isFalse();
        assertThat(unlabelled.labels()).isNull();
        assertThatThrownBy(() -> unlabelled.label(0)).isInstanceOf(IllegalStateException.class);
        assertThat(unlabelled.subset(new int[] {1}).hasLabels()).isFalse();
    }
}
