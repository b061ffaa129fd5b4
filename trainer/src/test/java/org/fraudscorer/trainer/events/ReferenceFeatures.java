package org.fraudscorer.trainer.events;

import org.fraudscorer.trainer.data.RawEvents;

/**
 * The handbook's feature definitions written the slow, obvious way (a scan of every event per row), to check the
 * engine against. Assumes events in time order (file order breaks ties).
 */
final class ReferenceFeatures {
    private static final long D = 86_400;
    private static final int[] W = {1, 7, 30};

    private ReferenceFeatures() {
    }

    static double[] row(RawEvents e, int i, int delayDays) {
        double[] out = new double[15];
        long t = e.time(i);
        out[0] = e.amount(i);
        java.time.LocalDateTime dt = e.event(i).dateTime();
        out[1] = dt.getDayOfWeek().getValue() >= 6 ? 1 : 0;
        out[2] = dt.getHour() <= 6 ? 1 : 0;
        for (int k = 0; k < 3; k++) {
            int count = 0;
            double sum = 0;
            int tCount = 0;
            int frauds = 0;
            for (int j = 0; j < e.size(); j++) {
                long tj = e.time(j);
                if (e.customer(j) == e.customer(i) && j <= i && tj > t - W[k] * D && tj <= t) {
                    count++;
                    sum += e.amount(j);
                }
                long end = t - delayDays * D;
                if (e.terminal(j) == e.terminal(i) && j < i && tj > end - W[k] * D && tj <= end) {
                    tCount++;
                    frauds += e.label(j);
                }
            }
            out[3 + 2 * k] = count;
            out[4 + 2 * k] = count == 0 ? 0 : sum / count;
            out[9 + 2 * k] = tCount;
            out[10 + 2 * k] = tCount == 0 ? 0 : (double) frauds / tCount;
        }
        return out;
    }

    /**
     * The card's amount profile of {@code handbook-v2}, by its definition: the card's earlier payments (file order,
     * which is time order here) with time in (t − 30 d, t]; amount over their median and over their maximum.
     */
    static double[] profile(RawEvents e, int i) {
        long t = e.time(i);
        java.util.List<Double> prev = new java.util.ArrayList<>();
        for (int j = 0; j < i; j++) {
            if (e.customer(j) == e.customer(i) && e.time(j) > t - 30 * D && e.time(j) <= t) {
                prev.add(e.amount(j));
            }
        }
        if (prev.isEmpty()) {
            return new double[] {1, 1};
        }
        double[] sorted = prev.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        double a = e.amount(i);
        return new double[] {Math.min(50, a / Math.max(1, median)), Math.min(50, a / Math.max(1, sorted[n - 1]))};
    }
}
