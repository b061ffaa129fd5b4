package org.fraudscorer.scorer.error;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * What the dead-letter topic receives for an input that cannot be scored: the reason (a stable code and a
 * detail), where it came from (topic, partition, offset, record timestamp), when it was rejected, and the raw
 * input — as text when it is valid UTF-8, else as base64 — so nothing is lost and it can be replayed once fixed.
 * Raw inputs over {@link #MAX_RAW_BYTES} are cut there (the original size is recorded).
 */
public final class DeadLetterRecord {
    public static final int MAX_RAW_BYTES = 64 * 1024;
    private static final JsonFactory JSON = new JsonFactory();

    private DeadLetterRecord() {
    }

    public static byte[] toJson(String code, String detail, String topic, int partition, long offset,
                                long recordTimestamp, long rejectedAtMs, byte[] raw, String modelVersion) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (raw == null ? 0 : Math.min(raw.length, MAX_RAW_BYTES) * 2));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("reason", code);
            g.writeStringField("detail", detail);
            g.writeStringField("sourceTopic", topic);
            g.writeNumberField("sourcePartition", partition);
            g.writeNumberField("sourceOffset", offset);
            g.writeNumberField("recordTimestamp", recordTimestamp);
            g.writeStringField("rejectedAt", Instant.ofEpochMilli(rejectedAtMs).toString());
            g.writeStringField("modelVersion", modelVersion);
            if (raw == null) {
                g.writeNullField("raw");
                g.writeStringField("rawEncoding", "null");
                g.writeNumberField("rawBytes", 0);
            } else {
                byte[] kept = raw.length <= MAX_RAW_BYTES ? raw : java.util.Arrays.copyOf(raw, MAX_RAW_BYTES);
                String text = utf8(kept);
                if (text != null) {
                    g.writeStringField("raw", text);
                    g.writeStringField("rawEncoding", "utf-8");
                } else {
                    g.writeStringField("raw", Base64.getEncoder().encodeToString(kept));
                    g.writeStringField("rawEncoding", "base64");
                }
                g.writeNumberField("rawBytes", raw.length);
                g.writeBooleanField("rawTruncated", raw.length > MAX_RAW_BYTES);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
