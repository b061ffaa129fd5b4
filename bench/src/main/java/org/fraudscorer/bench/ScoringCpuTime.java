package org.fraudscorer.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelScorer;
import org.fraudscorer.common.nn.MLP;
import org.fraudscorer.scorer.cli.CliErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A cross-check of {@link ScoringBenchmark} that is robust to a busy machine: the same operations, timed by this
 * thread's CPU time ({@link ThreadMXBean#getCurrentThreadCpuTime()}) rather than wall time, so time spent
 * descheduled while other processes run is not counted (cache and core sharing still are). Reports the best
 * of several rounds after a warm-up. Prints JSON.
 */
@Command(name = "ScoringCpuTime", mixinStandardHelpOptions = true,
        description = "Thread CPU time of single-record scoring and of a 256-row forward pass, 29-16-16-1 and "
                + "29-128-64-1, best of 6 rounds; prints JSON. Takes no options.")
public final class ScoringCpuTime implements Runnable {
    public static void main(String[] args) {
        System.exit(CliErrors.install(new CommandLine(new ScoringCpuTime())).execute(args));
    }

    @Override
    public void run() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        StringBuilder json = new StringBuilder("{\"results\": [");
        String[] nets = {"16x16", "128x64"};
        for (int k = 0; k < nets.length; k++) {
            ModelBundle bundle = BenchData.model(BenchData.parseHidden(nets[k]), 7L);
            ModelScorer scorer = bundle.newScorer();
            MLP net = bundle.network();
            int in = bundle.schema().inputCount();
            BenchData.Rows rows = BenchData.rows(ScoringBenchmark.EVENTS, 0.05, 11L);
            double[][] events = new double[ScoringBenchmark.EVENTS][in];
            for (int r = 0; r < events.length; r++) {
                System.arraycopy(rows.inputs(), r * in, events[r], 0, in);
            }
            double[] batch = bundle.preprocessing().applyBatch(BenchData.rows(ScoringBenchmark.BATCH, 0.05, 13L).inputs(),
                    ScoringBenchmark.BATCH);
            long single = k == 0 ? 1_000_000 : 100_000;
            long batches = k == 0 ? 5_000 : 300;
            double bestSingle = Double.MAX_VALUE;
            double bestBatch = Double.MAX_VALUE;
            long sink = 0;
            for (int round = 0; round < 6; round++) { // the first rounds warm the JIT up
                long t = mx.getCurrentThreadCpuTime();
                for (long i = 0; i < single; i++) {
                    sink += scorer.flagged(scorer.probability(events[(int) (i & (ScoringBenchmark.EVENTS - 1))])) ? 1 : 0;
                }
                bestSingle = Math.min(bestSingle, (mx.getCurrentThreadCpuTime() - t) / (double) single);
                t = mx.getCurrentThreadCpuTime();
                for (long i = 0; i < batches; i++) {
                    sink += (long) net.forward(batch, ScoringBenchmark.BATCH, false)[0];
                }
                bestBatch = Math.min(bestBatch, (mx.getCurrentThreadCpuTime() - t) / (double) batches);
            }
            json.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                    "{\"hidden\": \"%s\", \"single_cpu_ns\": %.1f, \"batch256_cpu_ns\": %.1f, \"sink\": %d}",
                    nets[k], bestSingle, bestBatch, sink % 10));
        }
        System.out.println(json.append("]}"));
    }
}
