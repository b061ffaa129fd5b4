package org.fraudscorer.scorer.serde;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.text.EventIds;

/**
 * Parses and validates one transaction event (the value of a Kafka record) against a {@link FeatureSchema}.
 * Any byte array, including null, yields a {@link ParseResult}: accepted, or rejected with a
 * {@link RejectReason} and a precise detail. Parsing never throws on bad input; it throws only on caller
 * errors (a wrong-sized output array).
 *
 * <h2>Accepted format</h2>
 * One JSON object (RFC 8259, UTF-8, no BOM) holding:
 * <ul>
 *   <li>every input field of the schema exactly once, as a JSON number that is finite as a double and
 *       inside the field's range ({@link FeatureSchema#validate(double[])});</li>
 *   <li>optionally {@value #ID_FIELD}: a string, or an integer converted to its decimal text; non-empty,
 *       at most {@value #MAX_ID_LENGTH} chars, no control characters or unpaired surrogates (ids end up in
 *       logs and record headers);</li>
 *   <li>optionally {@value #LABEL_FIELD}, the fraud label, if the parser was built with
 *       {@code ignoreLabel} (the default: the CSV replayer sends labelled rows). Its value must be a scalar
 *       and is <em>never read</em>: the scorer scores events as they would arrive in production, without
 *       their label. With {@code ignoreLabel = false} the label is an unknown field.</li>
 * </ul>
 * Field order is free. Anything else is refused; checks run in reading order and the first problem wins:
 * size and encoding before JSON syntax, then each field as it is read (name, then value), then trailing
 * data, missing fields and finally value ranges. The envelope checks (size, encoding, one object, nothing after
 * it) and the wording of their details are {@link StrictJson}'s, shared with {@link RawEventParser}.
 *
 * <h2>Speed and allocation</h2>
 * Plain events (one flat object of ASCII text, no escapes, each field once) are read by {@link FastEventScanner} in
 * one pass over the bytes, numbers straight from the bytes with FastDoubleParser: no parser objects (bench's
 * ParseBenchmark measures both paths). Everything else goes through the full Jackson-based parser below, which
 * gives every rejection its reason; the fast path accepts only what the full parser accepts, with the same values.
 * The full parser is built for the per-record path too: the field-name index is built once; Jackson canonicalises field names, so
 * the lookup allocates nothing; numbers are decoded from Jackson's character buffer with its
 * FastDoubleParser (correctly rounded, no intermediate string); the caller's output array is reused. What
 * remains per call is Jackson's parser object graph (its buffers are recycled) and, for events with an id,
 * the id string and its result. Rejections may allocate freely: they are rare and go to a dead-letter topic.
 *
 * <p>Not thread-safe (the fast path keeps per-call state): one instance per stream task or thread.
 */
public final class TransactionParser {

    /** Default limit on the payload size. A creditcard event is about 700 bytes. */
    public static final int DEFAULT_MAX_BYTES = 16 * 1024;
    /** The optional event identifier. */
    public static final String ID_FIELD = "id";
    /** The label field the creditcard replayer sends along; allowed but ignored when {@code ignoreLabel}. */
    public static final String LABEL_FIELD = "Class";
    /** Longest accepted id, in UTF-16 chars. */
    public static final int MAX_ID_LENGTH = EventIds.MAX_LENGTH;
    private final FeatureSchema schema;
    private final int maxBytes;
    private final boolean ignoreLabel;
    private final int inputCount;
    /** Input field name → position in the input vector; built once. */
    private final Map<String, Integer> fieldIndex;
    /** Reads the common, plain events in one pass; declines the rest, which {@link #parseFully} handles. */
    private final FastEventScanner fast;

    /** A parser with the default size limit that ignores the label field. */
    public TransactionParser(FeatureSchema schema) {
        this(schema, DEFAULT_MAX_BYTES, true);
    }

    /** A parser that ignores the label field. */
    public TransactionParser(FeatureSchema schema, int maxBytes) {
        this(schema, maxBytes, true);
    }

