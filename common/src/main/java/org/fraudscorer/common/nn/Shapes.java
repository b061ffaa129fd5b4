package org.fraudscorer.common.nn;

/** Boundary shape checks with messages that name the expected and actual shape. */
final class Shapes {

    private Shapes() {
    }

    static void requirePositive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + ": expected > 0 but got " + value);
        }
    }

    /** Requires room for {@code rows x cols} values; buffers may be longer because they are reused. */
    static void requireRows(String what, double[] array, int rows, int cols) {
        int needed = Math.multiplyExact(rows, cols);
        if (array == null) {
            throw new IllegalArgumentException(what + ": expected " + rows + " x " + cols + " = " + needed
                    + " values but got null");
        }
        if (array.length < needed) {
            throw new IllegalArgumentException(what + ": expected " + rows + " x " + cols + " = " + needed
                    + " values but got an array of length " + array.length);
        }
    }

    static void requireBatchOfLastForward(String owner, int lastBatch, int batch) {
        if (lastBatch < 0) {
            throw new IllegalStateException(owner + ": backward called before forward");
        }
        if (batch != lastBatch) {
            throw new IllegalArgumentException(owner + ": backward expected batch " + lastBatch
                    + " (as in the last forward) but got " + batch);
        }
    }

    /** Returns {@code buffer} if it holds {@code n} values, else a new one; buffers only ever grow. */
    static double[] atLeast(double[] buffer, int n) {
        return buffer != null && buffer.length >= n ? buffer : new double[n];
    }
}
