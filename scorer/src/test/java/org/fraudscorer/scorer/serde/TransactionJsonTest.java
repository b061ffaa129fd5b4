package org.fraudscorer.scorer.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fraudscorer.scorer.serde.TestEvents.SCHEMA;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TransactionJsonTest {

    @Test
    void writesIdThenInputsInSchemaOrderThenLabel() {
        double[] v = TestEvents.validInputs();
        String json = new String(TransactionJson.write(SCHEMA, "tx-1", v, 1), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"id\":\"tx-1\",\"Time\":51234.0,\"V1\":0.126,").endsWith(",\"Amount\":87.35,\"Class\":1}");
        String bare = new String(TransactionJson.write(SCHEMA, null, v, null), StandardCharsets.UTF_8);
        assertThat(bare).startsWith("{\"Time\":").endsWith("\"Amount\":87.35}").doesNotContain("id", "Class");
    }

    @Test
    void numbersAreWrittenWithDoubleToString() {
        double[] v = TestEvents.validInputs();
        v[1] = 1e-7;
        v[2] = -0.0;
        v[29] = 1e7;
        String json = new String(TransactionJson.write(SCHEMA, null, v, null), StandardCharsets.UTF_8);
        assertThat(json).contains("\"V1\":1.0E-7,", "\"V2\":-0.0,", "\"Amount\":1.0E7}");
    }

    @Test
    void idIsEscaped() {
        String id = "a\"b\\c\u0001é";
        byte[] bytes = TransactionJson.write(SCHEMA, id, TestEvents.validInputs(), null);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("{\"id\":\"a\\\"b\\\\c\\u0001é\",");
    }

    @Test
    void refusesWhatJsonCannotCarry() {
        double[] v = TestEvents.validInputs();
        v[4] = Double.NaN;
        assertThatThrownBy(() -> TransactionJson.write(SCHEMA, null, v, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("V4");
        assertThatThrownBy(() -> TransactionJson.write(SCHEMA, null, new double[3], null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
