package org.fraudscorer.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.common.model.ModelScorer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code score} streams a creditcard-format file: a row is read, scored and written before the next, so a file far
 * larger than the heap is scored; and its {@code --out} is written whole or not at all.
 */
class ScoreStreamingTest {
    private static final String HEADER = "Time," + IntStream.rangeClosed(1, 28).mapToObj(i -> "V" + i)
            .collect(Collectors.joining(",")) + ",Amount";

    @TempDir
    Path dir;
    Path model;

    @BeforeEach
    void model() throws IOException {
        model = dir.resolve("model.json");
        ModelFile.write(ModelFixtures.bundle(1), model);
    }

    /** Row r of a made-up file: values that vary with r, so that a row scored out of place would show. */
    private static String row(int r) {
        return r + IntStream.rangeClosed(1, 28).mapToObj(v -> "," + ((r * 7 + v * 3) % 11 - 5))
                .collect(Collectors.joining()) + "," + (r % 300);
    }

    private static double[] inputs(int r) {
        double[] x = new double[30];
        x[0] = r;
        for (int v = 1; v <= 28; v++) {
            x[v] = (r * 7 + v * 3) % 11 - 5;
        }
        x[29] = r % 300;
        return x;
    }

    @Test
    void aBadLineHalfwayLeavesAnEarlierOutputAsItWasAndNoPartialFile() throws IOException {
        List<String> lines = new java.util.ArrayList<>(List.of(HEADER));
        for (int r = 1; r <= 5_000; r++) {
            lines.add(r == 4_000 ? row(r).replaceFirst(",[^,]*$", ",lots") : row(r)); // Amount not a number
        }
        Path data = Files.write(dir.resolve("rows.csv"), lines);
        Path out = Files.writeString(dir.resolve("scores.csv"), "yesterday's scores\n");

        Cli r = Cli.run(new ScoreCommand(), "--model", model.toString(), "--data", data.toString(), "--out",
                out.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.error()).isEqualTo(data + ":4001: non-numeric value in column Amount ('lots')");
        assertThat(Files.readString(out)).isEqualTo("yesterday's scores\n");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model.json",
                    "rows.csv", "scores.csv");
        }
    }

    /**
     * A model whose network overflows (weights of 1e308 pass its file's checks) gave NaN, written as a probability
     * with {@code flagged} 0: a silent "not fraud" for every row. {@code score} and {@code evaluate} now stop at the
     * first row it cannot score, naming it, and write nothing.
     */
    @Test
    void aModelThatGivesNoProbabilityStopsAtTheRowNamingItAndWritesNothing() throws IOException {
        Path overflowing = dir.resolve("overflowing.json");
        ModelFile.write(ModelFixtures.overflowing(), overflowing);
        String version = ModelFile.load(overflowing).bundle().modelVersion();
        String why = "model " + version + " gave no probability for this event (its network overflowed to NaN): "
                + "no decision";
        Path data = Files.write(dir.resolve("rows.csv"), List.of(HEADER, row(1), row(2)));
        Path out = dir.resolve("scores.csv");

        Cli score = Cli.run(new ScoreCommand(), "--model", overflowing.toString(), "--data", data.toString(),
                "--out", out.toString());
        assertThat(score.exitCode()).isEqualTo(1);
        assertThat(score.error()).isEqualTo(data + " row 1: " + why);
        assertThat(out).doesNotExist();

        Path labelled = Files.write(dir.resolve("labelled.csv"), List.of(HEADER + ",Class", row(1) + ",0",
                row(2) + ",1"));
        Cli evaluate = Cli.run(new EvaluateCommand(), "--model", overflowing.toString(), "--data",
                labelled.toString());
        assertThat(evaluate.exitCode()).isEqualTo(1);
        assertThat(evaluate.error()).isEqualTo(labelled + " row 1: " + why);
    }

    @Test
    void anOutputThroughASymbolicLinkIsWrittenToItsTargetAndTheLinkStays() throws IOException {
        Path data = Files.write(dir.resolve("rows.csv"), List.of(HEADER, row(1), row(2)));
        Path target = Files.writeString(dir.resolve("real-scores.csv"), "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("scores.csv"), target.getFileName());

        Cli r = Cli.run(new ScoreCommand(), "--model", model.toString(), "--data", data.toString(), "--out",
                link.toString());

        assertThat(r.exitCode()).as(r.error()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readAllLines(target)).hasSize(3).first().isEqualTo("row,probability,flagged");
        // a link to a file not there yet, in a directory not there yet: both made, as train's --out does
        Path ahead = Files.createSymbolicLink(dir.resolve("next.csv"), Path.of("releases", "scores.csv"));
        Cli next = Cli.run(new ScoreCommand(), "--model", model.toString(), "--data", data.toString(), "--out",
                ahead.toString());
        assertThat(next.exitCode()).as(next.error()).isZero();
        assertThat(Files.isSymbolicLink(ahead)).isTrue();
        assertThat(Files.readAllLines(dir.resolve("releases/scores.csv"))).hasSize(3);
    }

    /**
     * 300,000 rows in a JVM of 32 MB heap: held whole, their inputs alone would take 72 MB (the command loaded the
     * file before it scored until 2026-12-06 and ran out of memory here). Every line is checked against the model.
     */
    @Test
    void aFileLargerThanTheHeapIsScoredRowByRow() throws Exception {
        int rows = 300_000;
        Path data = dir.resolve("big.csv");
        try (BufferedWriter w = Files.newBufferedWriter(data, StandardCharsets.UTF_8)) {
            w.write(HEADER + "\n");
            for (int r = 1; r <= rows; r++) {
                w.write(row(r));
                w.write('\n');
            }
        }
        Path out = dir.resolve("scores.csv");
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                ScoreMain.class.getName(), "--model", model.toString(), "--data", data.toString(), "--out",
                out.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("score finished").isTrue();
            assertThat(child.exitValue()).as(Files.readString(log)).isZero();
        } finally {
            child.destroyForcibly();
        }
        ModelBundle m = ModelFile.read(model);
        ModelScorer scorer = m.newScorer();
        try (Stream<String> lines = Files.lines(out)) {
            int[] n = {0};
            lines.skip(1).forEach(line -> {
                int r = ++n[0];
                double p = scorer.probability(inputs(r));
                assertThat(line).isEqualTo(r + "," + p + "," + (p >= m.threshold().value() ? 1 : 0));
            });
            assertThat(n[0]).isEqualTo(rows);
        }
    }

    /** The child JVM's entry point: the score command alone. */
    public static final class ScoreMain {
        public static void main(String[] args) {
            System.exit(new picocli.CommandLine(new ScoreCommand()).execute(args));
        }
    }
}
