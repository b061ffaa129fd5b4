package org.fraudscorer.scorer.serde;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.events.TxDateTime;

/**
 * Parses raw payment events and label feedback (the values of Kafka records) as strictly as
 * {@link TransactionParser}: the same size, encoding, syntax and trailing-data checks ({@link StrictJson}) and the
 * same {@link RejectReason}s, first problem wins; any byte array yields a {@link ParseResult}, never an exception.
 *
 * <h2>Events</h2>
 * One flat JSON object with exactly once each:
 * <ul>
 *   <li>{@code TRANSACTION_ID}, {@code CUSTOMER_ID}, {@code TERMINAL_ID}: JSON integers, 0 to 2^63−1;</li>
 *   <li>{@code TX_DATETIME}: the payment's wall-clock time, either the string {@code "YYYY-MM-DDTHH:MM:SS"} (the
 *       handbook's CSV form, read by {@link TxDateTime} as the trainer's CSV reader reads it) or a JSON integer of seconds since
 *       1970-01-01T00:00:00 on that wall clock (no zone: weekend and night are wall-clock features). Years 1970 to
 *       9999;</li>
 *   <li>{@code TX_AMOUNT}: a JSON number in [0, {@link FeatureSchema#MAX_AMOUNT}].</li>
 * </ul>
 * Optional and <em>never read</em>: {@code TX_FRAUD} and {@code TX_FRAUD_SCENARIO} (labels: a live event's label
 * is not known when it is scored; they come later on the labels topic) and {@code TX_TIME_SECONDS},
 * {@code TX_TIME_DAYS} (derived columns of the CSV format); each must be a scalar. Any other field is refused.
 *
 * <h2>Labels</h2>
 * {@code TRANSACTION_ID}, {@code TERMINAL_ID}, {@code TX_DATETIME} (as above: they find the payment in its
 * terminal's history) and {@code TX_FRAUD}, the integer 0 or 1; nothing else.
 *
 * <p>Not thread-safe (it keeps the reason of the value being checked in a field, where a result object per value
 * would be allocated): one instance per stream processor.
 */
public final class RawEventParser {
    public static final String ID = "TRANSACTION_ID";
    public static final String DATETIME = TxDateTime.FIELD;
    public static final String CUSTOMER = "CUSTOMER_ID";
    public static final String TERMINAL = "TERMINAL_ID";
    public static final String AMOUNT = "TX_AMOUNT";
    public static final String FRAUD = "TX_FRAUD";

    /** Which of the two record kinds a parser reads. */
    public enum Kind {
        EVENT(List.of(ID, DATETIME, CUSTOMER, TERMINAL, AMOUNT),
                List.of(FRAUD, "TX_FRAUD_SCENARIO", "TX_TIME_SECONDS", "TX_TIME_DAYS")),
        LABEL(List.of(ID, TERMINAL, DATETIME, FRAUD), List.of());

        final List<String> required;
        final List<String> ignored;

        Kind(List<String> required, List<String> ignored) {
            this.required = required;
            this.ignored = ignored;
        }
    }

    private final Kind kind;
    private final int maxBytes;
    private final TxDateTime dateTime = new TxDateTime();

