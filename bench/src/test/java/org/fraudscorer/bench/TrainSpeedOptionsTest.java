package org.fraudscorer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** TrainSpeed's command line, through the same {@link TrainSpeed#commandLine} as its {@code main}. */
class TrainSpeedOptionsTest {
    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
        static Run of(String... args) {
            CommandLine cl = TrainSpeed.commandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            return new Run(cl.execute(args), out.toString(), err.toString());
        }
    }

    @Test
    void badOptionsAreOneLineAndExitTwo() {
        Path csv = dir.resolve("x.csv");
        assertBad(Run.of("--csv", csv.toString(), "--epochs", "0"), "--epochs must be at least 1, got 0");
        assertBad(Run.of("--csv", csv.toString(), "--generate", "-5"), "--generate must be at least 0 rows, got -5");
        assertBad(Run.of("--csv", csv.toString(), "--epochs", "five"), "'five' is not an int");
        assertBad(Run.of("--epochs", "2"), "Missing required option: '--csv=FILE'");
        assertBad(Run.of("--csv", csv.toString(), "--frobnicate"), "Unknown option: '--frobnicate'");
        assertThat(csv).doesNotExist();
    }

    @Test
    void generatesAFileThenTimesEpochsOnIt() throws IOException {
        Path csv = dir.resolve("made-up.csv");
        Run gen = Run.of("--generate", "4000", "--csv", csv.toString());
        assertThat(gen.exitCode()).as(gen.err()).isZero();
        assertThat(Files.readAllLines(csv)).hasSize(4001); // a header and the rows

        Path json = dir.resolve("out.json");
        Run timed = Run.of("--csv", csv.toString(), "--epochs", "2", "--json", json.toString());
        assertThat(timed.exitCode()).as(timed.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(Files.readString(json));
        assertThat(j.get("train_rows").asInt()).isEqualTo(3200);
        assertThat(j.get("validation_rows").asInt()).isEqualTo(800);
        assertThat(j.get("train_s_per_epoch")).hasSize(2);
        assertThat(j.get("epochs").asInt()).isEqualTo(2);
        assertThat(timed.out().trim()).isEqualTo(Files.readString(json).trim());
    }

    private static void assertBad(Run r, String message) {
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(r.err().trim()).doesNotContain("\n");
    }
}
