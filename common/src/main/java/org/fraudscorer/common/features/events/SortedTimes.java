package org.fraudscorer.common.features.events;

/** Search over the time-sorted entries that card and terminal histories keep. */
final class SortedTimes {
    private SortedTimes() {
    }

    /** First index in {@code times[0, size)} (sorted ascending) whose time is > {@code t}. */
    static int upperBound(long[] times, int size, long t) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
