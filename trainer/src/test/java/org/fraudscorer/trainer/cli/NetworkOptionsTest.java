package org.fraudscorer.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
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

    private static TrainerConfig build(TrainerConfig family, String... args) throws Exception {
        Host h = new Host();
        new CommandLine(h).parseArgs(args);
        return h.network.build(family);
    }

    @Test
    void leftOutOptionsTakeTheFamilysDefaults() throws Exception {
        assertThat(Tuner.toMap(build(TrainerConfig.creditcardDefaults())))
                .isEqualTo(Tuner.toMap(TrainerConfig.creditcardDefaults()));
        assertThat(Tuner.toMap(build(TrainerConfig.rawEventDefaults())))
                .isEqualTo(Tuner.toMap(TrainerConfig.rawEventDefaults()));
        assertThat(build(TrainerConfig.creditcardDefaults(), "--seed", "9").seed()).isEqualTo(9L);
    }

    @Test
    void aConfigFileOverridesTheDefaultsAndOptionsGivenOverrideTheFile() throws Exception {
        TrainerConfig tuned = TrainerConfig.builder().hidden(8, 4).activation("tanh").learningRate(0.002).batchSize(128)
                .dropout(0.3).l2(1e-4).epochs(12).classWeightScale(0.5).inputClip(3).build();
        Path file = dir.resolve("tuned.json");
        Tuner.write(file, tuned, Map.of());

        TrainerConfig fromFile = build(TrainerConfig.creditcardDefaults(), "--config", file.toString());
        assertThat(Tuner.toMap(fromFile)).isEqualTo(Tuner.toMap(tuned));

        TrainerConfig given = build(TrainerConfig.creditcardDefaults(), "--config", file.toString(), "--dropout", "0.1",
                "--hidden", "16", "--no-class-weights", "--learning-rate", "0.0005");
        assertThat(given.dropout()).isEqualTo(0.1);
        assertThat(given.hidden()).containsExactly(16);
        assertThat(given.classWeightScale()).isEqualTo(0.0);
        assertThat(given.schedule().initial()).isEqualTo(0.0005);
        assertThat(given.batchSize()).isEqualTo(128); // not given: the file's
        assertThat(given.inputClip()).isEqualTo(3.0);
    }
}
