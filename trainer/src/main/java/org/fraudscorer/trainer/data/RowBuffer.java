package org.fraudscorer.trainer.data;

import java.util.Arrays;

/**
 * Rows collected while reading a file, in flat primitive arrays that grow by half as needed: no object per
 * row (but the id string of a file with an {@code id} column), so hundreds of thousands of rows cost little more than
 * their values.
 */
final class RowBuffer {

    /** Most rows whose inputs fit in one Java array. */
    static final int MAX_ROWS = (Integer.MAX_VALUE - 8) / Dataset.INPUT_COUNT;

    private static final int INITIAL_ROWS = 4096;

    private double[] inputs;
    private int[] labels;
    private int[] rowNumbers;
    private String[] ids;
    private int rows;

    /**
     * @param labelled whether rows come with labels
     * @param withIds  whether rows come with their own identifiers
     */
    RowBuffer(boolean labelled, boolean withIds) {
        inputs = new double[INITIAL_ROWS * Dataset.INPUT_COUNT];
        labels = labelled ? new int[INITIAL_ROWS] : null;
        rowNumbers = new int[INITIAL_ROWS];
        ids = withIds ? new String[INITIAL_ROWS] : null;
    }

    int rows() {
        return rows;
    }

    boolean isFull() {
        return rows == MAX_ROWS;
    }

    /**
     * Appends a row.
     *
     * @param rowInputs {@link Dataset#INPUT_COUNT} inputs in canonical order; copied
     * @param label     0 or 1; ignored when the buffer is unlabelled
     * @param rowNumber the row's 1-based position among the file's data rows
     * @param id        the row's identifier; ignored when the buffer holds none
     * @throws IllegalStateException if the buffer already holds {@link #MAX_ROWS} rows
     */
    void add(double[] rowInputs, int label, int rowNumber, String id) {
        if (rows == rowNumbers.length) {
            grow();
        }
        System.arraycopy(rowInputs, 0, inputs, rows * Dataset.INPUT_COUNT, Dataset.INPUT_COUNT);
        if (labels != null) {
            labels[rows] = label;
        }
        rowNumbers[rows] = rowNumber;
        if (ids != null) {
            ids[rows] = id;
        }
        rows++;
    }

    private void grow() {
        if (isFull()) {
            throw new IllegalStateException("cannot hold more than " + MAX_ROWS + " rows");
        }
        int capacity = (int) Math.min(MAX_ROWS, rowNumbers.length + (rowNumbers.length >> 1) + 1L);
        inputs = Arrays.copyOf(inputs, capacity * Dataset.INPUT_COUNT);
        if (labels != null) {
            labels = Arrays.copyOf(labels, capacity);
        }
        rowNumbers = Arrays.copyOf(rowNumbers, capacity);
        if (ids != null) {
            ids = Arrays.copyOf(ids, capacity);
        }
    }

    /** The rows as a dataset, trimmed to size. The buffer must not be used afterwards. */
    Dataset toDataset(String source) {
        Dataset dataset = new Dataset(source,
                Arrays.copyOf(inputs, rows * Dataset.INPUT_COUNT),
                labels == null ? null : Arrays.copyOf(labels, rows),
                Arrays.copyOf(rowNumbers, rows),
                ids == null ? null : Arrays.copyOf(ids, rows));
        inputs = null;
        ids = null;
        labels = null;
        rowNumbers = null;
        return dataset;
    }
}
