package org.fraudscorer.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.fraudscorer.trainer.train.LearningRateSchedule;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.fraudscorer.trainer.train.Tuner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Precedence of the training options: the family's defaults, then a {@code --config} file, then options given. */
class NetworkOptionsTest {
    @TempDir
    Path dir;

    @CommandLine.Command(name = "t")
    static final class Host {
        @CommandLine.Mixin
        NetworkOptions network;
    }

    private static TrainerConfig build(DataFamily family, String... args) throws Exception {
        Host h = new Host();
        new CommandLine(h).parseArgs(args);
        return h.network.build(family);
    }

    @Test
    void leftOutOptionsTakeTheFamilysDefaults() throws Exception {
        assertThat(Tuner.toMap(build(CreditCardCommands.INSTANCE)))
                .isEqualTo(Tuner.toMap(TrainerConfig.creditcardDefaults()));
        assertThat(Tuner.toMap(build(RawEventCommands.INSTANCE)))
                .isEqualTo(Tuner.toMap(TrainerConfig.rawEventDefaults()));
        assertThat(build(CreditCardCommands.INSTANCE, "--seed", "9").seed()).isEqualTo(9L);
    }

    @Test
    void aConfigFileOverridesTheDefaultsAndOptionsGivenOverrideTheFile() throws Exception {
        TrainerConfig tuned = TrainerConfig.builder().hidden(8, 4).activation(org.fraudscorer.common.nn.Activation.TANH)
                .learningRate(0.002).batchSize(128).dropout(0.3).l2(1e-4).epochs(12).classWeightScale(0.5).inputClip(3)
                .build();
        Path file = dir.resolve("tuned.json");
        Tuner.write(file, tuned, org.fraudscorer.common.features.EventFamily.CREDITCARD, Map.of());

        TrainerConfig fromFile = build(CreditCardCommands.INSTANCE, "--config", file.toString());
        assertThat(Tuner.toMap(fromFile)).isEqualTo(Tuner.toMap(tuned));

        TrainerConfig given = build(CreditCardCommands.INSTANCE, "--config", file.toString(), "--dropout", "0.1",
                "--hidden", "16", "--no-class-weights", "--learning-rate", "0.0005");
        assertThat(given.dropout()).isEqualTo(0.1);
        assertThat(given.hidden()).containsExactly(16);
        assertThat(given.classWeightScale()).isEqualTo(0.0);
        assertThat(given.schedule().initial()).isEqualTo(0.0005);
        assertThat(given.batchSize()).isEqualTo(128); // not given: the file's
        assertThat(given.inputClip()).isEqualTo(3.0);
        assertThat(given.inputTransform()).as("the file's, written from the builder's default")
                .isEqualTo(TrainerConfig.STANDARD);
    }

