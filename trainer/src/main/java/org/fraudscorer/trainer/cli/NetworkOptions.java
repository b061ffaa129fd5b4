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
 * {@code --config FILE} (written by {@code ./fraud tune}) sets them from a file; an option given on the command line
 * wins over the file.
 */
public final class NetworkOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--config", description = "Training configuration written by './fraud tune' (options given here win).")
    Path config;
    @Option(names = "--seed", defaultValue = "42", description = "Seed of every random choice. Defaults to ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--epochs", defaultValue = "40", description = "Maximum epochs. Defaults to ${DEFAULT-VALUE}.")
    int epochs;
    @Option(names = "--hidden", split = ",", defaultValue = "16,16", description = "Hidden layer sizes. Defaults to ${DEFAULT-VALUE}.")
    int[] hidden;
    @Option(names = "--activation", defaultValue = "relu", description = "relu, leaky_relu, tanh, sigmoid. Defaults to ${DEFAULT-VALUE}.")
    String activation;
    @Option(names = "--dropout", defaultValue = "0", description = "Dropout after each hidden layer. Defaults to ${DEFAULT-VALUE}.")
    double dropout;
    @Option(names = "--optimizer", defaultValue = "adam", description = "adam or sgd. Defaults to ${DEFAULT-VALUE}.")
    String optimizer;
    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum. Defaults to ${DEFAULT-VALUE}.")
    double momentum;
    @Option(names = "--learning-rate", defaultValue = "0.001", description = "Initial learning rate. Defaults to ${DEFAULT-VALUE}.")
    double learningRate;
    @Option(names = "--lr-schedule", defaultValue = "constant", description = "constant, step or exponential. Defaults to ${DEFAULT-VALUE}.")
    String lrSchedule;
    @Option(names = "--lr-decay", defaultValue = "0.5", description = "Decay factor of step/exponential schedules. Defaults to ${DEFAULT-VALUE}.")
    double lrDecay;
    @Option(names = "--lr-step", defaultValue = "10", description = "Epochs per step of the step schedule. Defaults to ${DEFAULT-VALUE}.")
    int lrStep;
    @Option(names = "--batch-size", defaultValue = "64", description = "Mini-batch size. Defaults to ${DEFAULT-VALUE}.")
    int batchSize;
    @Option(names = "--l2", defaultValue = "0", description = "L2 penalty on weights. Defaults to ${DEFAULT-VALUE}.")
    double l2;
    @Option(names = "--no-class-weights", description = "Do not weight classes (the same as --class-weight-scale 0).")
    boolean noClassWeights;
    @Option(names = "--class-weight-scale", defaultValue = "1", description = "Class weights (n/(2·n_class))^s: 1 balanced, 0 none. Defaults to ${DEFAULT-VALUE}.")
    double classWeightScale;
    @Option(names = "--no-stratified-batches", description = "Plain shuffled batches instead of batches that each hold frauds.")
    boolean noStratified;
    @Option(names = "--clip-norm", defaultValue = "5", description = "Global gradient-norm clip (0 = off). Defaults to ${DEFAULT-VALUE}.")
    double clipNorm;
    @Option(names = "--patience", defaultValue = "10", description = "Early-stopping patience in epochs on the folds' mean validation PR-AUC (0 = off). Defaults to ${DEFAULT-VALUE}.")
    int patience;
    @Option(names = "--input-clip", defaultValue = "0", description = "Clip standardised inputs to [-c, c] when training and scoring (0 = off). Defaults to ${DEFAULT-VALUE}.")
    double inputClip;
    @Option(names = "--resample", defaultValue = "none", description = "none, smote or undersample (training rows only). Defaults to ${DEFAULT-VALUE}.")
    String resample;
    @Option(names = "--resample-ratio", defaultValue = "0", description = "smote: positives per negative (default 0.1); undersample: negatives per positive (default 10).")
    double resampleRatio;

    /** The configuration these options (and {@code --config}) describe; a bad value is a command-line error. */
    public TrainerConfig build() throws IOException {
        TrainerConfig c;
        try {
            LearningRateSchedule schedule = new LearningRateSchedule(
                    LearningRateSchedule.Kind.valueOf(scheduleKind(lrSchedule)), learningRate, lrDecay, lrStep);
            org.fraudscorer.common.nn.Activation.parse(activation);
            c = new TrainerConfig(hidden, activation, dropout, optimizer, momentum, schedule, batchSize, epochs, l2,
                    noClassWeights ? 0.0 : classWeightScale, !noStratified, clipNorm, patience, resample,
                    resampleRatio, 0.0, seed, inputClip);
            if (config != null) {
                var parsed = mixee.commandLine().getParseResult();
                c = Tuner.apply(config, c, option -> parsed.hasMatchedOption(option)
                        || option.equals("--class-weight-scale") && parsed.hasMatchedOption("--no-class-weights"));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
        return c;
    }

    private static String scheduleKind(String s) {
        return switch (s) {
            case "constant", "step", "exponential" -> s.toUpperCase(Locale.ROOT);
            default -> throw new IllegalArgumentException("--lr-schedule must be constant, step or exponential, got '" + s + "'");
        };
    }
}