    public RawEventParser(Kind kind, int maxBytes) {
        this.kind = Objects.requireNonNull(kind, "kind");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * @param out receives the fields; meaningful only when the result is ok
     * @return ok with the transaction id as text, or rejected with a reason and a detail
     */
    public ParseResult parse(byte[] value, RawEventFields out) {
        Objects.requireNonNull(out, "out");
        ParseResult size = StrictJson.checkSize(value, maxBytes);
        if (size != null) {
            return size;
        }
        ParseResult encoding = StrictJson.checkEncoding(value);
        if (encoding != null) {
            return encoding;
        }
        try (JsonParser p = StrictJson.JSON.createParser(value)) {
            return read(p, value.length, out);
        } catch (IOException e) {
            return reject(RejectReason.MALFORMED_JSON, "unreadable JSON: " + e.getMessage(), null);
        }
    }

    private ParseResult read(JsonParser p, int length, RawEventFields out) {
        int seenRequired = 0; // bit k: required field k seen
        int seenIgnored = 0;
        String field = null;
        String id = null;
        try {
            ParseResult notAnObject = StrictJson.openObject(p, length);
            if (notAnObject != null) {
                return notAnObject;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                field = p.currentName();
                int k = kind.required.indexOf(field); // ≤ 5 entries: a scan beats hashing and boxes nothing
                if (k >= 0) {
                    if ((seenRequired & (1 << k)) != 0) {
                        return reject(RejectReason.DUPLICATE_FIELD, "duplicate field " + StrictJson.quote(field), id);
                    }
                    seenRequired |= 1 << k;
                    String problem = value(field, p.nextToken(), p, out);
                    if (problem != null) {
                        return reject(problemReason, problem, id);
                    }
                    if (field.equals(ID)) {
                        id = Long.toString(out.transactionId);
                    }
                } else if ((k = kind.ignored.indexOf(field)) >= 0) {
                    if ((seenIgnored & (1 << k)) != 0) {
                        return reject(RejectReason.DUPLICATE_FIELD, "duplicate field " + StrictJson.quote(field), id);
                    }
                    seenIgnored |= 1 << k;
                    t = p.nextToken();
                    // Never read (a live event's label is unknown). Scalars only: the parser never descends.
                    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                        return reject(RejectReason.WRONG_TYPE, "field " + field + ": expected a scalar, got "
                                + StrictJson.describe(p, t), id);
                    }
                } else {
                    return reject(RejectReason.UNKNOWN_FIELD, "unknown field " + StrictJson.quote(field)
                            + hint(field), id);
                }
                field = null;
            }
            ParseResult trailing = StrictJson.checkTrailing(p);
            if (trailing != null) {
                return trailing;
            }
        } catch (IOException e) {
            return StrictJson.failure(e, p, field, id);
        }
        if (seenRequired != (1 << kind.required.size()) - 1) {
            List<String> missing = new ArrayList<>();
            for (int k = 0; k < kind.required.size(); k++) {
                if ((seenRequired & (1 << k)) == 0) {
                    missing.add(kind.required.get(k));
                }
            }
            return reject(RejectReason.MISSING_FIELD, (missing.size() == 1 ? "missing field " : "missing fields ")
                    + missing, id);
        }
        return ParseResult.ok(id);
    }

    /** Set by {@link #value} with its problem; a field instead of a result object keeps the ok path allocation-free. */
    private RejectReason problemReason;

