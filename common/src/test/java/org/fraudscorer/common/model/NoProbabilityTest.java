package org.fraudscorer.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model whose network overflows gives no probability, never a decision: its NaN failed {@code p >= threshold}, so
 * the scorer routed every event clean, silently (a model file with weights of 1e308 passes the file's checks).
 */
class NoProbabilityTest {
    @TempDir
    Path dir;

    @Test
    void aModelThatOverflowsGivesNoProbabilityInsteadOfACleanDecision() throws Exception {
        Path file = dir.resolve("overflowing.json");
        ModelFile.write(ModelFixtures.overflowing(), file);
        ModelBundle loaded = ModelFile.load(file).bundle(); // finite weights: the file's checks let it through
        ModelScorer scorer = loaded.newScorer();
        for (double[] event : ModelFixtures.transactions(20, 3)) {
            assertThatThrownBy(() -> scorer.probability(event)).isInstanceOf(ModelScorer.NoProbabilityException.class)
                    .hasMessage("model " + loaded.modelVersion() + " gave no probability for this event (its network "
                            + "overflowed to NaN): no decision");
        }
        // a model that does not overflow scores the same events as before
        ModelScorer fine = ModelFixtures.bundle(1, org.fraudscorer.common.nn.Activation.LEAKY_RELU).newScorer();
        for (double[] event : ModelFixtures.transactions(20, 3)) {
            assertThat(fine.probability(event)).isBetween(0.0, 1.0);
        }
    }
}
