package org.fraudscorer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.Preprocessing;
import org.fraudscorer.scorer.cli.CliErrors;
import org.fraudscorer.trainer.data.CreditCardCsv;
import org.fraudscorer.trainer.data.Dataset;
import org.fraudscorer.trainer.train.EpochStats;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import org.fraudscorer.trainer.train.Trainer;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.fraudscorer.trainer.train.TrainingListener;
import org.fraudscorer.trainer.train.TrainingSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Seconds per training epoch of our {@link Trainer}: 29-16-16-1 ReLU, batch 64, Adam lr 1e-3, class-weighted BCE,
 * no clipping, no dropout, no L2, no early stopping. Trains on the first 80% of the CSV's rows (the rows
 * {@code peers_speed.py} trains on); the last 20% are the validation rows the Trainer insists on.
 *
 * <p>Two timings per epoch: {@code train} = from the end of the previous epoch's bookkeeping to the last
 * optimiser step (shuffle + all mini-batches: what PyTorch and scikit-learn time), taken with a
 * {@link TrainingListener}; {@code with_validation} = {@link EpochStats#seconds()}, which also scores the
 * validation rows and computes PR-AUC, ROC-AUC and dead-ReLU share.
 *
 * <pre>
 *   java -cp bench/target/benchmarks.jar org.fraudscorer.bench.TrainSpeed --generate 200000 --csv /tmp/x.csv
 *   java -cp bench/target/benchmarks.jar org.fraudscorer.bench.TrainSpeed --csv FILE --epochs 5 --json out.json
 * </pre>
 */
@Command(name = "TrainSpeed", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Seconds per training epoch of our Trainer on a creditcard-format CSV (29-16-16-1, batch 64,"
                + " Adam): trains on its first 80% of rows and prints the timings as JSON."})
public final class TrainSpeed implements Callable<Integer> {
    @Option(names = "--csv", required = true, paramLabel = "FILE",
            description = "The creditcard-format CSV to train on (with --generate: the file to write).")
    Path csv;
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the JSON result to FILE.")
    Path json;
    @Option(names = "--generate", defaultValue = "0", paramLabel = "ROWS",
            description = "Write ROWS made-up rows (0.5% positives) to --csv instead of training.")
    int generate;
    @Option(names = "--epochs", defaultValue = "5", paramLabel = "N", description = "Epochs to time (default 5).")
    int epochs;
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with the product's error handling: a bad option is one line and exit 2, a failure exit 1. */
    static CommandLine commandLine() {
        return CliErrors.install(new CommandLine(new TrainSpeed()));
    }

    @Override
    public Integer call() throws IOException {
        if (generate < 0) {
            throw new ParameterException(spec.commandLine(), "--generate must be at least 0 rows, got " + generate);
        }
        if (epochs < 1) {
            throw new ParameterException(spec.commandLine(), "--epochs must be at least 1, got " + epochs);
        }
        if (generate > 0) {
            BenchData.writeCsv(BenchData.rows(generate, 0.005, 2024L), csv);
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %,d made-up rows (0.5%% positives) to %s%n",
                    generate, csv);
            return 0;
        }
        String out = run(csv, epochs);
        spec.commandLine().getOut().println(out);
        if (json != null) {
            Files.writeString(json, out + "\n");
        }
        return 0;
    }

    static String run(Path csv, int epochs) {
        Dataset all = CreditCardCsv.read(csv);
        int cut = (int) (all.rows() * 0.8);
        Dataset trainRows = all.subset(IntStream.range(0, cut).toArray());
        Dataset valRows = all.subset(IntStream.range(cut, all.rows()).toArray());
        Preprocessing pre = Preprocessing.fit(FeatureSchema.CREDITCARD, trainRows.inputs(), trainRows.rows());
        TrainingSet train = FraudModelTrainer.features(pre, trainRows);
        TrainingSet val = FraudModelTrainer.features(pre, valRows);
        TrainerConfig config = TrainerConfig.defaults().toBuilder().epochs(epochs).clipNorm(0).patience(0).build();

        List<Double> trainSeconds = new ArrayList<>();
        List<Double> totalSeconds = new ArrayList<>();
        long[] mark = {System.nanoTime()};
        TrainingListener timing = new TrainingListener() {
            @Override
            public void onBatch(int epoch, int batch, int batches) {
                if (batch == batches - 1) {
                    trainSeconds.add((System.nanoTime() - mark[0]) / 1e9);
                }
            }

            @Override
            public void onEpoch(EpochStats stats) {
                totalSeconds.add(stats.seconds());
                System.err.printf(Locale.ROOT, "java epoch %d: train %.3f s, with validation %.3f s, loss %.4f, val PR-AUC %.4f%n",
                        stats.epoch(), trainSeconds.get(trainSeconds.size() - 1), stats.seconds(), stats.trainLoss(),
                        stats.prAuc());
                mark[0] = System.nanoTime();
            }
        };
        mark[0] = System.nanoTime();
        new Trainer(config).fit(train, val, timing);
        return String.format(Locale.ROOT,
                "{\"impl\": \"java\", \"csv\": \"%s\", \"train_rows\": %d, \"train_positives\": %d, \"validation_rows\": %d,"
                        + " \"epochs\": %d, \"batch\": 64, \"train_s_per_epoch\": %s, \"with_validation_s_per_epoch\": %s,"
                        + " \"train_s_median_after_first\": %.4f, \"with_validation_s_median_after_first\": %.4f}",
                csv.getFileName().toString(), train.rows(), train.positives(), val.rows(), epochs,
                list(trainSeconds), list(totalSeconds), medianAfterFirst(trainSeconds), medianAfterFirst(totalSeconds));
    }

    static double medianAfterFirst(List<Double> v) {
        double[] a = v.stream().skip(v.size() > 1 ? 1 : 0).mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static String list(List<Double> v) {
        return Arrays.toString(v.stream().mapToDouble(d -> Math.round(d * 10000) / 10000.0).toArray());
    }
}
