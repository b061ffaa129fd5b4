package org.fraudscorer.scorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class HealthBodyTest {
    /** A model version is any text a model file holds: quotes and backslashes in it must not break /health's JSON. */
    @Test
    void modelVersionsAreQuotedAsJsonStrings() throws Exception {
        String version = "v\"1\\2\n";
        String body = "{\"modelVersion\":" + ScorerApp.jsonString(version) + ",\"none\":" + ScorerApp.jsonString(null)
                + "}";
        var tree = new ObjectMapper().readTree(body);
        assertThat(tree.get("modelVersion").asText()).isEqualTo(version);
        assertThat(tree.get("none").isNull()).isTrue();
    }

    /** A scorer whose stream threads keep failing and being replaced is not UP, though it still runs. */
    @Test
    void aStreamThreadFailureWithinTheWindowIsDegradedUntilItAges() throws Exception {
        long[] now = {1_000_000L};
        ThreadFailures failures = new ThreadFailures(() -> now[0], 1);
        var model = org.fraudscorer.common.model.ModelFixtures.bundle(1);
        ObjectMapper json = new ObjectMapper();
        var up = ScorerApp.health(org.apache.kafka.streams.KafkaStreams.State.RUNNING, model, null, null,
                failures.recent());
        assertThat(up.healthy()).isTrue();
        assertThat(json.readTree(up.body()).get("status").asText()).isEqualTo("UP");
        assertThat(json.readTree(up.body()).get("lastThreadFailure").isNull()).isTrue();

        failures.handle(new IllegalStateException("terminal 533's history was built for models with a 7-day delay"));
        var degraded = json.readTree(ScorerApp.health(org.apache.kafka.streams.KafkaStreams.State.REBALANCING, model,
                null, null, failures.recent()).body());
        assertThat(degraded.get("status").asText()).isEqualTo("DEGRADED");
        assertThat(degraded.get("threadFailureEpisodes").asInt()).isEqualTo(1);
        assertThat(degraded.get("lastThreadFailure").asText()).contains("7-day delay");

        now[0] += ThreadFailures.WINDOW_MS + 1; // five minutes without another failure
        assertThat(json.readTree(ScorerApp.health(org.apache.kafka.streams.KafkaStreams.State.RUNNING, model, null,
                null, failures.recent()).body()).get("status").asText()).isEqualTo("UP");
        var down = ScorerApp.health(org.apache.kafka.streams.KafkaStreams.State.ERROR, model, null, null,
                failures.recent());
        assertThat(down.healthy()).isFalse();
        assertThat(json.readTree(down.body()).get("status").asText()).isEqualTo("DOWN");
    }

    /** Kafka Streams stays RUNNING through a broker outage: the scorer is then DEGRADED, saying since when. */
    @Test
    void aClusterThatDoesNotAnswerIsDegradedThoughTheStreamRuns() throws Exception {
        var model = org.fraudscorer.common.model.ModelFixtures.bundle(1);
        var none = new ThreadFailures(() -> 0L, 1).recent();
        var silent = ScorerApp.health(org.apache.kafka.streams.KafkaStreams.State.RUNNING, model, null, null, none,
                new ScorerApp.BrokerSilence(java.time.Instant.parse("2026-12-06T07:11:30Z"), "TimeoutException"));
        assertThat(silent.healthy()).as("still running: HTTP 200").isTrue();
        var body = new ObjectMapper().readTree(silent.body());
        assertThat(body.get("status").asText()).isEqualTo("DEGRADED");
        assertThat(body.get("brokerUnreachableSince").asText()).isEqualTo("2026-12-06T07:11:30Z");
        assertThat(body.get("brokerError").asText()).isEqualTo("TimeoutException");
        assertThat(new ObjectMapper().readTree(ScorerApp.health(org.apache.kafka.streams.KafkaStreams.State.RUNNING,
                model, null, null, none, null).body()).get("brokerUnreachableSince").isNull()).isTrue();
    }
}
