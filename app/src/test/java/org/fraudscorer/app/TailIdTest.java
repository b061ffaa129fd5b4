package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** How {@code tail} shows a record's id: as written, quoted only where the line's fields would blur. */
class TailIdTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String shown(String id) {
        return TailCommand.shownId(JSON.createObjectNode().put("id", id));
    }

    @Test
    void plainIdsAndIdsBeyondAsciiAreShownAsWritten() {
        assertThat(shown("TX-000123")).isEqualTo("TX-000123");
        assertThat(shown("F-\u00fcn\u00ef-\uD83D\uDE00-4104")).isEqualTo("F-\u00fcn\u00ef-\uD83D\uDE00-4104");
        assertThat(TailCommand.shownId(JSON.createObjectNode())).isEqualTo("?");
    }

    @Test
    void idsWithASpaceACommaOrAQuoteAreQuoted() {
        assertThat(shown("F \"x\", y-4021")).isEqualTo("\"F \\\"x\\\", y-4021\"");
        assertThat(shown("a,b")).isEqualTo("\"a,b\"");
        assertThat(shown("back\\slash \"")).isEqualTo("\"back\\\\slash \\\"\"");
    }
}
