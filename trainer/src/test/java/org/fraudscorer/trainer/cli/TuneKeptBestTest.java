package org.fraudscorer.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.fraudscorer.trainer.train.Tuner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stopped search keeps its best configuration so far: {@code tune} writes it to --out after each trial that improves
 * it (a search of the full Kaggle file takes most of an hour, and one stopped after 30 minutes kept nothing).
 */
class TuneKeptBestTest {
    @TempDir
    Path dir;

    private static Tuner.Trial trial(int index, double meanPrAuc) {
        return new Tuner.Trial(index, TrainerConfig.creditcardDefaults(), meanPrAuc, 0.01, 5, 1.0, null);
    }

    private JsonNode read(Path out) throws IOException {
        return new ObjectMapper().readTree(out.toFile());
    }

    @Test
    void theBestSoFarIsWrittenAfterEachTrialThatImprovesItButTheLast() throws IOException {
        Path out = dir.resolve("best.json");
        Tuner.Listener kept = TuneCommand.keptBest(out, EventFamily.CREDITCARD,
                (best, done) -> Map.of("bestTrial", best.index(), "trials", done));
        Tuner.Trial first = trial(0, 0.90);
        kept.onTrial(first, 1, 4, first);
        assertThat(read(out).get("search").get("bestTrial").asInt()).isZero();
        assertThat(read(out).get("search").get("trials").asInt()).isEqualTo(1);
        assertThat(read(out).get("family").asText()).isEqualTo("CREDITCARD");

        Files.delete(out);
        kept.onTrial(trial(1, 0.80), 2, 4, first); // no better: nothing written again
        assertThat(out).doesNotExist();

        Tuner.Trial better = trial(2, 0.95);
        kept.onTrial(better, 3, 4, better);
        assertThat(read(out).get("search").get("bestTrial").asInt()).isEqualTo(2);
        assertThat(read(out).get("search").get("trials").asInt()).isEqualTo(3);

        Files.delete(out);
        Tuner.Trial last = trial(3, 0.99);
        kept.onTrial(last, 4, 4, last); // the search's end writes the file with its whole record
        assertThat(out).doesNotExist();
    }

    @Test
    void nothingIsWrittenWithoutAFileOrBeforeAnyTrialSucceeded() {
        Tuner.Listener nowhere = TuneCommand.keptBest(null, EventFamily.CREDITCARD, (best, done) -> Map.of());
        nowhere.onTrial(trial(0, 0.9), 1, 3, trial(0, 0.9));
        Path out = dir.resolve("none.json");
        Tuner.Listener kept = TuneCommand.keptBest(out, EventFamily.CREDITCARD, (best, done) -> Map.of());
        kept.onTrial(new Tuner.Trial(0, TrainerConfig.creditcardDefaults(), Double.NaN, Double.NaN, 0, 1.0,
                "diverged"), 1, 3, null);
        assertThat(out).doesNotExist();
        assertThat(dir).isEmptyDirectory();
    }
}
