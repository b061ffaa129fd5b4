package org.fraudscorer.common.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link ControlChars#escape}: one safe line, with the text a reader would search for kept as written. */
class ControlCharsTest {

    @Test
    void controlCharactersAndLoneSurrogatesAreEscaped() {
        assertThat(ControlChars.escape("a\nb\u001b[31mc\u0085")).isEqualTo("a\\u000Ab\\u001B[31mc\\u0085");
        assertThat(ControlChars.escape("x\uD83Dy")).isEqualTo("x\\uD83Dy"); // a high surrogate alone
        assertThat(ControlChars.escape("x\uDE00")).isEqualTo("x\\uDE00"); // a low one alone, at the end
        assertThat(ControlChars.escape("\uDE00\uD83D")).isEqualTo("\\uDE00\\uD83D"); // in the wrong order
    }

    @Test
    void charactersBeyondTheBasicPlaneAndOtherTextAreKept() {
        String id = "F-\u00fcn\u00ef-\uD83D\uDE00-4104 \u65e5\u672c";
        assertThat(ControlChars.escape(id)).isSameAs(id);
        String mixed = "\uD83D\uDE00\n\uD83D\uDE00";
        assertThat(ControlChars.escape(mixed)).isEqualTo("\uD83D\uDE00\\u000A\uD83D\uDE00");
        // what is left encodes as UTF-8 and decodes back unchanged
        String escaped = ControlChars.escape("a\uD800b\uD83D\uDE00");
        assertThat(new String(escaped.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(escaped);
    }
}
