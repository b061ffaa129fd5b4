package org.fraudscorer.scorer.config;

/**
 * The scorer's topic names, declared once; every name is configurable. {@code labels} carries label feedback for raw
 * payment events (read only when the serving model's schema is the handbook's). {@code shadow} receives one record per
 * event scored while a challenger shadows the champion (both decisions; never read by alert consumers). {@link #all()}
 * lists every topic, {@link #outputs()} the ones every live input record ends in.
 */
public record Topics(String input, String flagged, String clean, String deadLetter, String models, String labels,
                     String shadow) {
    public static final String DEFAULT_INPUT = "transactions";
    public static final String DEFAULT_FLAGGED = "transactions.flagged";
    public static final String DEFAULT_CLEAN = "transactions.clean";
    public static final String DEFAULT_DLQ = "transactions.dlq";
    public static final String DEFAULT_MODELS = "fraud-models";
    public static final String DEFAULT_LABELS = "transactions.labels";
    public static final String DEFAULT_SHADOW = "transactions.shadow";

    public static Topics defaults() {
        return new Topics(DEFAULT_INPUT, DEFAULT_FLAGGED, DEFAULT_CLEAN, DEFAULT_DLQ, DEFAULT_MODELS, DEFAULT_LABELS);
    }

    /** The six topics with the shadow topic named after the input: {@code <input>.shadow}. */
    public Topics(String input, String flagged, String clean, String deadLetter, String models, String labels) {
        this(input, flagged, clean, deadLetter, models, labels, shadowOf(input));
    }

    /** The default shadow topic of an input topic: {@code transactions} → {@value #DEFAULT_SHADOW}. */
    public static String shadowOf(String input) {
        return input == null ? null : input + ".shadow";
    }

    /** The five topics of the creditcard path, with the default labels topic. */
    public Topics(String input, String flagged, String clean, String deadLetter, String models) {
        this(input, flagged, clean, deadLetter, models, DEFAULT_LABELS);
    }

    /**
     * Why {@code name} cannot name a Kafka topic, or null when it can: 1 to 249 letters, digits, '.', '_' or '-', not
     * {@code .} or {@code ..} (Kafka's own rules).
     */
    public static String nameProblem(String name) {
        return legal(name, 249) ? null : "invalid topic name '" + name + "' (1 to 249 letters, digits, '.', '_', '-')";
    }

    /**
     * Whether {@code name} is 1 to {@code maxLength} of what a topic name takes, and not {@code .} or {@code ..}: also
     * the rule of an application id, which begins the names of the scorers' internal topics
     * ({@link ScorerConfig#applicationIdProblem}).
     */
    static boolean legal(String name, int maxLength) {
        return name != null && name.matches("[a-zA-Z0-9._-]{1," + maxLength + "}") && !name.equals(".")
                && !name.equals("..");
    }

    /** Checks every name ({@link #nameProblem}) and that no two topics are the same. */
    public Topics(String input, String flagged, String clean, String deadLetter, String models, String labels,
                  String shadow) {
        this.input = input;
        this.flagged = flagged;
        this.clean = clean;
        this.deadLetter = deadLetter;
        this.models = models;
        this.labels = labels;
        this.shadow = shadow;
        for (String t : all()) {
            String problem = nameProblem(t);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
        if (new java.util.HashSet<>(all()).size() != all().size()) {
            throw new IllegalArgumentException("input, flagged, clean, dead-letter, model, labels and shadow topics must "
                    + "all differ");
        }
    }

    /**
     * Every topic, in declaration order: what the constructor checks, and what topic setup creates (the model topic
     * with its own settings). A topic added to the record goes here ({@code ScorerConfigTest} checks that none
     * is left out).
     */
    public java.util.List<String> all() {
        // not List.of: the constructor checks a missing (null) name with the others
        return java.util.Collections.unmodifiableList(java.util.Arrays.asList(input, flagged, clean, deadLetter, models,
                labels, shadow));
    }

    /**
     * The topics a scorer writes every live input record to, exactly one of them per record: its decision or its
     * dead letter (not the shadow topic, which holds a second opinion on a decision already written). What the
     * scorer needs WRITE on, and what a consumer reads to account for every input. {@code FraudTopology} routes to
     * these and the shadow topic.
     */
    public java.util.List<String> outputs() {
        return java.util.List.of(flagged, clean, deadLetter);
    }
}