    /**
     * @param schema      the input fields to read and the ranges to enforce
     * @param maxBytes    payloads longer than this are refused unparsed, as {@link RejectReason#OVERSIZE}
     * @param ignoreLabel true to accept (and never read) a {@value #LABEL_FIELD} field; false to refuse it
     *                    as {@link RejectReason#UNKNOWN_FIELD}
     */
    public TransactionParser(FeatureSchema schema, int maxBytes, boolean ignoreLabel) {
        this.schema = Objects.requireNonNull(schema, "schema");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        for (String reserved : List.of(ID_FIELD, LABEL_FIELD)) {
            if (schema.inputIndex(reserved) >= 0) {
                throw new IllegalArgumentException("schema " + schema.name() + " has an input field named \""
                        + reserved + "\", which the event format reserves");
            }
        }
        this.maxBytes = maxBytes;
        this.ignoreLabel = ignoreLabel;
        this.inputCount = schema.inputCount();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < inputCount; i++) {
            index.put(schema.inputFields().get(i), i);
        }
        this.fieldIndex = Map.copyOf(index);
        this.fast = new FastEventScanner(schema.inputFields(), ignoreLabel, MAX_ID_LENGTH);
    }

    public FeatureSchema schema() {
        return schema;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /**
     * Parses one payload.
     *
     * @param value     the raw record value; any content, or null
     * @param inputsOut receives the input values in schema order; length must be {@link FeatureSchema#inputCount()}.
     *                  Meaningful only when the result is ok: after a rejection its content is unspecified.
     * @return ok (with the id, possibly null) or rejected; never null
     * @throws IllegalArgumentException if {@code inputsOut} has the wrong length (a caller bug, not bad input)
     */
    public ParseResult parse(byte[] value, double[] inputsOut) {
        Objects.requireNonNull(inputsOut, "inputsOut");
        if (inputsOut.length != inputCount) {
            throw new IllegalArgumentException("inputsOut must hold the " + inputCount + " input fields of schema "
                    + schema.name() + ", has length " + inputsOut.length);
        }
        ParseResult size = StrictJson.checkSize(value, maxBytes);
        if (size != null) {
            return size;
        }
        if (fast.scan(value, inputsOut)) {
            String outOfRange = schema.validate(inputsOut);
            return outOfRange == null ? ParseResult.ok(fast.id())
                    : reject(RejectReason.OUT_OF_RANGE, outOfRange, fast.id());
        }
        return parseFully(value, inputsOut);
    }

    /**
     * The full parser alone, without {@link FastEventScanner}'s fast path: what {@link #parse} falls back to, and what
     * the tests compare the fast path against. Expects {@code value} non-null, non-empty and within the size limit.
     */
    ParseResult parseFully(byte[] value, double[] inputsOut) {
        ParseResult encodingProblem = StrictJson.checkEncoding(value);
        if (encodingProblem != null) {
            return encodingProblem;
        }
        JsonParser p;
        try {
            p = StrictJson.JSON.createParser(value);
        } catch (IOException e) {
            // Encoding detection cannot fail once NULs and BOMs are excluded, but the API declares it.
            return reject(RejectReason.MALFORMED_JSON, "unreadable JSON: " + e.getMessage());
        }
        try {
            return readEvent(p, value.length, inputsOut);
        } finally {
            try {
                p.close();  // returns the recycled buffers; cannot fail for an in-memory source
            } catch (IOException ignored) {
                // nothing to release beyond the buffers, which close() has returned before throwing
            }
        }
    }

    private ParseResult readEvent(JsonParser p, int length, double[] inputs) {
        // NaN marks "not seen yet": a value is stored only once known to be finite, so any NaN left at the
        // end is a missing field and a non-NaN slot met again is a duplicate. No per-call bookkeeping.
        Arrays.fill(inputs, Double.NaN);
        String field = null;  // the field whose value is being read, for the detail of a syntax error
        String id = null;
        boolean idSeen = false;
        boolean labelSeen = false;
        int seen = 0;
        try {
            ParseResult notAnObject = StrictJson.openObject(p, length);
            if (notAnObject != null) {
                return notAnObject;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                field = p.currentName();
                Integer index = fieldIndex.get(field);
                if (index != null) {
                    int i = index;
                    if (!Double.isNaN(inputs[i])) {
                        return reject(RejectReason.DUPLICATE_FIELD, "duplicate field " + StrictJson.quote(field), id);
                    }
                    t = p.nextToken();
                    // Strict: only JSON numbers. A quoted number means the producer lost the schema's types
                    // (untyped CSV conversion, say); coercing it would hide that bug and open the door to
                    // ambiguous spellings (" 12", "12,5", "1_000", "0x1F") that other consumers read differently.
                    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                        return reject(RejectReason.WRONG_TYPE, "field " + field + ": expected a number, got "
                                + StrictJson.describe(p, t) + (t == JsonToken.VALUE_STRING && looksNumeric(p.getText())
                                ? " (numbers must not be quoted)" : ""), id);
                    }
                    // A negative integer zero ("-0") reads as +0.0; every other literal reads correctly rounded.
                    double v = p.getDoubleValue();
                    if (!Double.isFinite(v)) {
                        String text = p.getText();
                        return reject(RejectReason.NOT_FINITE, "field " + field + ": "
                                + StrictJson.truncate(text, StrictJson.MAX_QUOTED_CHARS) + (hasDigit(text) ? " overflows a double" : " is not a finite number"), id);
                    }
                    inputs[i] = v;
                    seen++;
                } else if (ID_FIELD.equals(field)) {
                    if (idSeen) {
                        return reject(RejectReason.DUPLICATE_FIELD, "duplicate field " + StrictJson.quote(field), id);
                    }
                    idSeen = true;
                    t = p.nextToken();
                    String problem = idProblem(p, t);
                    if (problem != null) {
                        return reject(RejectReason.BAD_ID, "field id: " + problem);
                    }
                    id = p.getText();
                } else if (ignoreLabel && LABEL_FIELD.equals(field)) {
                    if (labelSeen) {
                        return reject(RejectReason.DUPLICATE_FIELD, "duplicate field " + StrictJson.quote(field), id);
                    }
                    labelSeen = true;
                    t = p.nextToken();
                    // Never read. Only scalars are let through, so the parser never descends into a structure.
                    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                        return reject(RejectReason.WRONG_TYPE, "field " + field + ": expected a scalar label, got "
                                + StrictJson.describe(p, t), id);
                    }
                } else {
                    return reject(RejectReason.UNKNOWN_FIELD, "unknown field " + StrictJson.quote(field) + hint(field), id);
                }
                field = null;
            }
            // In an object Jackson yields only FIELD_NAME or END_OBJECT (anything else throws), so t is END_OBJECT.
            ParseResult trailing = StrictJson.checkTrailing(p);
            if (trailing != null) {
                return trailing;
            }
        } catch (IOException e) {
            return StrictJson.failure(e, p, field, id);
        }
        if (seen < inputCount) {
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < inputCount; i++) {
                if (Double.isNaN(inputs[i])) {
                    missing.add(schema.inputFields().get(i));
                }
            }
            return reject(RejectReason.MISSING_FIELD, (missing.size() == 1 ? "missing field " : "missing fields ")
                    + missing, id);
        }
        String outOfRange = schema.validate(inputs);
        if (outOfRange != null) {
            return reject(RejectReason.OUT_OF_RANGE, outOfRange, id);
        }
        return ParseResult.ok(id);
    }

    /** @return why the current token is not an acceptable id, or null if it is */
    private static String idProblem(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT) {
            return "expected a string or an integer, got " + StrictJson.describe(p, t);
        }
        return EventIds.problem(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    }

    /** True for strings a lenient reader would take as a number (NaN, Infinity and blanks around them included). */
    private static boolean looksNumeric(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Tells an overflowing literal (1e400) from a NaN or Infinity token. */
    private static boolean hasDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                return true;
            }
        }
        return false;
    }

    /** A case-insensitive near miss, to make the most common producer mistake obvious. */
    private String hint(String unknown) {
        for (String known : schema.inputFields()) {
            if (known.equalsIgnoreCase(unknown)) {
                return " (did you mean \"" + known + "\"?)";
            }
        }
        if (ID_FIELD.equalsIgnoreCase(unknown)) {
            return " (did you mean \"" + ID_FIELD + "\"?)";
        }
        if (LABEL_FIELD.equals(unknown)) {
            return " (labels are refused by this parser: ignoreLabel is false)";
        }
        return "";
    }

    private static ParseResult reject(RejectReason reason, String detail) {
        return ParseResult.rejected(reason, detail, null);
    }

    private static ParseResult reject(RejectReason reason, String detail, String id) {
        return ParseResult.rejected(reason, detail, id);
    }
}
