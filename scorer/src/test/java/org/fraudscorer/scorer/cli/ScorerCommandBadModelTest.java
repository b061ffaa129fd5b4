package org.fraudscorer.scorer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A scorer started with a broken model file stops at once, before touching Kafka, with exit code 1 and one clear
 * line on standard error naming the file and what is wrong; no stack trace. Runs the command line that
 * {@link ScorerCommand#main} runs. The bootstrap address points at a closed port: reaching Kafka would be a bug.
 */
class ScorerCommandBadModelTest {
    @TempDir
    static Path dir;
    private static byte[] good;

    private record Run(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void writeAGoodModel() {
        good = ModelFile.toBytes(ModelFixtures.bundle(3));
    }

    @Test
    void refusesATruncatedModel() throws Exception {
        Run r = run("truncated.json", Arrays.copyOf(good, good.length * 2 / 3));
        assertOneLineError(r, "truncated.json", "is not valid JSON (truncated or corrupted?): Unexpected end-of-input");
        assertThat(r.err()).contains("line: ").doesNotContain("REDACTED", "StreamReadFeature");
    }

    @Test
    void refusesABitFlippedModel() throws Exception {
        // One bit of one weight digit flipped (0x30-0x39 xor 1 stays a digit): still JSON, but the checksum fails.
        String text = new String(good, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"weights\"\\s*:\\s*\\[\\s*\\[\\s*-?\\d\\.(\\d)").matcher(text);
        assertThat(m.find()).isTrue();
        byte[] flipped = good.clone();
        flipped[m.start(1)] ^= 0x01;
        Run r = run("bitflip.json", flipped);
        assertOneLineError(r, "bitflip.json", "fails its checksum");
        assertThat(r.err()).contains("modified or corrupted");
    }

    @Test
    void refusesABitFlipThatBreaksTheEncoding() throws Exception {
        byte[] flipped = good.clone();
        int at = new String(good, StandardCharsets.UTF_8).indexOf("\"members\"") + 3;
        flipped[at] ^= (byte) 0x80; // an ASCII letter becomes a stray UTF-8 continuation byte
        Run r = run("bitflip-utf8.json", flipped);
        assertOneLineError(r, "bitflip-utf8.json", "is not valid JSON");
    }

    @Test
    void refusesAnotherFormatVersion() throws Exception {
        String text = new String(good, StandardCharsets.UTF_8);
        byte[] v4 = text.replaceFirst("\"formatVersion\"\\s*:\\s*2", "\"formatVersion\" : 4").getBytes(StandardCharsets.UTF_8);
        assertThat(v4).isNotEqualTo(good);
        Run r = run("v4.json", v4);
        assertOneLineError(r, "v4.json", "has format version 4; this build reads versions 1 to 3");
    }

    @Test
    void refusesANaNWeight() throws Exception {
        // What a non-strict JSON writer (e.g. Python's json.dump) produces for a NaN weight.
        String text = new String(good, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"weights\"\\s*:\\s*\\[\\s*\\[\\s*(-?[0-9.eE+-]+)").matcher(text);
        assertThat(m.find()).isTrue();
        byte[] nan = (text.substring(0, m.start(1)) + "NaN" + text.substring(m.end(1))).getBytes(StandardCharsets.UTF_8);
        Run r = run("nan.json", nan);
        assertOneLineError(r, "nan.json", "holds a non-finite number (NaN) at line");
        assertThat(r.err()).doesNotContain("JsonReadFeature");
    }

    @Test
    void refusesAMissingModelFile() {
        Run r = execute("--model", dir.resolve("nope.json").toString());
        assertOneLineError(r, "nope.json", "does not exist");
    }

    private static void assertOneLineError(Run r, String file, String reason) {
        System.out.print("ScorerCommandBadModelTest: " + r.err());
        assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isEqualTo(1);
        assertThat(r.err().lines().toList()).as("stderr").hasSize(1);
        assertThat(r.err()).startsWith("error: model ").contains(file).contains(reason).doesNotContain("\tat ", "Exception");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void refusesAnUnknownCleanRecordFormatAsAUsageError() throws Exception {
        Path f = dir.resolve("good.json");
        Files.write(f, good);
        Run r = execute("--model", f.toString(), "--clean-records", "small");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("--clean-records").contains("expected one of [full, compact]").contains("'small'");
    }

    @Test
    void refusesAnEmptyMonitoringWindowAsAUsageError() throws Exception {
        Path f = dir.resolve("good.json");
        Files.write(f, good);
        for (String[] bad : new String[][] {
                {"--monitor-window", "0", "monitoring window must hold 1 to 16777216 events"},
                {"--monitor-labels", "-3", "labelled window must hold 1 or more events, got -3"},
                {"--monitor-decisions", "0", "decisions remembered must be 1 to"}}) {
            Run r = execute("--model", f.toString(), bad[0], bad[1]);
            assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).contains(bad[2]);
        }
    }

    private static Run run(String name, byte[] content) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return execute("--model", f.toString());
    }

    private static Run execute(String... modelArgs) {
        CommandLine cl = ScorerCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] args = new String[modelArgs.length + 4];
        System.arraycopy(modelArgs, 0, args, 0, modelArgs.length);
        System.arraycopy(new String[] {"--bootstrap-servers", "127.0.0.1:1", "--metrics-port", "-1"}, 0, args,
                modelArgs.length, 4);
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
