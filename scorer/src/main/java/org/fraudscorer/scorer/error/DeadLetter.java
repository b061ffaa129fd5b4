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
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.fraudscorer.scorer.serde.RejectReason;

/**
 * An input that cannot be scored, as the dead-letter topic receives it: the reason (a {@link RejectReason}, written
 * as its stable {@link RejectReason#code()}) and a detail, where the record came from ({@link Origin}), when it was
 * rejected, the serving model's version, and the raw input — as text when it is valid UTF-8, else as base64 — so
 * nothing is lost and it can be replayed once fixed. Raw inputs over {@link #MAX_RAW_BYTES} are cut there, or up to
 * three bytes before so as not to split a UTF-8 character (the original size is recorded). The record's key on the dead-letter topic is chosen by the topology, not written
 * here.
 *
 * <p>Every dead letter of the scorer, whatever the stage or the event family, is made by {@link #of} or
 * {@link #processingError} and written by {@link #toJson}: one envelope, one spelling of the reason.
 *
 * <p>The JSON object has, in this order: {@code reason}, {@code detail}, {@code sourceTopic},
 * {@code sourcePartition}, {@code sourceOffset}, {@code recordTimestamp}, {@code rejectedAt} (ISO-8601 UTC),
 * {@code modelVersion}, {@code raw}, {@code rawEncoding} ({@code utf-8}, {@code base64} or {@code null}),
 * {@code rawBytes} and, when there is a raw value, {@code rawTruncated}.
 *
 * @param reason       why the record was refused
 * @param detail       what exactly was wrong, for a person (not stable)
 * @param origin       where the refused record came from
 * @param raw          the record value as received; null for a record without one
 * @param modelVersion the version of the model serving when the record was refused
 * @param rejectedAtMs when it was refused, epoch milliseconds
 */
public record DeadLetter(RejectReason reason, String detail, Origin origin, byte[] raw, String modelVersion,
                         long rejectedAtMs) {
    public static final int MAX_RAW_BYTES = 64 * 1024;
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Where a refused record came from: the topic, partition and offset the producer wrote it to (−1 when not
     * known) and its Kafka record timestamp.
     */
    public record Origin(String topic, int partition, long offset, long recordTimestamp) {
        public Origin {
            Objects.requireNonNull(topic, "topic");
        }
    }

    public DeadLetter {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(origin, "origin");
    }

    /** A record refused now for {@code reason}. */
    public static DeadLetter of(RejectReason reason, String detail, Origin origin, byte[] raw, String modelVersion) {
        return new DeadLetter(reason, detail, origin, raw, modelVersion, System.currentTimeMillis());
    }

    /**
     * A record whose processing threw: {@link RejectReason#PROCESSING_ERROR}, the exception's class and message as
     * the detail ({@link RejectReason#OUTPUT_TOO_LARGE} for an {@link OutputTooLargeException}).
     */
    public static DeadLetter processingError(RuntimeException e, Origin origin, byte[] raw, String modelVersion) {
        if (e instanceof OutputTooLargeException) {
            return of(RejectReason.OUTPUT_TOO_LARGE, e.getMessage(), origin, raw, modelVersion);
        }
        return of(RejectReason.PROCESSING_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage(), origin, raw,
                modelVersion);
    }

    /** The dead-letter topic's record value: the JSON object described above, UTF-8. */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (raw == null ? 0 : Math.min(raw.length, MAX_RAW_BYTES) * 2));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("reason", reason.code());
            g.writeStringField("detail", detail);
            g.writeStringField("sourceTopic", origin.topic());
            g.writeNumberField("sourcePartition", origin.partition());
            g.writeNumberField("sourceOffset", origin.offset());
            g.writeNumberField("recordTimestamp", origin.recordTimestamp());
            g.writeStringField("rejectedAt", Instant.ofEpochMilli(rejectedAtMs).toString());
            g.writeStringField("modelVersion", modelVersion);
            if (raw == null) {
                g.writeNullField("raw");
                g.writeStringField("rawEncoding", "null");
                g.writeNumberField("rawBytes", 0);
            } else {
                byte[] kept = raw.length <= MAX_RAW_BYTES ? raw : Arrays.copyOf(raw, utf8Cut(raw, MAX_RAW_BYTES));
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

    /**
     * Where to cut {@code raw} to at most {@code max} bytes without splitting a UTF-8 character: {@code max}, or up to
     * three bytes less when {@code raw[max]} continues a character begun before it (a byte 10xxxxxx). Text cut there
     * stays valid UTF-8, so a long valid event is written as text, not as base64; bytes that are not UTF-8 are cut
     * within the same three bytes and written as base64 as before.
     */
    static int utf8Cut(byte[] raw, int max) {
        if (raw.length <= max) {
            return raw.length;
        }
        int cut = max;
        while (cut > max - 3 && (raw[cut] & 0xC0) == 0x80) {
            cut--;
        }
        return cut;
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
