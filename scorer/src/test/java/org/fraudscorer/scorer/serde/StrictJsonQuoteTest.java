package org.fraudscorer.scorer.serde;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Input text quoted in dead-letter details follows {@link org.fraudscorer.common.text.ControlChars}' rule. */
class StrictJsonQuoteTest {

    @Test
    void aDetailQuotesInputTextTheSameWay() {
        // field names and values quoted in dead-letter details: an emoji as written, controls and lone halves escaped
        assertThat(StrictJson.quote("k\uD83D\uDE00\"\\\n\uDE00")).isEqualTo("\"k\uD83D\uDE00\\\"\\\\\\u000A\\uDE00\"");
    }
}
