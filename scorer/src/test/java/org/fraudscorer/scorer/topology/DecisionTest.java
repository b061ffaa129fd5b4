package org.fraudscorer.scorer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.server.ScorerMetrics;
import org.junit.jupiter.api.Test;

/**
 * The decisions and what each one fixes: a decision is routed to an output topic of its own and counted under a
 * scored outcome of the same name, and every scored outcome is a decision's, so a decision added to {@link Decision}
 * cannot be left without its route, its topic or its counter.
 */
class DecisionTest {
    @Test
    void eachDecisionHasItsOwnRouteOutputTopicAndScoredOutcomeOfTheSameName() {
        Topics t = Topics.defaults();
        for (Decision d : Decision.values()) {
            assertThat(d.route.name()).isEqualTo(d.name());
            assertThat(d.outcome.name()).isEqualTo(d.name());
            assertThat(d.outcome.scored()).as(d.name()).isTrue();
            assertThat(FraudTopology.topic(d.route, t)).as(d.name()).isIn(t.outputs());
        }
        assertThat(Arrays.stream(Decision.values()).map(d -> d.outcome))
                .containsExactlyElementsOf(Arrays.stream(ScorerMetrics.Outcome.values())
                        .filter(ScorerMetrics.Outcome::scored).toList());
    }

    @Test
    void theThresholdTestDecidesFlaggedOrCleanAndOnlyFlaggedRecordsAreAlerts() {
        assertThat(Decision.of(true)).isEqualTo(Decision.FLAGGED);
        assertThat(Decision.of(false)).isEqualTo(Decision.CLEAN);
        assertThat(Decision.FLAGGED.alert).isTrue();
        assertThat(Decision.CLEAN.alert).isFalse();
    }
}
