package org.fraudscorer.scorer.config;

/** The scorer's topic names, declared once; every name is configurable. */
public record Topics(String input, String flagged, String clean, String deadLetter, String models) {
    public static final String DEFAULT_INPUT = "transactions";
    public static final String DEFAULT_FLAGGED = "transactions.flagged";
    public static final String DEFAULT_CLEAN = "transactions.clean";
    public static final String DEFAULT_DLQ = "transactions.dlq";
    public static final String DEFAULT_MODELS = "fraud-models";

    public static Topics defaults() {
        return new Topics(DEFAULT_INPUT, DEFAULT_FLAGGED, DEFAULT_CLEAN, DEFAULT_DLQ, DEFAULT_MODELS);
    }

    public Topics {
        for (String t : new String[] {input, flagged, clean, deadLetter, models}) {
            if (t == null || t.isBlank() || !t.matches("[a-zA-Z0-9._-]{1,249}")) {
                throw new IllegalArgumentException("invalid topic name '" + t + "' (letters, digits, '.', '_', '-')");
            }
        }
        if (new java.util.HashSet<>(java.util.List.of(input, flagged, clean, deadLetter, models)).size() != 5) {
            throw new IllegalArgumentException("input, flagged, clean, dead-letter and model topics must all differ");
        }
    }
}
