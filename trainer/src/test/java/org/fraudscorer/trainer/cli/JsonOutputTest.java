package org.fraudscorer.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An undefined metric is null in the batch commands' JSON, in a field, a boxed value or an array. */
class JsonOutputTest {
    @Test
    void notFiniteValuesAreNullEverywhere() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("roc_auc", Double.NaN);
        m.put("boxed", Double.valueOf(Double.POSITIVE_INFINITY));
        m.put("folds", new double[] {0.91, Double.NaN, 0.93});
        m.put("fine", 0.5);
        String json = JsonOutput.mapper().writeValueAsString(m);
        assertThat(json).doesNotContain("NaN").doesNotContain("Infinity");
        JsonNode j = new ObjectMapper().readTree(json);
        assertThat(j.get("roc_auc").isNull()).isTrue();
        assertThat(j.get("boxed").isNull()).isTrue();
        assertThat(j.get("folds").get(0).asDouble()).isEqualTo(0.91);
        assertThat(j.get("folds").get(1).isNull()).isTrue();
        assertThat(j.get("folds").get(2).asDouble()).isEqualTo(0.93);
        assertThat(j.get("fine").asDouble()).isEqualTo(0.5);
    }
}
