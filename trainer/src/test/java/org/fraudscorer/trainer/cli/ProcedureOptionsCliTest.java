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
            // the option is named, and a decimal where a whole number goes is told (it read 'a search-space value
            // is not a number: For input string: "1.5"', whichever of the nine --space-* options it was)
            "--space-batch-size|64,x|--space-batch-size: 'x' is not a whole number",
            "--space-batch-size|64,1.5|--space-batch-size: '1.5' is not a whole number",
            "--space-hidden|'16;32,abc'|--space-hidden: 'abc' is not a whole number",
            "--space-epochs|30,4O|--space-epochs: '4O' is not a whole number",
            "--space-l2|0,1e-4,x|--space-l2: 'x' is not a number",
            "--space-learning-rate|0.001,O.01|--space-learning-rate: 'O.01' is not a number",
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

    /** A raw-event file with its header only: the family is told from it, and no row is ever read. */
    private Path rawHeaderOnly() throws IOException {
        return Files.writeString(dir.resolve("never-read-events.csv"),
                "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_FRAUD\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "train --train-fraction 0.9 --validation-fraction 0.2|--train-fraction 0.9, --validation-fraction 0.2: each",
            "train --train-fraction 0|--train-fraction 0.0, --validation-fraction 0.15: each",
            "train-raw --delay-days -1|--delay-days must be ≥ 0, got -1",
            "train-raw --train-from 2018-02-30|--train-from must be a date YYYY-MM-DD, got '2018-02-30'",
            // a JDK EpochDay error, exit 1, before (found by a helper session)
            "train-raw --train-from -999999999-01-01|--train-from must be a date from 1970-01-01 to 9999-12-31, got",
            "train-raw --train-from 2018-05-07 --train-to 2018-05-01|--train-to 2018-05-01 is before --train-from",
            "evaluate --threshold 2|--threshold must be in [0, 1], got 2.0",
            "evaluate --negative-weight 0|--negative-weight must be > 0 and at most 1000000, got 0.0",
            "evaluate --negative-weight 1e308|--negative-weight must be > 0 and at most 1000000, got 1.0E308",
            "evaluate --false-alarm-cost 1e300|--false-alarm-cost must be ≥ 0 and at most 1000000000, got 1.0E300",
            "train --negative-weight Infinity|--negative-weight must be > 0 and at most 1000000, got Infinity",
            "handbook --ensemble 0|--ensemble must be 1 to 64, got 0",
            "handbook --folds 1|--folds must be 0 (a stratified 20% of the week) or at least 2, got 1",
            "handbook --delay-days -2|--delay-days must be ≥ 0, got -2",
            "handbook --folds 0 --input-clip 2|--input-clip applies to the procedure",
            "handbook --export-only|--export-only needs --export DIR",
            "handbook --export never-written --export-only --log-amounts|--log-amounts applies to training; --export-only",
            "handbook --single-only --selection-only|--single-only and --selection-only: give one",
            "handbook --export pom.xml|is a file, not a directory",
            "train --momentum 0.5|--momentum applies to --optimizer sgd only",
            "train --lr-decay 0.3|--lr-decay applies to --lr-schedule step or exponential, not 'constant'",
            "train --lr-schedule exponential --lr-step 5|--lr-step applies to --lr-schedule step, not 'exponential'",
            "train --resample-ratio 0.2|--resample-ratio applies to --resample smote or undersample",
            "train --resample smote --resample-ratio -1|--resample-ratio must be > 0, got -1.0",
            "train --resample smote --resample-ratio 0|--resample-ratio must be > 0, got 0.0 (leave it out for the method's",
            "train --resample undersample --resample-ratio Infinity|resample ratio must be finite and > 0",
            "train --batch-size 100000000|batch size must be 1 to 16777216, got 100000000",
            "train --hidden 50000,50000|hidden layers [50000, 50000] make a network of over 2500200001 weights and",
            "train --hidden 1800,1700|more than the 2097152 a model file can hold",
            "train --hidden 1000,1000 --ensemble 5|--ensemble 5 of hidden layers [1000, 1000] make a model of over "
                + "5020005",
            "train-raw --hidden 50000,50000|hidden layers [50000, 50000] make a network of over",
            "train --false-alarm-cost -5|--false-alarm-cost must be ≥ 0 and at most 1000000000, got -5.0",
            "train --optimizer sgd --momentum 1.5|momentum must be in [0, 1), got 1.5",
            "train --l2 Infinity|L2 must be finite and ≥ 0, got Infinity",
            "train --input-transform rank|input transform must be standard or quantile, got 'rank'",
            "tune --ensemble 3|--ensemble applies to the model of --train-out; give --train-out too",
            "tune --no-refit|--no-refit applies to the model of --train-out",
            "tune --threshold max-f1|--threshold applies to the model of --train-out"})
    void aBadValueIsAUsageErrorBeforeAnyDataIsRead(String line, String message) throws IOException {
        String[] words = line.split(" ");
        String[] options = java.util.Arrays.copyOfRange(words, 1, words.length);
        Path creditcard = Files.writeString(dir.resolve("never-read.csv"), "Time,V1,Amount,Class\n");
        Path model = dir.resolve("never-read-model.json");
        Cli r = switch (words[0]) {
            case "train" -> Cli.run(new TrainCommand(), concat(options, "--data", creditcard.toString(), "--out",
                    dir.resolve("m.json").toString()));
            case "train-raw" -> Cli.run(new TrainCommand(), concat(options, "--data", rawHeaderOnly().toString(),
                    "--out", dir.resolve("m.json").toString()));
            case "evaluate" -> Cli.run(new EvaluateCommand(), concat(options, "--data", creditcard.toString(),
                    "--model", model.toString()));
            case "handbook" -> Cli.run(new HandbookCommand(), concat(options, "--data", rawHeaderOnly().toString()));
            case "tune" -> Cli.run(new TuneCommand(), concat(options, "--data", creditcard.toString(), "--out",
                    dir.resolve("m.json").toString()));
            default -> throw new IllegalArgumentException(words[0]);
        };
        assertThat(r.exitCode()).as(r.error()).isEqualTo(2);
        assertThat(r.error()).contains(message).doesNotContain("\n");
        assertThat(dir.resolve("m.json")).doesNotExist();
    }

    /** Every output is checked before training: a mistyped path is not found only after minutes of work. */
    @ParameterizedTest(name = "train {0}")
    @CsvSource(delimiter = '|', value = {
            "--plots|a-file|--plots {dir}/a-file is a file, not a directory",
            "--export-split|a-file/split|--export-split {dir}/a-file/split cannot be created: {dir}/a-file is a file",
            "--out|a-dir|--out {dir}/a-dir is a directory, not a file",
            "--export-split|.|--export-split {dir}/./train.csv is an input of this command"})
    void anOutputThatCannotBeWrittenIsAUsageErrorBeforeTraining(String option, String value, String message)
            throws IOException {
        Files.writeString(dir.resolve("a-file"), "x\n");
        Files.createDirectories(dir.resolve("a-dir"));
        // named train.csv, so that --export-split into its own directory would replace it
        Path data = Files.writeString(dir.resolve("train.csv"), "Time,V1,Amount,Class\n");
        String[] args = {"--data", data.toString(), "--out", dir.resolve("m.json").toString(), option,
                dir.resolve(value).toString()};
        if (option.equals("--out")) {
            args = new String[] {"--data", data.toString(), option, dir.resolve(value).toString()};
        }
        Cli r = Cli.run(new TrainCommand(), args);
        assertThat(r.exitCode()).as(r.error()).isEqualTo(2);
        assertThat(r.error()).contains(message.replace("{dir}", dir.toString())).doesNotContain("\n");
        assertThat(dir.resolve("m.json")).doesNotExist();
        assertThat(data).hasContent("Time,V1,Amount,Class");
    }

    /**
     * The default plots directory (beside the model) is checked before training as a given --plots is (a file of its
     * name failed the command after training, the model written), and --out may not be a file --export-split writes
     * (the model was replaced by the exported rows, and the command said it was written) (found by a helper session).
     */
    @org.junit.jupiter.api.Test
    void theDefaultPlotsAndTheExportedFilesAreCheckedAgainstTheModelBeforeTraining() throws IOException {
        Path data = Files.writeString(dir.resolve("never-read-3.csv"), "Time,V1,Amount,Class\n");
        Files.writeString(dir.resolve("m-plots"), "not a directory\n");
        Cli plots = Cli.run(new TrainCommand(), "--data", data.toString(), "--out", dir.resolve("m.json").toString());
        assertThat(plots.exitCode()).as(plots.error()).isEqualTo(2);
        assertThat(plots.error()).contains("--plots (by default) " + dir.resolve("m-plots") + " is a file, not a "
                + "directory").doesNotContain("\n");
        Path split = dir.resolve("split");
        Cli clash = Cli.run(new TrainCommand(), "--data", data.toString(), "--out", split.resolve("test.csv").toString(),
                "--export-split", split.toString());
        assertThat(clash.exitCode()).as(clash.error()).isEqualTo(2);
        assertThat(clash.error()).contains("--out " + split.resolve("test.csv") + " is also a file --export-split "
                + "writes").doesNotContain("\n");
        assertThat(dir.resolve("m.json")).doesNotExist();
        assertThat(split).doesNotExist();
    }

    /**
     * A directory whose permission bits allow a file but where none can be made (here /proc, where root passes
     * every bit check): train, tune and score find out before their work, not at its end.
     */
    @ParameterizedTest(name = "{0} --out under /proc")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"train", "tune", "score"})
    void anOutputWhereNoFileCanBeMadeIsAUsageErrorBeforeTheWork(String command) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")),
                "needs Linux's /proc, a directory where no file can be made");
        Path data = Files.writeString(dir.resolve("never-read.csv"), "Time,V1,Amount,Class\n");
        String out = "/proc/fraud-output-check.json";
        Cli r = switch (command) {
            case "train" -> Cli.run(new TrainCommand(), "--data", data.toString(), "--out", out);
            case "tune" -> Cli.run(new TuneCommand(), "--data", data.toString(), "--out", out);
            default -> Cli.run(new ScoreCommand(), "--data", data.toString(), "--model",
                    dir.resolve("never-read-model.json").toString(), "--out", out);
        };
        assertThat(r.exitCode()).as(r.error()).isEqualTo(2);
        // as root every permission bit passes and the probe finds out; as another user, the bits already say
        assertThat(r.error()).matches("--out " + out + " cannot be (written: no file can be made in /proc \\(.*\\)"
                + "|created: /proc is not writable)").doesNotContain("\n");
    }

    /**
     * Through a symbolic link, the directory checked is the one the write lands in (the file the link names): a link
     * in a writable directory to a place where no file can be made (/proc) is a usage error before the work (the link's
     * own directory was checked, and the write failed after the work).
     */
    @org.junit.jupiter.api.Test
    void anOutputLinkIsCheckedWhereItLeads() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")),
                "needs Linux's /proc, a directory where no file can be made");
        Path data = Files.writeString(dir.resolve("never-read-2.csv"), "Time,V1,Amount,Class\n");
        Path link = Files.createSymbolicLink(dir.resolve("scores-link.csv"), Path.of("/proc/fraud-output-check.csv"));
        Cli r = Cli.run(new ScoreCommand(), "--data", data.toString(), "--model",
                dir.resolve("never-read-model.json").toString(), "--out", link.toString());
        assertThat(r.exitCode()).as(r.error()).isEqualTo(2);
        assertThat(r.error()).startsWith("--out " + link + " cannot be").contains("/proc").doesNotContain("\n");
    }

    /** score writes in place: a new directory is made for it, and a device such as /dev/null is taken. */
    @org.junit.jupiter.api.Test
    void scoreWritesIntoANewDirectoryAndToADevice() throws IOException {
        Path data = Files.writeString(dir.resolve("rows.csv"), "Time," + String.join(",", java.util.stream.IntStream
                .rangeClosed(1, 28).mapToObj(i -> "V" + i).toList()) + ",Amount\n0" + ",0.5".repeat(28) + ",10.0\n");
        Path model = dir.resolve("model.json");
        org.fraudscorer.common.model.ModelFile.write(org.fraudscorer.common.model.ModelFixtures.bundle(1), model);
        Path nested = dir.resolve("new/dir/scores.csv");
        Cli r = Cli.run(new ScoreCommand(), "--data", data.toString(), "--model", model.toString(), "--out",
                nested.toString());
        assertThat(r.exitCode()).as(r.error()).isZero();
        assertThat(Files.readAllLines(nested)).hasSize(2).first().isEqualTo("row,probability,flagged");
        Cli devNull = Cli.run(new ScoreCommand(), "--data", data.toString(), "--model", model.toString(), "--out",
                "/dev/null");
        assertThat(devNull.exitCode()).as(devNull.error()).isZero();
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
