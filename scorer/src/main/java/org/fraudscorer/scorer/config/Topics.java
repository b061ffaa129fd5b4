package org.fraudscorer.scorer.config;

/**
 * The scorer's topic names, declared once; every name is configurable. {@code labels} carries label feedback for
 * raw payment events (read only when the serving model's schema is the handbook's).
 */
public record Topics(String input, String flagged, String clean, String deadLetter, String models, String labels) {
    public static final String DEFAULT_INPUT = "transactions";
    public static final String DEFAULT_FLAGGED = "transactions.flagged";
    public static final String DEFAULT_CLEAN = "transactions.clean";
    public static final String DEFAULT_DLQ = "transactions.dlq";
    public static final String DEFAULT_MODELS = "fraud-models";
    public static final String DEFAULT_LABELS = "transactions.labels";

    public static Topics defaults() {
        return new Topics(DEFAULT_INPUT, DEFAULT_FLAGGED, DEFAULT_CLEAN, DEFAULT_DLQ, DEFAULT_MODELS, DEFAULT_LABELS);
    }

    /** The five topics of the creditcard path, with the default labels topic. */
    public Topics(String input, String flagged, String clean, String deadLetter, String models) {
        this(input, flagged, clean, deadLetter, models, DEFAULT_LABELS);
    }

    public Topics {
        for (String t : new String[] {input, flagged, clean, deadLetter, models, labels}) {
            if (t == null || t.isBlank() || !t.matches("[a-zA-Z0-9._-]{1,249}")) {
                throw new IllegalArgumentException("invalid topic name '" + t + "' (letters, digits, '.', '_', '-')");
            }
        }
        if (new java.util.HashSet<>(java.util.List.of(input, flagged, clean, deadLetter, models, labels)).size() != 6) {
            throw new IllegalArgumentException("input, flagged, clean, dead-letter, model and labels topics must all differ");
        }
    }
}
