package org.fraudscorer.trainer.data;

import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Card transactions in memory: {@link #rows()} rows of {@link #INPUT_COUNT} model inputs, with their fraud
 * labels when known.
 *
 * <p>Inputs are stored flat and row-major in the canonical order {@code Time, V1..V28, Amount}
 * ({@link #INPUT_NAMES}), whatever the column order of the file they came from. Each row also keeps its
 * source row number: its 1-based position among the data rows of the original file (the header is not
 * counted), carried through {@link #subset(int[])} and the splits so that scores can be traced back. A file with an
 * {@code id} column gives each row its own identifier as well ({@link #id(int)}), carried the same way.
 *
 * <p>Instances are immutable: the bulk accessors return copies. Loops over large data should use
 * {@link #input(int, int)}, {@link #label(int)} or {@link #copyRow(int, double[], int)}, which do not copy.
 */
public final class Dataset {

    /** Number of model inputs per row. */
    public static final int INPUT_COUNT = 30;

    /** Input names in canonical order: {@code Time, V1, ..., V28, Amount}. */
    public static final List<String> INPUT_NAMES = Stream.concat(
                    Stream.concat(Stream.of("Time"), IntStream.rangeClosed(1, 28).mapToObj(i -> "V" + i)),
                    Stream.of("Amount"))
            .toList();

    /** Canonical column of {@code Time}. */
    public static final int TIME = 0;

    /** Canonical column of {@code Amount}. */
    public static final int AMOUNT = 29;

    private final String source;
    private final int rows;
    private final double[] inputs;
    private final int[] labels;
    private final int[] rowNumbers;
    private final String[] ids;
    private final int positives;

    /** Takes ownership of the arrays: callers must not keep or change them. */
    Dataset(String source, double[] inputs, int[] labels, int[] rowNumbers) {
        this(source, inputs, labels, rowNumbers, null);
    }

    /** Takes ownership of the arrays: callers must not keep or change them. {@code ids} may be null. */
    Dataset(String source, double[] inputs, int[] labels, int[] rowNumbers, String[] ids) {
        this.source = Objects.requireNonNull(source, "source");
        this.inputs = Objects.requireNonNull(inputs, "inputs");
        this.rowNumbers = Objects.requireNonNull(rowNumbers, "rowNumbers");
        this.labels = labels;
        this.ids = ids;
        this.rows = rowNumbers.length;
        if (inputs.length != (long) rows * INPUT_COUNT) {
            throw new IllegalArgumentException("inputs has " + inputs.length + " values, expected "
                    + rows + " rows x " + INPUT_COUNT + " inputs");
        }
        if (labels != null && labels.length != rows) {
            throw new IllegalArgumentException("labels has " + labels.length + " values for " + rows + " rows");
        }
        if (ids != null && ids.length != rows) {
            throw new IllegalArgumentException("ids has " + ids.length + " values for " + rows + " rows");
        }
        this.positives = labels == null ? 0 : countPositives(labels);
    }

    /**
     * A dataset built in memory (for generated data and tests), with source row numbers 1..rows.
     *
     * @param source a name for where the data came from, shown in logs and reports
     * @param inputs row-major values in canonical order, {@code rows * INPUT_COUNT} long; copied
     * @param labels one 0/1 label per row, or {@code null} for unlabelled data; copied
     * @throws IllegalArgumentException if the sizes do not agree, a value is NaN or infinite, or a label is
     *                                  not 0 or 1
     */
    public static Dataset of(String source, double[] inputs, int[] labels) {
        Objects.requireNonNull(inputs, "inputs");
        if (inputs.length % INPUT_COUNT != 0) {
            throw new IllegalArgumentException("inputs has " + inputs.length + " values, not a multiple of "
                    + INPUT_COUNT + " inputs per row");
        }
        for (int i = 0; i < inputs.length; i++) {
            if (!Double.isFinite(inputs[i])) {
                throw new IllegalArgumentException("input " + INPUT_NAMES.get(i % INPUT_COUNT) + " of row "
                        + i / INPUT_COUNT + " is " + inputs[i]);
            }
        }
        int rows = inputs.length / INPUT_COUNT;
        return new Dataset(source, inputs.clone(), labels == null ? null : labels.clone(),
                IntStream.rangeClosed(1, rows).toArray());
    }

    private static int countPositives(int[] labels) {
        int count = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("label of row " + i + " is " + labels[i] + ", not 0 or 1");
            }
            count += labels[i];
        }
        return count;
    }

    /** Where the data came from (usually the file path as given). */
    public String source() {
        return source;
    }

    /** Number of rows. */
    public int rows() {
        return rows;
    }

    /** Number of inputs per row, always {@value #INPUT_COUNT}. */
    public int inputCount() {
        return INPUT_COUNT;
    }

    /** Input names in canonical order; same as {@link #INPUT_NAMES}. */
    public List<String> inputNames() {
        return INPUT_NAMES;
    }

    /** A copy of all inputs, row-major, {@code rows() * inputCount()} values in canonical order. */
    public double[] inputs() {
        return inputs.clone();
    }

    /** The input in canonical column {@code col} of row {@code row} (both 0-based). */
    public double input(int row, int col) {
        Objects.checkIndex(row, rows);
        Objects.checkIndex(col, INPUT_COUNT);
        return inputs[row * INPUT_COUNT + col];
    }

    /** Copies the {@value #INPUT_COUNT} inputs of {@code row} into {@code dest} from {@code offset}. */
    public void copyRow(int row, double[] dest, int offset) {
        Objects.checkIndex(row, rows);
        System.arraycopy(inputs, row * INPUT_COUNT, dest, offset, INPUT_COUNT);
    }

    /** A copy of the {@code Time} column. */
    public double[] times() {
        return column(TIME);
    }

    /** A copy of the {@code Amount} column. */
    public double[] amounts() {
        return column(AMOUNT);
    }

    private double[] column(int col) {
        double[] values = new double[rows];
        for (int row = 0; row < rows; row++) {
            values[row] = inputs[row * INPUT_COUNT + col];
        }
        return values;
    }

    /** Whether the rows carry fraud labels (the file had a {@code Class} column). */
    public boolean hasLabels() {
        return labels != null;
    }

    /** A copy of the labels (1 = fraud, 0 = genuine), or {@code null} if the data is unlabelled. */
    public int[] labels() {
        return labels == null ? null : labels.clone();
    }

    /**
     * The label of {@code row} (1 = fraud, 0 = genuine).
     *
     * @throws IllegalStateException if the data is unlabelled
     */
    public int label(int row) {
        requireLabels();
        Objects.checkIndex(row, rows);
        return labels[row];
    }

    /**
     * Number of fraud rows.
     *
     * @throws IllegalStateException if the data is unlabelled
     */
    public int positives() {
        requireLabels();
        return positives;
    }

    private void requireLabels() {
        if (labels == null) {
            throw new IllegalStateException(source + " has no labels (no Class column)");
        }
    }

    /** A copy of the source row numbers: 1-based positions among the data rows of the original file. */
    public int[] rowNumbers() {
        return rowNumbers.clone();
    }

    /** The source row number of {@code row}: its 1-based position among the data rows of the original file. */
    public int rowNumber(int row) {
        Objects.checkIndex(row, rows);
        return rowNumbers[row];
    }

    /** Whether the rows carry their own identifiers (the file had an {@code id} column). */
    public boolean hasIds() {
        return ids != null;
    }

    /**
     * The identifier of {@code row}: its {@code id} column's value, or, for a file without one, its source row
     * number in decimal (what {@code produce} sends as the event's id and {@code score} writes as its row).
     */
    public String id(int row) {
        Objects.checkIndex(row, rows);
        return ids != null ? ids[row] : Integer.toString(rowNumbers[row]);
    }

    /**
     * A new dataset of the given rows, in the given order, with their values copied. An index may appear
     * more than once (e.g. for resampling).
     *
     * @param rowIndices 0-based row indices into this dataset
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public Dataset subset(int[] rowIndices) {
        int n = rowIndices.length;
        double[] subInputs = new double[Math.multiplyExact(n, INPUT_COUNT)];
        int[] subLabels = labels == null ? null : new int[n];
        int[] subRowNumbers = new int[n];
        String[] subIds = ids == null ? null : new String[n];
        for (int i = 0; i < n; i++) {
            int row = Objects.checkIndex(rowIndices[i], rows);
            System.arraycopy(inputs, row * INPUT_COUNT, subInputs, i * INPUT_COUNT, INPUT_COUNT);
            if (subLabels != null) {
                subLabels[i] = labels[row];
            }
            subRowNumbers[i] = rowNumbers[row];
            if (subIds != null) {
                subIds[i] = ids[row];
            }
        }
        return new Dataset(source, subInputs, subLabels, subRowNumbers, subIds);
    }

    /**
     * The rows of {@code a} then those of {@code b} (same source; both labelled or both not). The result has ids
     * only if both have.
     */
    public static Dataset concat(Dataset a, Dataset b) {
        if ((a.labels == null) != (b.labels == null)) {
            throw new IllegalArgumentException("cannot concatenate labelled and unlabelled rows");
        }
        double[] in = java.util.Arrays.copyOf(a.inputs, a.inputs.length + b.inputs.length);
        System.arraycopy(b.inputs, 0, in, a.inputs.length, b.inputs.length);
        int[] labels = null;
        if (a.labels != null) {
            labels = java.util.Arrays.copyOf(a.labels, a.rows + b.rows);
            System.arraycopy(b.labels, 0, labels, a.rows, b.rows);
        }
        int[] numbers = java.util.Arrays.copyOf(a.rowNumbers, a.rows + b.rows);
        System.arraycopy(b.rowNumbers, 0, numbers, a.rows, b.rows);
        String[] ids = null;
        if (a.ids != null && b.ids != null) {
            ids = java.util.Arrays.copyOf(a.ids, a.rows + b.rows);
            System.arraycopy(b.ids, 0, ids, a.rows, b.rows);
        }
        return new Dataset(a.source, in, labels, numbers, ids);
    }

    @Override
    public String toString() {
        return "Dataset[" + source + ": " + rows + " rows, "
                + (labels == null ? "unlabelled" : positives + " positives") + "]";
    }
}
