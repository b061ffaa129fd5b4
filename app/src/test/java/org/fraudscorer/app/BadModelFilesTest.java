package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.fraudscorer.common.model.BadModelFiles;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.common.model.ModelScorer;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad model file of {@link BadModelFiles} is refused on each of the three ways a model comes in:
 * {@code fraud inspect} and the scorer's start-up (one line, exit code 1, the reason named, Kafka never reached), and
 * the live swap of a model published mid-stream (refused with the reason, the serving model and its scores
 * unchanged).
 */
class BadModelFilesTest {
    @TempDir
    Path dir;

    static Stream<Arguments> corpus() {
        return BadModelFiles.corpus().stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "inspect refuses: {0}")
    @MethodSource("corpus")
    void inspectRefusesIt(BadModelFiles.Case bad) throws IOException {
        CliRun r = CliRun.of("inspect", "--model", write(bad).toString());
        assertOneLineRefusal(r, bad);
    }

    @ParameterizedTest(name = "the scorer refuses at start-up: {0}")
    @MethodSource("corpus")
    void theScorerRefusesItAtStartUp(BadModelFiles.Case bad) throws IOException {
        // A closed port for Kafka: the model is checked first, so reaching Kafka would be a bug.
        CliRun r = CliRun.of("scorer", "--model", write(bad).toString(), "--bootstrap-servers", "127.0.0.1:1",
                "--metrics-port", "-1");
        assertOneLineRefusal(r, bad);
    }

    @ParameterizedTest(name = "the live swap refuses: {0}")
    @MethodSource("corpus")
    void theLiveSwapRefusesItAndKeepsServing(BadModelFiles.Case bad) {
        ModelBundle serving = ModelFile.fromBytes(BadModelFiles.good(), "good");
        ModelRegistry registry = new ModelRegistry(serving);
        double[] row = ModelFixtures.transactions(1, 5)[0];
        double before = registry.current().newScorer().probability(row);

        boolean swapped = registry.offer(bad.content().get(), "models topic: " + bad.name());

        assertThat(swapped).as("swapped to %s", bad.name()).isFalse();
        assertThat(registry.refusals()).singleElement().asString().contains(bad.refusal());
        assertThat(registry.current()).isSameAs(serving);
        ModelScorer after = registry.current().newScorer();
        assertThat(after.probability(row)).isEqualTo(before);
        // and a good file is still taken after the refusal
        assertThat(registry.offer(ModelFile.toBytes(ModelFixtures.bundle(BadModelFiles.GOOD_SEED + 1)), "next")).isTrue();
    }

    private Path write(BadModelFiles.Case bad) throws IOException {
        Path f = dir.resolve(bad.name().replace(' ', '-') + ".json");
        Files.write(f, bad.content().get());
        return f;
    }

    private static void assertOneLineRefusal(CliRun r, BadModelFiles.Case bad) {
        assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isEqualTo(1);
        assertThat(r.errorLines()).as("error output").startsWith("error: model ").contains(bad.refusal())
                .doesNotContain("\n", "\tat ", "Exception");
        assertThat(r.out()).as("standard output").isEmpty();
    }
}
