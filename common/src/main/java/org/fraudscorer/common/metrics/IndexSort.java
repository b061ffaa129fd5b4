package org.fraudscorer.common.metrics;

/**
 * Sorts an array of row indices by a primitive key, without boxing. A top-down merge sort
 * (O(n log n) worst case, stable) with insertion sort for short runs. The keys are gathered into a
 * contiguous array that is sorted in tandem with the indices, so comparisons read memory
 * sequentially instead of jumping through {@code keys[indices[i]]}.
 */
final class IndexSort {

    private static final int INSERTION_SORT_MAX = 16;

    private IndexSort() {
    }

    /**
     * Reorders {@code indices} in place so that {@code keys[indices[0]] >= keys[indices[1]] >= ...}.
     * Keys must not be NaN.
     */
    static void byDescendingKey(double[] keys, int[] indices) {
        int n = indices.length;
        double[] sortKeys = new double[n];
        for (int i = 0; i < n; i++) {
            sortKeys[i] = keys[indices[i]];
        }
        sort(sortKeys, indices, new double[n], new int[n], 0, n);
    }

    private static void sort(double[] keys, int[] indices, double[] keyBuffer, int[] indexBuffer,
                             int from, int to) {
        if (to - from <= INSERTION_SORT_MAX) {
            insertionSort(keys, indices, from, to);
            return;
        }
        int mid = (from + to) >>> 1;
        sort(keys, indices, keyBuffer, indexBuffer, from, mid);
        sort(keys, indices, keyBuffer, indexBuffer, mid, to);
        if (keys[mid - 1] >= keys[mid]) {
            return; // the two halves are already in order
        }
        System.arraycopy(keys, from, keyBuffer, from, to - from);
        System.arraycopy(indices, from, indexBuffer, from, to - from);
        int left = from;
        int right = mid;
        for (int k = from; k < to; k++) {
            if (right >= to || (left < mid && keyBuffer[left] >= keyBuffer[right])) {
                keys[k] = keyBuffer[left];
                indices[k] = indexBuffer[left++];
            } else {
                keys[k] = keyBuffer[right];
                indices[k] = indexBuffer[right++];
            }
        }
    }

    private static void insertionSort(double[] keys, int[] indices, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            double key = keys[i];
            int index = indices[i];
            int j = i - 1;
            while (j >= from && keys[j] < key) {
                keys[j + 1] = keys[j];
                indices[j + 1] = indices[j];
                j--;
            }
            keys[j + 1] = key;
            indices[j + 1] = index;
        }
    }
}
