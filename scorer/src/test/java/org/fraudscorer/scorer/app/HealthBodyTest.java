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
}
