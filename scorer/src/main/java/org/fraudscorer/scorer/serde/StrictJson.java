package org.fraudscorer.scorer.serde;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.fraudscorer.common.text.ControlChars;

/**
 * The envelope both event parsers ({@link TransactionParser}, {@link RawEventParser}) put around their fields: one
 * JSON object (RFC 8259, UTF-8, no BOM, no NUL bytes) of bounded size, nothing but whitespace after it, and the
 * same {@link RejectReason}s and detail wording for every envelope problem. A parser calls, in this order,
 * {@link #checkSize}, {@link #checkEncoding}, {@link #openObject}, reads its fields, then {@link #checkTrailing};
 * an {@link IOException} while reading becomes {@link #failure}. The remaining helpers word details: they quote
 * offending input escaped and truncated, so no control character reaches a log line or a dead letter.
 *
 * <p>Stateless; every member is thread-safe.
 */
final class StrictJson {
    /** How much of an offending input string a detail quotes. */
    static final int MAX_QUOTED_CHARS = 40;
    /**
     * An event is one flat object (depth 1). Depth 2 lets a parser see, and name, a structured value where a
     * scalar belongs; neither parser descends further, so deeper payloads are refused at their first nested
     * bracket. The limit is a second line of defence should that ever change.
     */
    static final int MAX_NESTING_DEPTH = 2;
    /** Jackson's default, stated explicitly: longer number literals are {@link RejectReason#LIMIT_EXCEEDED}. */
    static final int MAX_NUMBER_LENGTH = 1000;

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /**
     * Shared and thread-safe. Non-standard syntax stays off (comments, single quotes, unquoted names, leading
     * zeros, trailing commas...) except the NaN/Infinity tokens, which are tokenised only so that they can be
     * reported precisely as {@link RejectReason#NOT_FINITE} rather than as a syntax error.
     */
    static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            // Canonicalised (hence allocation-free) names are what we want; interning attacker-chosen
            // names into the JVM string table is not.
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .build())
            .build();

    private StrictJson() {
    }

    /** Null, empty and oversize values, refused before anything reads them; null when the size is acceptable. */
    static ParseResult checkSize(byte[] value, int maxBytes) {
        if (value == null) {
            return reject(RejectReason.NULL_VALUE, "value is null (a tombstone, or a producer that sent no body)");
        }
        if (value.length == 0) {
            return reject(RejectReason.EMPTY, "value is empty (0 bytes)");
        }
        if (value.length > maxBytes) {
            return reject(RejectReason.OVERSIZE, "value is " + value.length + " bytes, above the limit of "
                    + maxBytes);
        }
        return null;
    }

    /**
     * The whole payload must be UTF-8 (so that NOT_UTF8 is reported as such, wherever the bad byte is) and
     * free of what would make Jackson guess another encoding: NUL bytes (its UTF-16/32 detection looks for
     * them; raw NULs are illegal everywhere in JSON anyway) and a byte order mark (which RFC 8259 forbids
     * in networked JSON, and which Jackson would silently skip).
     *
     * @return null when the encoding is acceptable
     */
    static ParseResult checkEncoding(byte[] value) {
        boolean ascii = true;
        int firstNul = -1;
        for (int i = 0; i < value.length; i++) {
            byte b = value[i];
            if (b < 0) {
                ascii = false;
            } else if (b == 0 && firstNul < 0) {
                firstNul = i;
            }
        }
        if (!ascii) {
            ParseResult notUtf8 = checkUtf8(value);
            if (notUtf8 != null) {
                return notUtf8;
            }
            if (value.length >= 3 && value[0] == UTF8_BOM[0] && value[1] == UTF8_BOM[1] && value[2] == UTF8_BOM[2]) {
                return reject(RejectReason.MALFORMED_JSON, "value starts with a UTF-8 byte order mark (EF BB BF), "
                        + "which RFC 8259 forbids in networked JSON");
            }
        }
        if (firstNul >= 0) {
            return reject(RejectReason.MALFORMED_JSON, "NUL byte at offset " + firstNul
                    + " (raw control characters are not allowed in JSON; UTF-16 or UTF-32 text?)");
        }
        return null;
    }

    /** Rare path (only payloads with non-ASCII bytes): the JDK's strict decoder finds the first bad sequence. */
    private static ParseResult checkUtf8(byte[] value) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(value);
        CoderResult result = decoder.decode(in, CharBuffer.allocate(value.length), true);
        if (!result.isError()) {
            result = decoder.flush(CharBuffer.allocate(0));
        }
        if (!result.isError()) {
            return null;
        }
        int at = in.position();
        StringBuilder bytes = new StringBuilder();
        for (int i = at; i < Math.min(value.length, at + Math.max(result.length(), 1)); i++) {
            bytes.append(bytes.length() == 0 ? "" : " ").append(String.format("0x%02X", value[i] & 0xFF));
        }
        return reject(RejectReason.NOT_UTF8, "invalid UTF-8 at byte offset " + at + ": " + bytes);
    }

    /**
     * Reads the first token, which must open an object.
     *
     * @param length the payload's size, for the detail of a whitespace-only payload
     * @return null when positioned inside the object, else the rejection (EMPTY or NOT_AN_OBJECT)
     */
    static ParseResult openObject(JsonParser p, int length) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            return reject(RejectReason.EMPTY, "value is only whitespace (" + length + " bytes)");
        }
        if (t != JsonToken.START_OBJECT) {
            return reject(RejectReason.NOT_AN_OBJECT, "expected a JSON object, got " + describe(p, t));
        }
        return null;
    }

    /** After the object only whitespace may follow; null when nothing else does. */
    static ParseResult checkTrailing(JsonParser p) {
        long objectEnd = p.currentLocation().getByteOffset();
        try {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            return reject(RejectReason.TRAILING_DATA, "data after the JSON object (ends at byte offset "
                    + objectEnd + "): " + describe(p, t));
        } catch (IOException e) {
            return reject(RejectReason.TRAILING_DATA, "data after the JSON object (ends at byte offset "
                    + objectEnd + ") that is not JSON: " + message(e));
        }
    }

    /**
     * What an exception thrown while reading the object means: a safety limit hit ({@link
     * RejectReason#LIMIT_EXCEEDED}) or a syntax error ({@link RejectReason#MALFORMED_JSON}), with where it happened.
     *
     * @param field the field whose value was being read, or null
     * @param id    the event id read so far, or null
     */
    static ParseResult failure(IOException e, JsonParser p, String field, String id) {
        if (e instanceof StreamConstraintsException) {
            return ParseResult.rejected(RejectReason.LIMIT_EXCEEDED, "limit exceeded" + where(p, field) + ": "
                    + message(e), id);
        }
        return ParseResult.rejected(RejectReason.MALFORMED_JSON, "malformed JSON" + at(e) + where(p, field) + ": "
                + message(e), id);
    }

    /** "string \"abc\"", "boolean true", "null", "array"... for details. */
    static String describe(JsonParser p, JsonToken t) throws IOException {
        if (t == null) {
            return "end of input";
        }
        switch (t) {
            case VALUE_STRING:
                return "string " + quote(p.getText());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "number " + truncate(p.getText(), MAX_QUOTED_CHARS);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "boolean " + p.getText();
            case VALUE_NULL:
                return "null";
            case START_ARRAY:
                return "array";
            case START_OBJECT:
                return "object";
            default:
                return t.toString();
        }
    }

    /**
     * Names the field a syntax error belongs to. Jackson reads a scalar value together with its field name,
     * in the call that returns FIELD_NAME, so an error in a value surfaces while the current token is still
     * that FIELD_NAME; an error while reading the next name leaves the previous value as current token.
     */
    static String where(JsonParser p, String field) {
        if (field != null) {
            return " in the value of field " + quote(field);
        }
        String name;
        try {
            name = p.currentName();
        } catch (IOException e) {
            return "";  // declared by the API, not thrown for the current name of a parsing context
        }
        if (name == null) {
            return "";
        }
        return (p.currentToken() == JsonToken.FIELD_NAME ? " in the value of field " : " after field ") + quote(name);
    }

    static String at(IOException e) {
        JsonLocation location = e instanceof JsonProcessingException j ? j.getLocation() : null;
        return location == null || location.getByteOffset() < 0 ? "" : " at byte offset " + location.getByteOffset();
    }

    /** Jackson's message without location or source (the byte offset is given separately). */
    static String message(IOException e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int source = m.indexOf("[Source:");
        if (source >= 0) {
            m = m.substring(0, source).trim();
            if (m.endsWith("(start marker at")) {
                m = m.substring(0, m.length() - "(start marker at".length()).trim();
            }
        }
        return ControlChars.escape(truncate(m, 300));
    }

    /**
     * Quotes input text for a detail: quotes and backslashes escaped, then {@link ControlChars#escape} (no control
     * character or lone surrogate reaches logs or headers; an emoji stays as written), and truncated.
     */
    static String quote(String s) {
        int n = Math.min(s.length(), MAX_QUOTED_CHARS);
        StringBuilder out = new StringBuilder(n + 16).append('"')
                .append(ControlChars.escape(s.substring(0, n).replace("\\", "\\\\").replace("\"", "\\\"")));
        out.append('"');
        if (s.length() > n) {
            out.append("... (").append(s.length()).append(" chars)");
        }
        return out.toString();
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "... (" + s.length() + " chars)";
    }

    private static ParseResult reject(RejectReason reason, String detail) {
        return ParseResult.rejected(reason, detail, null);
    }
}
