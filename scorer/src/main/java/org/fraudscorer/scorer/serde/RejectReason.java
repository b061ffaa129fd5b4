package org.fraudscorer.scorer.serde;

/**
 * Why a record went to the dead-letter topic: refused by an event parser ({@link TransactionParser},
 * {@link RawEventParser}), by its Kafka timestamp, or failed while being processed. {@link #code()} is stable: it is
 * the {@code reason} of every dead letter ({@link org.fraudscorer.scorer.error.DeadLetter}) and the metric tag, so
 * a constant may be added but never renamed or reused. The human-readable detail that comes with each rejection
 * ({@link ParseResult#detail()}) is not stable.
 */
public enum RejectReason {
    /** The record value is null (a tombstone, or a producer that sent no body). */
    NULL_VALUE("NULL_VALUE"),
    /** Zero bytes, or nothing but JSON whitespace. */
    EMPTY("EMPTY"),
    /** Longer than the parser's byte limit; refused before any parsing. */
    OVERSIZE("OVERSIZE"),
    /** Not well-formed UTF-8 (RFC 3629): stray continuation bytes, overlong forms, surrogates, truncation. */
    NOT_UTF8("NOT_UTF8"),
    /** Not JSON: syntax errors, truncation, comments, single quotes, raw control characters, a BOM, NUL bytes. */
    MALFORMED_JSON("MALFORMED_JSON"),
    /** Well-formed JSON whose top-level value is not an object. */
    NOT_AN_OBJECT("NOT_AN_OBJECT"),
    /** Anything but whitespace after the top-level object (a second object, garbage). */
    TRAILING_DATA("TRAILING_DATA"),
    /** One or more input fields of the schema are absent. */
    MISSING_FIELD("MISSING_FIELD"),
    /** A field that is neither a schema input, nor {@code id}, nor an allowed label. */
    UNKNOWN_FIELD("UNKNOWN_FIELD"),
    /** A field that appears more than once. */
    DUPLICATE_FIELD("DUPLICATE_FIELD"),
    /** An input field whose value is not a JSON number (numeric strings included), or a structured label. */
    WRONG_TYPE("WRONG_TYPE"),
    /** An input field that is NaN or ±Infinity, as a token or by overflowing a double (1e400). */
    NOT_FINITE("NOT_FINITE"),
    /** A finite input value outside the schema's {@link org.fraudscorer.common.features.FieldRange}. */
    OUT_OF_RANGE("OUT_OF_RANGE"),
    /** An {@code id} that is not a non-empty string or integer of at most 128 characters without control characters. */
    BAD_ID("BAD_ID"),
    /** A parser safety limit was hit (a number literal longer than 1000 characters, nesting deeper than allowed). */
    LIMIT_EXCEEDED("LIMIT_EXCEEDED"),
    /** The Kafka record timestamp lies further in the future than the allowed clock skew (a producer clock problem). */
    FUTURE_TIMESTAMP("FUTURE_TIMESTAMP"),
    /** The Kafka record timestamp is older than the configured maximum event age (a stale replay, a stuck producer). */
    STALE_TIMESTAMP("STALE_TIMESTAMP"),
    /**
     * Accepted as input, but scoring or feature computation threw (a corrupt stored history, a bug): the record is
     * kept as a dead letter rather than stopping the stream.
     */
    PROCESSING_ERROR("PROCESSING_ERROR"),
    /**
     * Scored, but the output record would exceed what the producer may send ({@code max.request.size}): the input
     * is kept as a dead letter instead of a send Kafka would refuse, which would fail the stream thread on the same
     * record again and again.
     */
    OUTPUT_TOO_LARGE("OUTPUT_TOO_LARGE"),
    /**
     * A raw event whose record key is not its {@code CUSTOMER_ID} (decimal text) while the scorer reads its input as
     * keyed by card ({@code --input-keyed-by-card}): its card's history may be on another partition, so it is not
     * scored at all rather than scored from a partial history.
     */
    KEY_NOT_CARD("KEY_NOT_CARD"),
    /**
     * A raw event (or label) whose {@code TX_DATETIME} lies after its own Kafka record timestamp by more than the
     * allowed skew and the widest time-zone offset (14 h): a payment cannot be written before it happened. Kept out
     * of the stores, where it would move the histories' clock into the future and expire every other payment.
     */
    FUTURE_EVENT_TIME("FUTURE_EVENT_TIME"),
    /**
     * A raw event whose {@code TRANSACTION_ID} the card stage already took within the duplicate window (an upstream
     * retry, a replayed batch): not stored or scored a second time, which would count the payment twice in its card's
     * and terminal's features and give two decisions under one id. The detail names where the first copy came from.
     */
    DUPLICATE_EVENT("DUPLICATE_EVENT"),
    /**
     * A raw event whose {@code TX_DATETIME} is so much older than the newest payment its card's (or terminal's)
     * history holds that the history no longer keeps its windows (31 days for a card, 30 days plus the label delay
     * and a day for a terminal): its features would count nothing (a card count of 0, which no payment has), so it
     * is neither stored nor scored. A mistyped year, or a payment re-sent weeks later.
     */
    LATE_EVENT("LATE_EVENT");


    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    /** The stable identifier of this reason: the dead letter's {@code reason} field and the metric tag. */
    public String code() {
        return code;
    }
}
