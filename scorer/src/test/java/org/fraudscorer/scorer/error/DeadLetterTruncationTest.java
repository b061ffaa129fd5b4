package org.fraudscorer.scorer.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.fraudscorer.scorer.serde.RejectReason;
import org.junit.jupiter.api.Test;

/** A raw input over {@link DeadLetter#MAX_RAW_BYTES} is cut; valid text stays text, whatever byte the cut falls on. */
class DeadLetterTruncationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX = DeadLetter.MAX_RAW_BYTES;

    private static JsonNode deadLetter(byte[] raw) throws Exception {
        DeadLetter d = new DeadLetter(RejectReason.OVERSIZE, "too large", new DeadLetter.Origin("t", 0, 7, 1L), raw,
                "v1", 0L);
        return JSON.readTree(d.toJson());
    }

    /** {@code before} ASCII bytes, then characters of {@code width} bytes each up to past the limit. */
    private static byte[] text(int before, String character) {
        StringBuilder s = new StringBuilder("x".repeat(before));
        while (s.toString().getBytes(StandardCharsets.UTF_8).length <= MAX + 8) {
            s.append(character);
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void validTextCutInsideACharacterIsCutBeforeItAndStaysText() throws Exception {
        // 2-, 3- and 4-byte characters placed so that the limit falls on each of their continuation bytes
        for (String character : new String[] {"é", "€", "😀"}) {
            int width = character.getBytes(StandardCharsets.UTF_8).length;
            for (int offset = 0; offset < width; offset++) {
                byte[] raw = text(MAX - width + 1 + offset, character);
                JsonNode d = deadLetter(raw);
                String kept = d.get("raw").asText();
                assertThat(d.get("rawEncoding").asText()).as("%s, offset %d", character, offset).isEqualTo("utf-8");
                assertThat(d.get("rawTruncated").asBoolean()).isTrue();
                assertThat(d.get("rawBytes").asInt()).isEqualTo(raw.length);
                byte[] keptBytes = kept.getBytes(StandardCharsets.UTF_8);
                assertThat(keptBytes.length).isBetween(MAX - 3, MAX);
                assertThat(Arrays.copyOf(raw, keptBytes.length)).as("a prefix of the input").isEqualTo(keptBytes);
                assertThat(new String(raw, StandardCharsets.UTF_8)).startsWith(kept);
            }
        }
    }

    @Test
    void anAsciiInputIsCutAtTheLimitAndBytesThatAreNotUtf8StayBase64() throws Exception {
        byte[] ascii = "y".repeat(MAX + 100).getBytes(StandardCharsets.US_ASCII);
        assertThat(deadLetter(ascii).get("raw").asText()).hasSize(MAX);
        byte[] binary = new byte[MAX + 100];
        Arrays.fill(binary, (byte) 0x80); // continuation bytes only: never UTF-8
        JsonNode d = deadLetter(binary);
        assertThat(d.get("rawEncoding").asText()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(d.get("raw").asText())).hasSize(MAX - 3)
                .isEqualTo(Arrays.copyOf(binary, MAX - 3));
    }
}
