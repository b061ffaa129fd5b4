package org.fraudscorer.common.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What an event id may hold: printable text of any script, nothing invisible or reordering. */
class EventIdsTest {

    @Test
    void printableIdsOfAnyScriptPass() {
        assertThat(EventIds.problem("tx-42")).isNull();
        assertThat(EventIds.problem("Zahlung-ü-Ω-مرحبا")).isNull();
        assertThat(EventIds.problem("\uD83D\uDCB3-1")).as("an emoji: a surrogate pair, not a format character")
                .isNull();
    }

    @Test
    void invisibleFormatCharactersAreRefusedNamingThem() {
        // "x" + RIGHT-TO-LEFT OVERRIDE + "evil.exe" showed as "xexe.live" on the analysts' page
        assertThat(EventIds.problem("x\u202Eevil.exe")).isEqualTo("contains the invisible format character U+202E "
                + "(it can make an id look like another)");
        assertThat(EventIds.problem("tx\u200B1")).contains("U+200B");
        assertThat(EventIds.problem("\uFEFFtx")).contains("U+FEFF");
        assertThat(EventIds.problem("tx\u2066a\u2069")).contains("U+2066");
        assertThat(EventIds.problem("tx\uDB40\uDC01")).as("a tag character, beyond the BMP").contains("U+E0001");
    }

    @Test
    void controlCharactersAndUnpairedSurrogatesStayRefused() {
        assertThat(EventIds.problem("tx\u0007")).isEqualTo("contains the control character U+0007");
        assertThat(EventIds.problem("tx\uD800")).isEqualTo("contains the unpaired surrogate U+D800");
        assertThat(EventIds.problem("")).isEqualTo("must not be empty");
    }
}
