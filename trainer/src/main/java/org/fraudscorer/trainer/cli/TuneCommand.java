package org.fraudscorer.trainer.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.SigningKey;
import org.fraudscorer.common.nn.Activation;
import org.fraudscorer.trainer.data.CreditCardCsv;
import org.fraudscorer.trainer.data.Dataset;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.fraudscorer.trainer.train.TrainingListener;
import org.fraudscorer.trainer.train.Tuner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./fraud tune --data creditcard.csv}: a seeded random search over the training options, each trial judged
 * by k-fold validation on the development rows (the test part is never looked at), with a progress bar and a
 * results table; writes the best configuration ({@code train --config} reads it) and, with {@code --train-out},
 * trains it with the full procedure.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Search the training options by k-fold validation on the development rows (never the test "
                + "part); write the best configuration, optionally train it.")
public final class TuneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--data", required = true, description = "Labelled transactions (creditcard.csv format, .gz ok).")
    Path data;
    @Option(names = "--trials", defaultValue = "24", description = "Configurations to try (the first is the starting configuration). Defaults to ${DEFAULT-VALUE}.")
    int trials;
    @Option(names = "--out", defaultValue = "models/tuned-config.json", description = "Where to write the best configuration. Defaults to ${DEFAULT-VALUE}.")
    Path out;
    @Option(names = "--train-out", description = "Then train the best configuration with the full procedure and write the model here.")
    Path trainOut;
    @Option(names = "--signing-key", paramLabel = "FILE", description = "With --train-out: sign the model file with this "
            + "Ed25519 private key (from './fraud keygen').")
    Path signingKey;
    @Option(names = "--space-hidden", defaultValue = "16,16;32,16;32,32;64,32;64,64;32;64;128,64",
            description = "Hidden sizes to try, ';'-separated. Defaults to ${DEFAULT-VALUE}.")
    String spaceHidden;
    @Option(names = "--space-activation", defaultValue = "relu,leaky_relu,tanh", description = "Defaults to ${DEFAULT-VALUE}.")
    String spaceActivation;
    @Option(names = "--space-learning-rate", defaultValue = "0.0003,0.003", description = "MIN,MAX (drawn log-uniformly). Defaults to ${DEFAULT-VALUE}.")
    String spaceLearningRate;
    @Option(names = "--space-batch-size", defaultValue = "32,64,128,256", description = "Defaults to ${DEFAULT-VALUE}.")
    String spaceBatchSize;
    @Option(names = "--space-dropout", defaultValue = "0,0.1,0.2,0.3", description = "Defaults to ${DEFAULT-VALUE}.")
    String spaceDropout;
    @Option(names = "--space-l2", defaultValue = "0,0.00001,0.0001,0.001", description = "Defaults to ${DEFAULT-VALUE}.")
    String spaceL2;
    @Option(names = "--space-epochs", defaultValue = "30,40,60", description = "Maximum epochs to try. Defaults to ${DEFAULT-VALUE}.")
    String spaceEpochs;
    @Option(names = "--space-class-weight-scale", defaultValue = "0,0.25,0.5,1", description = "Defaults to ${DEFAULT-VALUE}.")
    String spaceClassWeightScale;
    @Option(names = "--space-input-clip", defaultValue = "0,1.5,2,3", description = "Input clips to try (0 = off). Defaults to ${DEFAULT-VALUE}.")
    String spaceInputClip;
    @Mixin
    NetworkOptions network;
    @Mixin
    ProcedureOptions procedure;

    /**
     * The procedure's options given to this search (and {@code --seed}), as they would be given to {@code train}: the
     * suggested command trained with another split and fold count than the search measured when they were left out.
     */
    private String procedureGiven() {
        java.util.Set<String> names = new java.util.HashSet<>(List.of("--seed"));
        spec.mixins().get("procedure").options().forEach(o -> names.add(o.longestName()));
        StringBuilder b = new StringBuilder();
        for (picocli.CommandLine.Model.OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (names.contains(o.longestName())) {
                b.append(' ').append(o.longestName());
                if (o.arity().max() > 0) {
                    b.append(' ').append(String.join(" ", o.originalStringValues()));
                }
            }
        }
        return b.toString();
    }

    @Override
    public Integer call() throws Exception {
        Outputs.refuseOverwriting(spec, "--out", out, data, network.config, signingKey);
        Outputs.refuseOverwriting(spec, "--train-out", trainOut, data, out, network.config, signingKey);
        Outputs.requireWritable(spec, "--out", out, false);
        Outputs.requireWritable(spec, "--train-out", trainOut, false);
        if (trainOut == null) { // these shape the model that --train-out trains; the search alone has none
            for (String o : new String[] {"--signing-key", "--ensemble", "--no-refit", "--threshold",
                "--negative-weight"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                    throw new ParameterException(spec.commandLine(), o + " applies to the model of --train-out; "
                            + "give --train-out too");
                }
            }
        }
        SigningKey key = signingKey == null ? null : SigningKey.load(signingKey, spec.commandLine().getErr());
        if (trials < 1) {
            throw new ParameterException(spec.commandLine(), "--trials must be at least 1, got " + trials);
        }
        procedure.check();
        DataFamily family = DataFamily.forData(data);
        family.requireTunable(data);
        TrainerConfig base = network.build(family);
        Tuner.Space space = space(base);
        FraudModelTrainer.Options options = procedure.options(base);
        Dataset d = CreditCardCsv.read(data);
        FraudModelTrainer.Development dev = FraudModelTrainer.development(d, options);
        PrintStream err = System.err;
        // --out or --train-out /dev/stdout: the table and the lines go to stderr, the file alone to stdout
        PrintStream say = Outputs.say(out) == System.err ? System.err : Outputs.say(trainOut);
        say.printf(Locale.ROOT, "Tuning on %s: %,d development rows (%d frauds) in %d stratified folds; "
                        + "the %,d test rows are not used. %d trials, seed %d.%n", data, dev.rows().rows(),
                dev.rows().positives(), dev.folds().count(), dev.split().test().rows(), trials, base.seed());
        boolean bar = System.console() != null;
        long searchStart = System.nanoTime();
        int[] shown = {0}; // the bar's last length: a shorter line overwrites all of it
        // A search of the full Kaggle file takes most of an hour, and a stopped one kept nothing (a hunt): the best
        // configuration so far goes to --out after every trial that improves it (whole or not at all), unless --out is
        // this process's standard output, which must hold one configuration.
        boolean keepBest = Outputs.say(out) != System.err;
        if (keepBest) {
            say.printf("The best configuration so far is kept in %s after each trial that improves it.%n", out);
        }
        Tuner.Listener kept = keptBest(keepBest ? out : null, family.family(), (best, done) -> about(best, dev, done,
                base.seed()));
        List<Tuner.Trial> ranked = Tuner.search(dev.foldData(), base, space, trials, base.seed(),
                options.threads(), (t, done, total, best) -> {
                    kept.onTrial(t, done, total, best);
                    String line = progressLine(t, done, total, best, (System.nanoTime() - searchStart) / 1e9);
                    if (bar) {
                        err.print("\r" + line + " ".repeat(Math.max(0, shown[0] - line.length())));
                        shown[0] = line.length();
                        if (done == total) {
                            err.println();
                        }
                    } else {
                        err.println(line);
                    }
                });
        say.println();
        say.println(" rank trial  PR-AUC mean ± sd  epoch  hidden     activation  lr        batch  dropout  l2       "
                + "cw-scale  clip  seconds");
        for (int i = 0; i < ranked.size(); i++) {
            Tuner.Trial t = ranked.get(i);
            TrainerConfig c = t.config();
            say.printf(Locale.ROOT, "%5d %5d  %s  %5d  %-10s %-11s %-9.3g %5d  %7.2f  %-8.0e %8.2f  %4.1f  %7.1f%s%n",
                    i + 1, t.index(), t.error() == null ? String.format(Locale.ROOT, "%.4f ± %.4f   ", t.meanPrAuc(),
                            t.sdPrAuc()) : "diverged         ", t.bestEpoch(), hidden(c.hidden()), c.activation().id(),
                    c.schedule().initial(), c.batchSize(), c.dropout(), c.l2(), c.classWeightScale(), c.inputClip(), t.seconds(),
                    t.index() == 0 ? "  (starting configuration)" : "");
        }
        Tuner.Trial best = ranked.get(0);
        if (best.error() != null) {
            throw new IllegalStateException("every trial diverged; the first: " + best.error());
        }
        Tuner.write(out, best.config(), family.family(), about(best, dev, trials, base.seed()));
        say.printf(Locale.ROOT, "%nBest: trial %d%s, mean fold PR-AUC %.4f ± %.4f. Configuration written to %s%n"
                + "Train it: ./fraud train --data %s --config %s%s%n", best.index(), best.index() == 0
                ? " (the starting configuration: no trial did better)" : "", best.meanPrAuc(), best.sdPrAuc(), out,
                data, out, procedureGiven());
        if (trainOut != null) {
            FraudModelTrainer.Result r = FraudModelTrainer.train(d, options.withConfig(best.config()),
                    TrainingListener.NONE);
            ModelBundle written = ModelFile.write(r.bundle(), trainOut, key);
            say.printf(Locale.ROOT, "Trained: test PR-AUC %.4f, ROC-AUC %.4f (held-out part); model %s "
                            + "written to %s%n", r.test().prAuc(), r.test().rocAuc(), written.modelVersion(), trainOut);
        }
        return 0;
    }

    /**
     * Writes the best configuration so far to {@code out} (null: nowhere) after each trial that improves it, but the
     * last (the search's end writes the file with the whole search's record); {@code about} gives the record for the
     * best trial after that many trials.
     */
    static Tuner.Listener keptBest(Path out, org.fraudscorer.common.features.EventFamily family,
                                   java.util.function.BiFunction<Tuner.Trial, Integer, Map<String, Object>> about) {
        int[] kept = {-1};
        return (t, done, total, best) -> {
            if (out == null || best == null || best.index() == kept[0] || done == total) {
                return;
            }
            try {
                Tuner.write(out, best.config(), family, about.apply(best, done));
                kept[0] = best.index();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
            }
        };
    }

    /**
     * The search's record in the configuration file: the data, the folds, the {@code trialsRun} run so far (all of
     * them once the search ended) and the best one's figures.
     */
    private Map<String, Object> about(Tuner.Trial best, FraudModelTrainer.Development dev, int trialsRun, long seed) {
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("data", data.toString());
        about.put("developmentRows", dev.rows().rows());
        about.put("folds", dev.folds().count());
        about.put("trials", trialsRun);
        about.put("seed", seed);
        about.put("bestTrial", best.index());
        about.put("meanFoldPrAuc", best.meanPrAuc());
        about.put("sdFoldPrAuc", best.sdPrAuc());
        about.put("bestEpoch", best.bestEpoch());
        return about;
    }

    /**
     * The progress line after each trial: the best mean fold PR-AUC so far, what the trial took, the time so far and,
     * before the last, the time left at the mean trial's pace so far (trials differ in epochs and batch size, so it is
     * a rough guide). A trial takes seconds on the sample but about a minute on the full Kaggle file, where the bar
     * alone said nothing of the half hour ahead (found by a hunt).
     */
    static String progressLine(Tuner.Trial trial, int done, int total, Tuner.Trial best, double elapsedSeconds) {
        String line = String.format(Locale.ROOT, "[%-20s] %d/%d trials, best mean fold PR-AUC %.4f; trial %d took %s, "
                + "%s so far", "#".repeat(20 * done / total), done, total, best == null ? Double.NaN : best.meanPrAuc(),
                trial.index(), duration(trial.seconds()), duration(elapsedSeconds));
        return done < total ? line + ", about " + duration(elapsedSeconds / done * (total - done)) + " left" : line;
    }

    /** Seconds (tenths below 10) below two minutes, minutes above. */
    static String duration(double seconds) {
        return seconds < 10 ? String.format(Locale.ROOT, "%.1f s", seconds) : seconds < 120
                ? String.format(Locale.ROOT, "%.0f s", seconds) : String.format(Locale.ROOT, "%.1f min", seconds / 60);
    }

    private static String hidden(int[] h) {
        return String.join(",", Arrays.stream(h).mapToObj(Integer::toString).toList());
    }

    private Tuner.Space space(TrainerConfig base) {
        try {
            List<int[]> hidden = new ArrayList<>();
            for (String s : split(spaceHidden, ";")) {
                hidden.add(ints("--space-hidden", s).stream().mapToInt(Integer::intValue).toArray());
            }
            List<Double> lr = doubles("--space-learning-rate", spaceLearningRate);
            if (lr.size() != 2) {
                throw new IllegalArgumentException("--space-learning-rate takes MIN,MAX, got '" + spaceLearningRate + "'");
            }
            // An option of the network given on the command line fixes its dimension in every trial (it would
            // otherwise hold for trial 0 only, the draws replacing it); given with its --space-* too, it is refused.
            boolean lrFixed = fixed("--learning-rate", "--space-learning-rate");
            boolean cwFixed = fixed("--class-weight-scale", "--space-class-weight-scale")
                    | fixed("--no-class-weights", "--space-class-weight-scale"); // '|': both are checked
            Tuner.Space space = new Tuner.Space(
                    fixed("--hidden", "--space-hidden") ? List.of(base.hidden()) : hidden,
                    fixed("--activation", "--space-activation") ? List.of(base.activation())
                            : split(spaceActivation, ",").stream().map(Activation::parse).toList(),
                    lrFixed ? base.schedule().initial() : lr.get(0), lrFixed ? base.schedule().initial() : lr.get(1),
                    fixed("--batch-size", "--space-batch-size") ? List.of(base.batchSize())
                            : ints("--space-batch-size", spaceBatchSize),
                    fixed("--dropout", "--space-dropout") ? List.of(base.dropout())
                            : doubles("--space-dropout", spaceDropout),
                    fixed("--l2", "--space-l2") ? List.of(base.l2()) : doubles("--space-l2", spaceL2),
                    fixed("--epochs", "--space-epochs") ? List.of(base.epochs()) : ints("--space-epochs", spaceEpochs),
                    cwFixed ? List.of(base.classWeightScale())
                            : doubles("--space-class-weight-scale", spaceClassWeightScale),
                    fixed("--input-clip", "--space-input-clip") ? List.of(base.inputClip())
                            : doubles("--space-input-clip", spaceInputClip));
            space.check(base);
            return space;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Whether {@code option} was given, which fixes its search dimension; refused beside {@code spaceOption}. */
    private boolean fixed(String option, String spaceOption) {
        var parsed = spec.commandLine().getParseResult();
        if (!parsed.hasMatchedOption(option)) {
            return false;
        }
        if (parsed.hasMatchedOption(spaceOption)) {
            throw new IllegalArgumentException(option + " fixes what " + spaceOption + " searches: give one of them");
        }
        return true;
    }

    private static List<String> split(String s, String sep) {
        return Arrays.stream(s.split(sep)).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    /** The ','-separated whole numbers of a --space-* option; one that is not is refused naming the option. */
    private static List<Integer> ints(String option, String s) {
        return values(option, s, Integer::valueOf, "a whole number");
    }

    private static List<Double> doubles(String option, String s) {
        return values(option, s, Double::valueOf, "a number");
    }

    private static <T> List<T> values(String option, String s, java.util.function.Function<String, T> parse,
            String what) {
        List<T> values = new ArrayList<>();
        for (String v : split(s, ",")) {
            try {
                values.add(parse.apply(v));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": '" + v + "' is not " + what);
            }
        }
        return values;
    }
}
