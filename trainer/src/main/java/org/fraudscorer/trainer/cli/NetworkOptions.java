package org.fraudscorer.trainer.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.fraudscorer.trainer.train.LearningRateSchedule;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.fraudscorer.trainer.train.Tuner;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The network and optimisation options, declared once for every command that trains ({@code train}, {@code tune}).
 * An option left out takes the default of the data's family ({@link TrainerConfig#creditcardDefaults()} or
 * {@link TrainerConfig#rawEventDefaults()}); {@code --config FILE} (written by {@code ./fraud tune}) overrides those
 * defaults, and an option given on the command line wins over both.
 */
public final class NetworkOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--config", description = "Training configuration written by './fraud tune' (options given here win).")
    Path config;

    /** The {@code --config} file, or null: an input that no output of the command may overwrite. */
    public Path configFile() {
        return config;
    }

    @Option(names = "--seed", defaultValue = "42", description = "Seed of every random choice. Defaults to ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--epochs", description = "Maximum epochs (the folds choose the epoch count). Default: 80 (creditcard), 40 (raw events).")
    Integer epochs;
    @Option(names = "--hidden", split = ",", description = "Hidden layer sizes. Default: 32 (creditcard), 64,32 (raw events).")
    int[] hidden;
    @Option(names = "--activation", completionCandidates = Activations.class, description = "${COMPLETION-CANDIDATES} "
            + "(linear: no non-linearity, a linear model however deep). Default: leaky_relu (creditcard), relu (raw "
            + "events).")
    String activation;
    @Option(names = "--dropout", description = "Dropout after each hidden layer. Default: 0.2.")
    Double dropout;
    @Option(names = "--optimizer", defaultValue = "adam", description = "adam or sgd. Defaults to ${DEFAULT-VALUE}.")
    String optimizer;
    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum. Defaults to ${DEFAULT-VALUE}.")
    double momentum;
    @Option(names = "--learning-rate", description = "Initial learning rate. Default: 0.00072 (creditcard), 0.001 (raw events).")
    Double learningRate;
    @Option(names = "--lr-schedule", defaultValue = "constant", description = "constant, step or exponential. Defaults to ${DEFAULT-VALUE}.")
    String lrSchedule;
    @Option(names = "--lr-decay", defaultValue = "0.5", description = "Decay factor of step/exponential schedules. Defaults to ${DEFAULT-VALUE}.")
    double lrDecay;
    @Option(names = "--lr-step", defaultValue = "10", description = "Epochs per step of the step schedule. Defaults to ${DEFAULT-VALUE}.")
    int lrStep;
    @Option(names = "--batch-size", description = "Mini-batch size. Default: 64.")
    Integer batchSize;
    @Option(names = "--l2", description = "L2 penalty on weights. Default: 0.001 (creditcard), 1e-4 (raw events).")
    Double l2;
    @Option(names = "--no-class-weights", description = "Do not weight classes (the same as --class-weight-scale 0).")
    boolean noClassWeights;
    @Option(names = "--class-weight-scale", description = "Class weights (n/(2·n_class))^s: 1 balanced, 0 none. Default: 0.25 (creditcard), 0 (raw events).")
    Double classWeightScale;
    @Option(names = "--no-stratified-batches", negatable = true, description = "Plain shuffled batches instead of "
            + "batches that each hold frauds (--stratified-batches: the default, or over a --config file's choice).")
    boolean noStratified;
    @Option(names = "--clip-norm", defaultValue = "5", description = "Global gradient-norm clip (0 = off). Defaults to ${DEFAULT-VALUE}.")
    double clipNorm;
    @Option(names = "--patience", defaultValue = "10", description = "Early-stopping patience in epochs on the folds' mean validation PR-AUC (0 = off). Defaults to ${DEFAULT-VALUE}.")
    int patience;
    @Option(names = "--input-clip", description = "Clip standardised inputs to [-c, c] when training and scoring (0 = off). Default: 2 (creditcard), 0 (raw events).")
    Double inputClip;
    @Option(names = "--input-transform", paramLabel = "standard|quantile", description = "standard: standardise each "
            + "input; quantile: first map each input by its training rows' quantiles onto the normal scale (kept in the "
            + "model file, applied when scoring; the input clip is then 0 unless given). Defaults to standard.")
    String inputTransform;
    @Option(names = "--resample", defaultValue = "none", description = "none, smote or undersample (training rows only). Defaults to ${DEFAULT-VALUE}.")
    String resample;
    @Option(names = "--epoch-negatives", description = "Train each epoch on every fraud and a fresh random draw of this many genuine rows, weighted to stand for all of them (0 = every row every epoch). Bounds an epoch's cost on a long history. Default: 0 (creditcard), 70000 (raw events).")
    Integer epochNegatives;
    @Option(names = "--resample-ratio", defaultValue = "0", description = "smote: positives per negative (default 0.1); undersample: negatives per positive (default 10).")
    double resampleRatio;

    /**
     * The configuration: the defaults of {@code family}, then the {@code --config} file, then the options given; a
     * bad value is a command-line error.
     */
    TrainerConfig build(DataFamily family) throws IOException {
        return build(family.defaults(), family.family());
    }

    /** As {@link #build(DataFamily)}: {@code familyDefaults} are the defaults of {@code family}'s data. */
    public TrainerConfig build(TrainerConfig familyDefaults, org.fraudscorer.common.features.EventFamily family)
            throws IOException {
        try {
            var parsed = mixee.commandLine().getParseResult();
            TrainerConfig base = familyDefaults.toBuilder().seed(seed).build();
            if (config != null) {
                base = Tuner.apply(config, base, family);
            }
            // an option with a picocli default overrides the file only when given: left out, the file's value holds
            TrainerConfig.Builder b = base.toBuilder();
            String opt = given(parsed, "--optimizer") ? optimizer : base.optimizer();
            if (!opt.equals("adam") && !opt.equals("sgd")) {
                throw new IllegalArgumentException("--optimizer must be adam or sgd, got '" + opt + "'");
            }
            b.optimizer(opt);
            LearningRateSchedule.Kind kind = given(parsed, "--lr-schedule")
                    ? LearningRateSchedule.Kind.valueOf(scheduleKind(lrSchedule)) : base.schedule().kind();
            String kindName = kind.name().toLowerCase(Locale.ROOT);
            // Options that would be accepted and then have no effect are refused, naming what they need.
            if (given(parsed, "--momentum") && !opt.equals("sgd")) {
                throw new IllegalArgumentException("--momentum applies to --optimizer sgd only (Adam keeps its own "
                        + "moment estimates)");
            }
            if (given(parsed, "--lr-decay") && kind == LearningRateSchedule.Kind.CONSTANT) {
                throw new IllegalArgumentException("--lr-decay applies to --lr-schedule step or exponential, not '"
                        + kindName + "'");
            }
            if (given(parsed, "--lr-step") && kind != LearningRateSchedule.Kind.STEP) {
                throw new IllegalArgumentException("--lr-step applies to --lr-schedule step, not '" + kindName + "'");
            }
            String resampling = given(parsed, "--resample") ? resample : base.resample();
            if (given(parsed, "--resample-ratio") && resampling.equals("none")) {
                throw new IllegalArgumentException("--resample-ratio applies to --resample smote or undersample");
            }
            if (given(parsed, "--resample-ratio") && !(resampleRatio > 0)) { // 0 is how the file says "the default"
                throw new IllegalArgumentException("--resample-ratio must be > 0, got " + resampleRatio
                        + " (leave it out for the method's default)");
            }
            b.resample(resampling);
            if (given(parsed, "--momentum")) {
                b.momentum(momentum);
            }
            if (given(parsed, "--clip-norm")) {
                b.clipNorm(clipNorm);
            }
            if (given(parsed, "--patience")) {
                b.patience(patience);
            }
            if (given(parsed, "--resample-ratio")) {
                b.resampleRatio(resampleRatio);
            }
            if (given(parsed, "--no-stratified-batches")) { // either form
                b.stratified(!noStratified);
            }
            if (epochs != null) {
                b.epochs(epochs);
            }
            if (hidden != null) {
                b.hidden(hidden);
            }
            if (activation != null) {
                b.activation(org.fraudscorer.common.nn.Activation.parse(activation));
            }
            if (dropout != null) {
                b.dropout(dropout);
            }
            if (batchSize != null) {
                b.batchSize(batchSize);
            }
            if (l2 != null) {
                b.l2(l2);
            }
            if (classWeightScale != null) {
                b.classWeightScale(classWeightScale);
            }
            if (noClassWeights) {
                b.classWeightScale(0);
            }
            if (inputClip != null) {
                b.inputClip(inputClip);
            }
            if (inputTransform != null) {
                b.inputTransform(inputTransform);
                if (inputClip == null && TrainerConfig.QUANTILE.equals(inputTransform)) {
                    b.inputClip(0); // the maps bound the inputs; a clip given with them still applies
                }
            }
            if (epochNegatives != null) {
                b.epochNegatives(epochNegatives);
            }
            double lr = learningRate != null ? learningRate : base.schedule().initial();
            if (kind == LearningRateSchedule.Kind.CONSTANT) {
                b.schedule(LearningRateSchedule.constant(lr));
            } else {
                // decay and step: given, else the file's decaying schedule's, else these options' defaults
                boolean baseDecays = base.schedule().kind() != LearningRateSchedule.Kind.CONSTANT;
                b.schedule(new LearningRateSchedule(kind, lr,
                        given(parsed, "--lr-decay") || !baseDecays ? lrDecay : base.schedule().gamma(),
                        given(parsed, "--lr-step") || !baseDecays ? lrStep : base.schedule().stepEpochs()));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }

    private static boolean given(picocli.CommandLine.ParseResult parsed, String option) {
        return parsed.hasMatchedOption(option);
    }

    private static String scheduleKind(String s) {
        return switch (s) {
            case "constant", "step", "exponential" -> s.toUpperCase(Locale.ROOT);
            default -> throw new IllegalArgumentException("--lr-schedule must be constant, step or exponential, got '" + s + "'");
        };
    }

    /** The activations' names, for {@code --activation}'s help: every {@link org.fraudscorer.common.nn.Activation}. */
    public static final class Activations implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(org.fraudscorer.common.nn.Activation.values())
                    .map(org.fraudscorer.common.nn.Activation::id).iterator();
        }
    }
}
