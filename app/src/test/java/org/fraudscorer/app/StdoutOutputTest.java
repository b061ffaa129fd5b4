package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --out /dev/stdout} with standard output redirected to a file, in a child JVM (the test's own standard output
 * cannot be redirected): the command's own lines go to standard error, so the file holds the output alone. The summary
 * line ended a simulated CSV piped on, and the report lines broke xor's PNG (found by a helper session).
 */
class StdoutOutputTest {
    @TempDir
    Path dir;

    private Path run(String name, String... args) throws Exception {
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process p = new ProcessBuilder(FraudJvm.command(List.of(), args)).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        return out;
    }

    @Test
    void aCommandWritingToItsOwnStandardOutputSaysItsLinesOnStandardError() throws Exception {
        Path png = run("xor", "xor", "--out", "/dev/stdout");
        assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
        assertThat(Files.readString(dir.resolve("xor.err"))).contains("Decision boundaries written to /dev/stdout");

        Path csv = run("simulate", "simulate", "--days", "3", "--customers", "50", "--terminals", "50", "--out",
                "/dev/stdout");
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).startsWith("TRANSACTION_ID,TX_DATETIME,");
        assertThat(lines).hasSizeGreaterThan(1).allSatisfy(l -> assertThat(l).doesNotContain("written to"));
        assertThat(Files.readString(dir.resolve("simulate.err"))).contains("written to /dev/stdout");
    }

    /** tune printed its heading, table and "Best:" line into the configuration it wrote to --out /dev/stdout. */
    @Test
    void tuneWritingItsConfigurationToStandardOutputPrintsItsTableOnStandardError() throws Exception {
        Path data = MadeUpTransactions.write(dir.resolve("made-up.csv"), 1_000, 0.05, 1);
        Path json = run("tune", "tune", "--data", data.toString(), "--trials", "2", "--folds", "2", "--space-epochs",
                "2", "--out", "/dev/stdout");
        com.fasterxml.jackson.databind.JsonNode written = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json.toFile());
        assertThat(written.get("config").get("hidden").isArray()).isTrue();
        assertThat(Files.readString(dir.resolve("tune.err"))).contains("Tuning on", " rank trial ", "Best: trial ");
        // activations by their ids, as --activation takes them (the table showed the constant's name once)
        assertThat(written.get("config").get("activation").asText()).isIn("relu", "leaky_relu", "tanh");
        assertThat(Files.readString(dir.resolve("tune.err"))).containsPattern(" leaky_relu +.*\\(starting "
                + "configuration\\)").doesNotContain("LEAKY_RELU");
    }
}
