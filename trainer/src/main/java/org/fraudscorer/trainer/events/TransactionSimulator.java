package org.fraudscorer.trainer.events;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.fraudscorer.common.features.events.TxDateTime;
import org.fraudscorer.trainer.data.RawEvents;

/**
 * A seeded, deterministic re-implementation of the handbook's transaction generator (Chapter 3,
 * "Transaction data simulator"), written from its published description:
 * <ul>
 *   <li>customers on a 100×100 grid, mean amount uniform(5, 100), deviation = mean / 2, mean payments a day
 *       uniform(0, 4); terminals on the same grid; a customer pays at terminals within radius 5, chosen uniformly;</li>
 *   <li>per day, a Poisson number of payments, each at a time of day normal(43,200 s, 20,000 s) — times outside
 *       the day are dropped, as the handbook's code does; amount normal(mean, deviation), a negative draw replaced
 *       by uniform(0, 2·mean) as in the handbook's code, rounded to cents;</li>
 *   <li>frauds: (1) every amount above 220; (2) each day 2 random terminals are compromised for 28 days, all their
 *       payments are frauds; (3) each day 3 random customers' credentials leak for 14 days, a third of their
 *       payments in that period get 5× the amount and are frauds. The scenario column keeps the last applied.</li>
 * </ul>
 * Not the handbook's random stream (numpy's), so not its rows: the same distributions, for data-free runs and tests.
 */
public final class TransactionSimulator {
    static final double GRID = 100;
    static final long DAY = 86_400;

    public record Config(int customers, int terminals, int days, LocalDate start, double radius, long seed) {
    }

    /** Events in time order (ids 0, 1, ... in that order), their labels and fraud scenarios (0 = genuine). */
    public record Simulated(RawEvents events, byte[] scenarios, LocalDate start) {
        /** Writes the handbook's CSV format, {@code TX_TIME_*} counted from {@link #start()}. */
        public void writeCsv(Writer out) throws IOException {
            BufferedWriter w = new BufferedWriter(out);
            w.write("TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD,"
                    + "TX_FRAUD_SCENARIO\n");
            long origin = start.toEpochDay() * DAY;
            for (int i = 0; i < events.size(); i++) {
                long s = events.time(i) - origin;
                w.write(String.format(Locale.ROOT, "%d,%s,%d,%d,%.2f,%d,%d,%d,%d%n", events.id(i),
                        TxDateTime.format(events.time(i)), events.customer(i),
                        events.terminal(i), events.amount(i), s, s / DAY, events.label(i), scenarios[i]));
            }
            w.flush();
        }
    }

    private TransactionSimulator() {
    }

    public static Simulated simulate(Config c) {
        SplittableRandom r = new SplittableRandom(c.seed());
        double[] cx = new double[c.customers()];
        double[] cy = new double[c.customers()];
        double[] mean = new double[c.customers()];
        double[] perDay = new double[c.customers()];
        for (int i = 0; i < c.customers(); i++) {
            cx[i] = r.nextDouble(0, GRID);
            cy[i] = r.nextDouble(0, GRID);
            mean[i] = r.nextDouble(5, 100);
            perDay[i] = r.nextDouble(0, 4);
        }
        double[] tx = new double[c.terminals()];
        double[] ty = new double[c.terminals()];
        for (int t = 0; t < c.terminals(); t++) {
            tx[t] = r.nextDouble(0, GRID);
            ty[t] = r.nextDouble(0, GRID);
        }
        List<double[]> rows = new ArrayList<>(); // {time, customer, terminal, amount, fraud, scenario}
        long origin = c.start().toEpochDay() * DAY;
        for (int i = 0; i < c.customers(); i++) {
            int[] near = nearTerminals(cx[i], cy[i], tx, ty, c.radius());
            for (int day = 0; day < c.days(); day++) {
                int n = poisson(r, perDay[i]);
                for (int k = 0; k < n; k++) {
                    long time = Math.round(43_200 + 20_000 * r.nextGaussian());
                    if (time <= 0 || time >= DAY || near.length == 0) {
                        continue; // the handbook drops such draws
                    }
                    double amount = mean[i] + mean[i] / 2 * r.nextGaussian();
                    if (amount < 0) {
                        amount = r.nextDouble(0, 2 * mean[i]);
                    }
                    amount = Math.round(amount * 100) / 100.0;
                    int terminal = near[r.nextInt(near.length)];
                    rows.add(new double[] {origin + day * DAY + time, i, terminal, amount, 0, 0});
                }
            }
        }
        rows.sort(Comparator.comparingDouble(a -> a[0])); // stable: ties keep customer order
        applyScenarios(rows, c, r, origin);
        return toSimulated(rows, c.start());
    }

