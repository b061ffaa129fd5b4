package org.fraudscorer.scorer.serde;

/**
 * The outcome of {@link TransactionParser#parse(byte[], double[])}: either accepted ({@link #reason()} is
 * null) or rejected with a reason and a human-readable detail.
 *
 * <p>An immutable record rather than a reusable mutable holder: an accepted event without an id returns a
 * shared constant, so the common path allocates nothing here, and an id-carrying event costs one 24-byte
 * object next to the id string it carries anyway. A result can be kept (or handed to another thread) without
 * being overwritten by the next parse (the parser itself is not thread-safe: one per stream task).
 *
 * @param reason why the payload was refused, or null when it was accepted
 * @param detail a precise human-readable explanation when rejected (names the offending field where there
 *               is one; input text is quoted, escaped and truncated), null when accepted
 * @param id     the event's {@code id} converted to a string; null when the event has none, or when it was
 *               rejected before (or because of) its id
 */
public record ParseResult(RejectReason reason, String detail, String id) {

    private static final ParseResult OK_WITHOUT_ID = new ParseResult(null, null, null);

    public ParseResult {
        if ((reason == null) != (detail == null)) {
            throw new IllegalArgumentException("a rejection needs both a reason and a detail, an accepted "
                    + "result neither (reason " + reason + ", detail " + detail + ")");
        }
    }

    /** An accepted event, with its id or null. */
    public static ParseResult ok(String id) {
        return id == null ? OK_WITHOUT_ID : new ParseResult(null, null, id);
    }

    /** A rejected payload; {@code id} is the event id if it had been read before the problem, else null. */
    public static ParseResult rejected(RejectReason reason, String detail, String id) {
        if (reason == null || detail == null) {
            throw new IllegalArgumentException("a rejection needs a reason and a detail");
        }
        return new ParseResult(reason, detail, id);
    }

    /** @return true when the payload was accepted and the input vector is filled */
    public boolean isOk() {
        return reason == null;
    }

    @Override
    public String toString() {
        return isOk() ? "ok(id=" + id + ")" : "rejected(" + reason.code() + ": " + detail
                + (id == null ? "" : ", id=" + id) + ")";
    }
}
