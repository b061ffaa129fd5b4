package org.fraudscorer.scorer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The scorer's option values: refused as usage errors before it connects to anything. */
class ScorerCommandOptionsTest {
    @TempDir
    Path dir;

    /** auto: every stream thread gets as many input partitions (the least multiple of the threads that is ≥ 3). */
    @Test
    void autoCreatesAMultipleOfTheStreamThreads() {
        assertThat(ScorerCommand.partitions("auto", 1)).isEqualTo(3);
        assertThat(ScorerCommand.partitions("auto", 2)).isEqualTo(4);
        assertThat(ScorerCommand.partitions("AUTO", 3)).isEqualTo(3);
        assertThat(ScorerCommand.partitions("auto", 4)).isEqualTo(4);
        assertThat(ScorerCommand.partitions("auto", 8)).isEqualTo(8);
        assertThat(ScorerCommand.partitions("6", 4)).isEqualTo(6);
        assertThat(ScorerCommand.partitions("0", 4)).isZero();
        assertThatThrownBy(() -> ScorerCommand.partitions("-1", 2)).hasMessageContaining("got '-1'");
    }

    @Test
    void aBadValueIsOneLineAndExitTwoBeforeAnyConnection() throws Exception {
        Path model = dir.resolve("m.json");
        ModelFile.write(ModelFixtures.bundle(1), model);
        String[][] cases = {
            // a state directory that cannot be made: Kafka Streams said it once a raw-event scorer had reached the
            // cluster ('ProcessorStateException: base state directory [/proc/x] doesn't exist and couldn't be created')
            {"--state-dir", model.toString(), "--state-dir " + model + " is a file, not a directory"},
            {"--state-dir", model.resolve("state").toString(), "--state-dir " + model.resolve("state")
                    + " cannot be created: " + model + " is a file"},
            {"-p", "state.dir=" + model, "state.dir " + model + " (--config or -p) is a file, not a directory"},
            {"--create-topics", "many", "--create-topics must be a partition count ≥ 0 (0 = never create) or auto"},
            {"--max-event-bytes", "10", "max event size must be at least 64 bytes"},
            // its ring of events × (features + 1) bytes overflowed an int: 'error: -129542144' once started
            {"--monitor-window", "2000000000", "the monitoring window must hold 1 to 16777216 events, got 2000000000"},
            {"--monitor-window", "0", "the monitoring window must hold 1 to 16777216 events, got 0"},
            {"--top-features", "-1", "top features must be ≥ 0"},
            {"--duplicate-window-ms", "-5", "the duplicate window must be between 0 (off) and 2592000000 ms (30 days), got -5 ms"},
            {"--duplicate-window-ms", "2592000001", "got 2592000001 ms"},
            {"--duplicate-window-ms", "1000", "--duplicate-window-ms goes with a raw-event model; model fixture-1 "
                    + "reads creditcard-format rows"}, // was ignored
            {"--input-keyed-by-card", "--top-features=3", "--input-keyed-by-card goes with a raw-event model"},
            {"-p", "num.stream.threads=two", "two"}};
        for (String[] c : cases) {
            StringWriter err = new StringWriter();
            CommandLine cl = ScorerCommand.commandLine();
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute("--model", model.toString(), "--bootstrap-servers", "127.0.0.1:1",
                    "--metrics-port", "-1", c[0], c[1]);
            assertThat(code).as(c[0] + " " + c[1] + ": " + err).isEqualTo(2);
            assertThat(err.toString()).startsWith("error: ").containsIgnoringCase(c[2]).hasLineCount(1);
        }
    }

    @Test
    void theStartUpLineNamesTheModelThatServesTheTopicsChampionWhenItReplacedTheFile() {
        var file = ModelFixtures.bundle(1).sealed();
        var champion = ModelFixtures.bundle(2).sealed();
        assertThat(ScorerCommand.servingText(file, file, "fraud-models", "4a188abd0b1893aa"))
                .isEqualTo("model " + file.modelVersion() + " (signed by key 4a188abd0b1893aa, verified)");
        assertThat(ScorerCommand.servingText(champion, file, "fraud-models", null)).isEqualTo("model "
                + champion.modelVersion() + ", the champion of fraud-models, in place of --model " + file.modelVersion()
                + " (models not authenticated: no --trusted-keys)");
    }
}