    /** Reads one required field's value into {@code out}; returns the problem, or null. */
    private String value(String field, JsonToken t, JsonParser p, RawEventFields out) throws IOException {
        switch (field) {
            case ID -> {
                String bad = nonNegativeLong(field, t, p);
                if (bad == null) {
                    out.transactionId = p.getLongValue();
                }
                return bad;
            }
            case CUSTOMER -> {
                String bad = nonNegativeLong(field, t, p);
                if (bad == null) {
                    out.customerId = p.getLongValue();
                }
                return bad;
            }
            case TERMINAL -> {
                String bad = nonNegativeLong(field, t, p);
                if (bad == null) {
                    out.terminalId = p.getLongValue();
                }
                return bad;
            }
            case DATETIME -> {
                return dateTime(t, p, out);
            }
            case AMOUNT -> {
                return amount(t, p, out);
            }
            default -> { // FRAUD in a label
                if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT
                        && (p.getIntValue() == 0 || p.getIntValue() == 1)) {
                    out.fraud = p.getIntValue() == 1;
                    return null;
                }
                return problem(t == JsonToken.VALUE_NUMBER_INT ? RejectReason.OUT_OF_RANGE : RejectReason.WRONG_TYPE,
                        "field " + FRAUD + ": expected 0 or 1, got " + StrictJson.describe(p, t));
            }
        }
    }

    private String nonNegativeLong(String field, JsonToken t, JsonParser p) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            return problem(RejectReason.WRONG_TYPE, "field " + field + ": expected an integer, got "
                    + StrictJson.describe(p, t));
        }
        JsonParser.NumberType n = p.getNumberType();
        if (n == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
            return problem(RejectReason.OUT_OF_RANGE, "field " + field + ": " + StrictJson.describe(p, t)
                    + " is outside 0.." + Long.MAX_VALUE);
        }
        return null;
    }

    private String amount(JsonToken t, JsonParser p, RawEventFields out) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            return problem(RejectReason.WRONG_TYPE, "field " + AMOUNT + ": expected a number, got "
                    + StrictJson.describe(p, t));
        }
        double v = p.getDoubleValue();
        if (!Double.isFinite(v)) {
            return problem(RejectReason.NOT_FINITE, "field " + AMOUNT + ": " + p.getText() + " is not a finite number");
        }
        if (!(v >= 0 && v <= FeatureSchema.MAX_AMOUNT)) {
            return problem(RejectReason.OUT_OF_RANGE, "field " + AMOUNT + ": " + v + " is outside [0, "
                    + FeatureSchema.MAX_AMOUNT + "]");
        }
        out.amount = v;
        return null;
    }

    /** "YYYY-MM-DDTHH:MM:SS" or integer epoch seconds (wall clock read as UTC). */
    private String dateTime(JsonToken t, JsonParser p, RawEventFields out) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0
                    || p.getLongValue() > TxDateTime.MAX_EPOCH_SECONDS) {
                return problem(RejectReason.OUT_OF_RANGE, "field " + DATETIME + ": " + p.getText()
                        + " seconds is outside 1970-01-01T00:00:00..9999-12-31T23:59:59");
            }
            out.epochSeconds = p.getLongValue();
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            return problem(RejectReason.WRONG_TYPE, "field " + DATETIME + ": expected \"YYYY-MM-DDTHH:MM:SS\" or "
                    + "integer seconds, got " + StrictJson.describe(p, t));
        }
        long seconds = dateTime.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        if (seconds == TxDateTime.INVALID) {
            return switch (dateTime.problem()) {
                case FORMAT -> problem(RejectReason.WRONG_TYPE, "field " + DATETIME
                        + ": expected \"YYYY-MM-DDTHH:MM:SS\", got " + StrictJson.describe(p, t));
                case NON_DIGIT -> problem(RejectReason.WRONG_TYPE, "field " + DATETIME + ": non-digit in "
                        + StrictJson.describe(p, t));
                case INVALID_DATE -> problem(RejectReason.OUT_OF_RANGE, "field " + DATETIME + ": invalid date in "
                        + StrictJson.describe(p, t));
                case INVALID_TIME -> timeProblem(p, t);
            };
        }
        if (seconds < 0) {
            return timeProblem(p, t);
        }
        out.epochSeconds = seconds;
        return null;
    }

    private String timeProblem(JsonParser p, JsonToken t) throws IOException {
        return problem(RejectReason.OUT_OF_RANGE, "field " + DATETIME + ": invalid time or year before 1970 in "
                + StrictJson.describe(p, t));
    }

    private String problem(RejectReason reason, String detail) {
        problemReason = reason;
        return detail;
    }

    private String hint(String unknown) {
        for (String known : kind.required) {
            if (known.equalsIgnoreCase(unknown)) {
                return " (did you mean \"" + known + "\"?)";
            }
        }
        return kind == Kind.LABEL ? " (a label holds only " + String.join(", ", kind.required) + ")" : "";
    }

    private static ParseResult reject(RejectReason reason, String detail, String id) {
        return ParseResult.rejected(reason, detail, id);
    }

    /**
     * For input read as keyed by card: null when the record key is the event's {@code CUSTOMER_ID} as decimal text
     * (what {@code Long.toString} gives, the way this project's producers key raw events), else a
     * {@link RejectReason#KEY_NOT_CARD} rejection naming both. The accepted path allocates nothing.
     */
    public static ParseResult checkCardKey(byte[] key, long customerId) {
        if (isDecimal(key, customerId)) {
            return null;
        }
        String shown = key == null ? "null" : StrictJson.quote(new String(key, java.nio.charset.StandardCharsets.UTF_8));
        return ParseResult.rejected(RejectReason.KEY_NOT_CARD, "record key " + shown + " is not the event's "
                + CUSTOMER + " " + customerId + " (the input is read as keyed by card)", null);
    }

    /** Whether {@code key} is exactly {@code value} (≥ 0) in decimal ASCII digits, without sign or leading zeros. */
    static boolean isDecimal(byte[] key, long value) {
        if (key == null || key.length == 0 || key.length > 19 || value < 0) {
            return false;
        }
        long v = value;
        for (int i = key.length - 1; i >= 0; i--) {
            if (key[i] != '0' + (int) (v % 10) || (v < 10 && i > 0)) {
                return false; // a wrong digit, or more digits than the value has
            }
            v /= 10;
        }
        return v == 0;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + " parser";
    }
}