    /** What the search ran its trials with is in the file too, and holds unless given again. */
    @Test
    void theFilesNonSearchedOptionsHoldUnlessGiven() throws Exception {
        TrainerConfig tuned = TrainerConfig.builder().optimizer("sgd").momentum(0.7)
                .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.STEP, 0.01, 0.3, 4)).patience(3)
                .clipNorm(1).stratified(false).resample("undersample").resampleRatio(20).build();
        Path file = dir.resolve("tuned.json");
        Tuner.write(file, tuned, org.fraudscorer.common.features.EventFamily.CREDITCARD, Map.of());

        TrainerConfig fromFile = build(CreditCardCommands.INSTANCE, "--config", file.toString());
        assertThat(Tuner.toMap(fromFile)).isEqualTo(Tuner.toMap(tuned));

        // options that need the file's sgd or step schedule are accepted with it, and override only themselves
        TrainerConfig given = build(CreditCardCommands.INSTANCE, "--config", file.toString(), "--momentum",
                "0.5", "--lr-step", "6", "--patience", "8", "--resample-ratio", "5", "--learning-rate", "0.02");
        assertThat(given.momentum()).isEqualTo(0.5);
        assertThat(given.schedule()).isEqualTo(new LearningRateSchedule(LearningRateSchedule.Kind.STEP, 0.02, 0.3, 6));
        assertThat(given.patience()).isEqualTo(8);
        assertThat(given.resampleRatio()).isEqualTo(5.0);
        assertThat(given.optimizer()).isEqualTo("sgd");
        assertThat(given.clipNorm()).isEqualTo(1.0);
        assertThat(given.stratified()).isFalse();
        assertThat(given.resample()).isEqualTo("undersample");

        assertThat(build(CreditCardCommands.INSTANCE, "--config", file.toString(), "--stratified-batches")
                .stratified()).as("the file's plain batches, turned back").isTrue();
        assertThat(build(CreditCardCommands.INSTANCE, "--no-stratified-batches").stratified()).isFalse();
        assertThat(build(CreditCardCommands.INSTANCE).stratified()).isTrue();
        TrainerConfig adam = build(CreditCardCommands.INSTANCE, "--config", file.toString(), "--optimizer",
                "adam", "--lr-schedule", "constant");
        assertThat(adam.optimizer()).isEqualTo("adam");
        assertThat(adam.schedule()).isEqualTo(LearningRateSchedule.constant(0.01));
        // a decaying schedule given over a constant one takes the options' defaults (decay 0.5, step 10)
        assertThat(build(CreditCardCommands.INSTANCE, "--lr-schedule", "step").schedule())
                .isEqualTo(new LearningRateSchedule(LearningRateSchedule.Kind.STEP, 7.2e-4, 0.5, 10));
    }

    @Test
    void inputsAreStandardisedUnlessQuantileMapsAreAskedFor() throws Exception {
        assertThat(build(CreditCardCommands.INSTANCE).inputTransform()).isEqualTo(TrainerConfig.STANDARD);
        assertThat(build(CreditCardCommands.INSTANCE).inputClip()).isEqualTo(2.0);
        assertThat(build(RawEventCommands.INSTANCE).inputTransform()).isEqualTo(TrainerConfig.STANDARD);
        TrainerConfig q = build(CreditCardCommands.INSTANCE, "--input-transform", "quantile", "--input-clip", "0");
        assertThat(q.quantileInputs()).isTrue();
        assertThat(q.inputClip()).isZero();
        assertThat(build(RawEventCommands.INSTANCE, "--input-transform", "quantile").quantileInputs()).isTrue();
        // the maps bound the inputs: the clip is 0 unless given with them
        assertThat(build(CreditCardCommands.INSTANCE, "--input-transform", "quantile").inputClip()).isZero();
        assertThat(build(CreditCardCommands.INSTANCE, "--input-transform", "quantile", "--input-clip", "1.5")
                .inputClip()).isEqualTo(1.5);
        assertThat(build(CreditCardCommands.INSTANCE, "--input-transform", "standard").inputClip()).isEqualTo(2.0);
        Path file = dir.resolve("quantile.json");
        Tuner.write(file, TrainerConfig.rawEventDefaults().toBuilder().inputTransform(TrainerConfig.QUANTILE).build(),
                org.fraudscorer.common.features.EventFamily.RAW_EVENTS, Map.of());
        assertThat(build(RawEventCommands.INSTANCE, "--config", file.toString()).inputTransform())
                .isEqualTo(TrainerConfig.QUANTILE);
        assertThat(build(RawEventCommands.INSTANCE, "--config", file.toString(), "--input-transform",
                "standard").quantileInputs()).as("given over the file's").isFalse();
    }

    /** A configuration searched on one family's data is refused on the other's, in one line (exit 2). */
    @Test
    void aConfigFileOfTheOtherFamilysDataIsRefused() throws Exception {
        Path file = dir.resolve("tuned.json");
        Tuner.write(file, TrainerConfig.creditcardDefaults(), org.fraudscorer.common.features.EventFamily.CREDITCARD,
                Map.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> build(RawEventCommands.INSTANCE, "--config",
                file.toString())).isInstanceOf(CommandLine.ParameterException.class).hasMessage("configuration " + file
                + " was searched on creditcard-format rows, not on raw payment events (handbook format): its settings "
                + "are not for this data (leave --config out to train with this data's defaults)");
        // a file naming no family (by hand, or older) applies to either
        java.nio.file.Files.writeString(file, "{\"format\":\"fraud-scorer-training-config\","
                + "\"config\":{\"epochs\":9}}");
        assertThat(build(RawEventCommands.INSTANCE, "--config", file.toString()).epochs()).isEqualTo(9);
        assertThat(build(CreditCardCommands.INSTANCE, "--config", file.toString()).epochs()).isEqualTo(9);
    }
}
