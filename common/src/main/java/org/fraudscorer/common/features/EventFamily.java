package org.fraudscorer.common.features;

import java.util.Collection;
import java.util.List;
import org.fraudscorer.common.features.events.HandbookFeatures;

/**
 * The kinds of events the product scores, and the one place that tells them apart. Each family has the feature
 * schema new models are trained with ({@link #schema()}) and may read older ones ({@link #schemas()}); a file is told
 * from its header ({@link #ofColumns}), a model from its schema ({@link #of}).
 *
 * <p>The halves that need Kafka or the trainer live in their own modules, each with a single {@code switch} over
 * this enum: the trainer's commands ({@code trainer.cli.DataFamily}), the scorer's topology
 * ({@code scorer.topology.FraudTopology}) and the app's replay and demo ({@code app.AppFamily}). The switches are
 * exhaustive, so a new family does not compile until every module has its half. Elsewhere a question about a family
 * is asked through its properties ({@link #labelFeedback()}, {@link #keepsState()}) rather than by naming one
 * (telling a file's format apart, {@link #ofColumns}, is another matter).
 */
public enum EventFamily {
    /**
     * Kaggle/ULB {@code creditcard.csv} rows: {@code Time, V1..V28, Amount[, Class]}. Every feature is on the event
     * itself, so scoring needs no state.
     */
    CREDITCARD(List.of(FeatureSchema.CREDITCARD), false, false, "creditcard-format rows"),
    /**
     * Raw payment events of the fraud-detection handbook: {@code TRANSACTION_ID, TX_DATETIME, CUSTOMER_ID,
     * TERMINAL_ID, TX_AMOUNT[, TX_FRAUD]}. The features come from the card's and the terminal's histories, and the
     * terminal's risk from labels that arrive a fixed delay after their payment.
     */
    RAW_EVENTS(HandbookFeatures.Version.newestFirst().stream().map(FeatureSchema::of).toList(), true, true,
            "raw payment events (handbook format)");

    /** The columns that mark a file (or a header line) as raw payment events. */
    public static final List<String> RAW_EVENT_COLUMNS = List.of("TRANSACTION_ID", "TX_DATETIME", "CUSTOMER_ID",
            "TERMINAL_ID", "TX_AMOUNT");

    private final List<FeatureSchema> schemas;
    private final boolean labelFeedback;
    private final boolean keepsState;
    private final String description;

    EventFamily(List<FeatureSchema> schemas, boolean labelFeedback, boolean keepsState, String description) {
        this.schemas = schemas;
        this.labelFeedback = labelFeedback;
        this.keepsState = keepsState;
        this.description = description;
    }

    /** The schema new models of this family are trained with (the newest). */
    public FeatureSchema schema() {
        return schemas.get(0);
    }

    /** Every schema a model of this family may have, newest first; the scorer serves each with its own features. */
    public List<FeatureSchema> schemas() {
        return schemas;
    }

    /**
     * True when features depend on labels fed back after a delay: the model file then records its label delay
     * ({@code ModelBundle.labelDelayDays()}), and a scorer keeps label state.
     */
    public boolean labelFeedback() {
        return labelFeedback;
    }

    /**
     * True when the scorer keeps per-card and per-terminal state: state stores with their changelog and repartition
     * topics (so internal topics and the input's keys matter), several tasks per input partition. False when every
     * feature is on the event: one stateless task per input partition, so the partitions' spread over the stream
     * threads sets the latency tail.
     */
    public boolean keepsState() {
        return keepsState;
    }

    /** A short name for messages, e.g. "creditcard-format rows". */
    public String description() {
        return description;
    }

    /** The label delay of a model of this family whose file does not record one (files written before it did). */
    public int defaultLabelDelayDays() {
        return HandbookFeatures.DEFAULT_DELAY_DAYS;
    }

    /** The family of a model's schema; refuses a schema no family reads. */
    public static EventFamily of(FeatureSchema schema) {
        for (EventFamily f : values()) {
            if (f.schemas.contains(schema)) {
                return f;
            }
        }
        throw new IllegalArgumentException("feature schema " + schema.name() + " belongs to no event family this "
                + "build knows");
    }

    /**
     * The family of a file from its header's column names: raw events when it names their five columns, or more of
     * them than of the creditcard inputs (names compared ignoring case), so that a raw-event file short of a column
     * or with one misspelt is read as raw events and refused naming the column (it was read as creditcard rows:
     * "unknown column 'TRANSACTION_ID' (expected Time, V1..V28, Amount...").
     */
    public static EventFamily ofColumns(Collection<String> columns) {
        return columns.containsAll(RAW_EVENT_COLUMNS)
                || named(columns, RAW_EVENT_COLUMNS) > named(columns, FeatureSchema.CREDITCARD.inputFields())
                ? RAW_EVENTS : CREDITCARD;
    }

    private static long named(Collection<String> columns, List<String> names) {
        return names.stream().filter(n -> columns.stream().anyMatch(n::equalsIgnoreCase)).count();
    }

    /**
     * Refuses a model of another family for data of this one, naming both.
     *
     * @param modelVersion the model's version, for the message
     * @param data         where the data comes from, for the message
     */
    public void requireModel(FeatureSchema modelSchema, String modelVersion, String data) {
        if (!schemas.contains(modelSchema)) {
            throw new IllegalArgumentException("model " + modelVersion + " uses feature schema " + modelSchema.name()
                    + ", but " + data + " holds " + description + " (schema " + schema().name() + "): train a model on "
                    + "this data");
        }
    }
}
