package org.fraudscorer.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad procedure and search values are command-line errors: exit 2 and one line, before any data is read. */
class ProcedureOptionsCliTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "train {0} {1}")
    @CsvSource(delimiter = '|', value = {
            "--folds|1|--folds must be at least 2, got 1",
            "--ensemble|0|--ensemble must be 1 to 64, got 0",
            "--ensemble|65|--ensemble must be 1 to 64, got 65",
            "--threads|0|--threads must be at least 1, got 0",
            "--split|random|--split must be time or stratified, got 'random'",
            "--threshold|max-f2|threshold policy 'max-f2' not understood",
            "--class-weight-scale|2|class-weight scale must be in [0, 1], got 2.0",
            "--dropout|1|dropout must be in [0, 1), got 1.0"})
    void trainRefusesABadValue(String option, String value, String message) throws IOException {
        Path data = Files.writeString(dir.resolve("never-read.csv"), "not,a,creditcard,file\n");
        Cli r = Cli.run(new TrainCommand(), "--data", data.toString(), "--out", dir.resolve("m.json").toString(),
                option, value);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.error()).contains(message).doesNotContain("\n");
        assertThat(dir.resolve("m.json")).doesNotExist();
    }

    @ParameterizedTest(name = "tune {0} ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "--space-activation|''|the search space has no activations",
            "--space-hidden|' ; '|the search space has no hidden sizes",
            "--space-dropout|''|the search space has no dropouts",
            "--space-dropout|0.1,1.5|dropout must be in [0, 1), got 1.5",
            "--space-activation|relu,swish|swish",
            "--space-learning-rate|0.01|--space-learning-rate takes MIN,MAX",
            "--space-learning-rate|0.01,0.001|the learning-rate range must be 0 < min <= max",
            "--space-batch-size|64,x|not a number",
            "--trials|0|--trials must be at least 1, got 0",
            "--folds|1|--folds must be at least 2, got 1"})
    void tuneRefusesAnEmptyOrBadSearchSpace(String option, String value, String message) throws IOException {
        Path data = Files.writeString(dir.resolve("never-read.csv"), "not,a,creditcard,file\n");
        Cli r = Cli.run(new TuneCommand(), "--data", data.toString(), "--out", dir.resolve("c.json").toString(),
                option, value);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.error()).contains(message).doesNotContain("\n");
        assertThat(dir.resolve("c.json")).doesNotExist();
    }
}
