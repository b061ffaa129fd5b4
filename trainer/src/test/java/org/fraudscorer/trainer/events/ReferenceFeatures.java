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
}