    private static void applyScenarios(List<double[]> rows, Config c, SplittableRandom r, long origin) {
        for (double[] row : rows) {
            if (row[3] > 220) {
                row[4] = 1;
                row[5] = 1;
            }
        }
        for (int day = 0; day < c.days(); day++) {
            long from = origin + day * DAY;
            int[] terminals = sample(r, c.terminals(), 2);
            int[] customers = sample(r, c.customers(), 3);
            for (double[] row : rows) {
                if (row[0] >= from && row[0] < from + 28 * DAY && contains(terminals, (int) row[2])) {
                    row[4] = 1;
                    row[5] = 2;
                }
            }
            List<double[]> leaked = new ArrayList<>();
            for (double[] row : rows) {
                if (row[0] >= from && row[0] < from + 14 * DAY && contains(customers, (int) row[1])) {
                    leaked.add(row);
                }
            }
            for (int k : sample(r, leaked.size(), leaked.size() / 3)) {
                double[] row = leaked.get(k);
                row[3] = Math.round(row[3] * 5 * 100) / 100.0;
                row[4] = 1;
                row[5] = 3;
            }
        }
    }

    private static Simulated toSimulated(List<double[]> rows, LocalDate start) {
        int n = rows.size();
        long[] ids = new long[n];
        long[] times = new long[n];
        long[] cust = new long[n];
        long[] term = new long[n];
        double[] amt = new double[n];
        byte[] lab = new byte[n];
        byte[] scen = new byte[n];
        for (int i = 0; i < n; i++) {
            double[] row = rows.get(i);
            ids[i] = i;
            times[i] = (long) row[0];
            cust[i] = (long) row[1];
            term[i] = (long) row[2];
            amt[i] = row[3];
            lab[i] = (byte) row[4];
            scen[i] = (byte) row[5];
        }
        return new Simulated(new RawEvents("simulated", ids, times, cust, term, amt, lab), scen, start);
    }

    static int[] nearTerminals(double x, double y, double[] tx, double[] ty, double radius) {
        return java.util.stream.IntStream.range(0, tx.length)
                .filter(t -> Math.hypot(tx[t] - x, ty[t] - y) < radius).toArray();
    }

    /** Knuth's method: fine for the small means (≤ 4) of daily payment counts. */
    static int poisson(SplittableRandom r, double lambda) {
        double limit = Math.exp(-lambda);
        double p = r.nextDouble();
        int k = 0;
        while (p > limit) {
            p *= r.nextDouble();
            k++;
        }
        return k;
    }

    /** {@code k} distinct values of [0, n), sorted (partial Fisher-Yates). */
    static int[] sample(SplittableRandom r, int n, int k) {
        int[] a = java.util.stream.IntStream.range(0, n).toArray();
        k = Math.min(k, n);
        for (int i = 0; i < k; i++) {
            int j = i + r.nextInt(n - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        int[] s = Arrays.copyOf(a, k);
        Arrays.sort(s);
        return s;
    }

    private static boolean contains(int[] sorted, int v) {
        return Arrays.binarySearch(sorted, v) >= 0;
    }
}
