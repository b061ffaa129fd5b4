package org.fraudscorer.common.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.Preprocessing;
import org.fraudscorer.common.nn.MLP;

/**
 * Everything a scorer needs to reproduce the trainer's probability for an event, plus where it came from.
 * Immutable once built (the networks' weights are not modified after training); {@link #sha256()} is the
 * checksum of its file content, set when written or read.
 *
 * <p>The model is an ensemble of one or more member networks of the same input size, combined by the mean of
 * their logits: {@code p = sigmoid((z_1 + … + z_K) / K)} (see {@link #COMBINATION}). The mean logit, rather than
 * the mean probability, keeps the combined score a single logit, so the gradient × input explanation of the
 * ensemble is exactly the mean of its members' explanations, and the threshold lives on one sigmoid scale.
 *
 * @param members          the member networks (at least one; {@link #network()} is the first)
 * @param metrics          named metric groups, e.g. {@code validation} → {@code {pr_auc: 0.9}}
 * @param hyperparameters  the training options that produced it
 * @param provenance       library version, data source and size, Java version
 * @param monitoring       the training distribution live traffic is compared with, or null (files before it)
 */
public record ModelBundle(
        String modelVersion,
        Instant createdAt,
        FeatureSchema schema,
        Preprocessing preprocessing,
        List<MLP> members,
        ThresholdInfo threshold,
        long seed,
        Map<String, Map<String, Double>> metrics,
        Map<String, Object> hyperparameters,
        Map<String, Object> provenance,
        MonitoringReference monitoring,
        String sha256) {

    private static final DateTimeFormatter VERSION_FORMAT =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    /** How member logits are combined, as recorded in the model file. */
    public static final String COMBINATION = "mean-logit";
    /** The provenance entry holding {@link #labelDelayDays()}. */
    public static final String LABEL_DELAY_KEY = "delayDays";
    /** More members than any sensible ensemble; refuses absurd files early. */
    public static final int MAX_MEMBERS = 64;

    /**
     * Longest model version: it labels every metric and goes into every output record, so a verified file with a
     * megabyte of version (a JSON string may be that long) grew the metrics page and overflowed the shadow records.
     */
    public static final int MAX_VERSION_LENGTH = 128;

    public ModelBundle {
        if (modelVersion == null || modelVersion.isBlank()) {
            throw new IllegalArgumentException("model version must be set");
        }
        if (modelVersion.length() > MAX_VERSION_LENGTH
                || modelVersion.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("model version must be at most " + MAX_VERSION_LENGTH + " characters, "
                    + "without control characters (it labels every metric and output record); got "
                    + modelVersion.length() + " characters");
        }
        if (members == null || members.isEmpty() || members.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("a model holds 1 to " + MAX_MEMBERS + " member networks, got "
                    + (members == null ? 0 : members.size()));
        }
        members = List.copyOf(members);
        for (int i = 0; i < members.size(); i++) {
            MLP network = members.get(i);
            if (network.inputSize() != schema.featureCount()) {
                throw new IllegalArgumentException("network " + (members.size() == 1 ? "" : "member " + i + " ")
                        + "takes " + network.inputSize() + " inputs but schema " + schema.name() + " has "
                        + schema.featureCount() + " features");
            }
        }
        if (!preprocessing.schema().equals(schema)) {
            throw new IllegalArgumentException("preprocessing was fitted for schema " + preprocessing.schema().name()
                    + ", not " + schema.name());
        }
        metrics = copy(metrics);
        hyperparameters = hyperparameters == null ? Map.of() : new LinkedHashMap<>(hyperparameters);
        provenance = provenance == null ? Map.of() : new LinkedHashMap<>(provenance);
        Object delay = provenance.get(LABEL_DELAY_KEY);
        if (delay != null && !(delay instanceof Number n && n.doubleValue() == n.intValue() && n.intValue() >= 0)) {
            throw new IllegalArgumentException("provenance " + LABEL_DELAY_KEY + " must be a whole number of days ≥ 0, "
                    + "got " + delay);
        }
        if (monitoring != null) {
            monitoring.checkFits(schema);
        }
    }

    /** A bundle without a monitoring reference (the training code adds it with {@link #withMonitoring}). */
    public ModelBundle(String modelVersion, Instant createdAt, FeatureSchema schema, Preprocessing preprocessing,
                       List<MLP> members, ThresholdInfo threshold, long seed, Map<String, Map<String, Double>> metrics,
                       Map<String, Object> hyperparameters, Map<String, Object> provenance, String sha256) {
        this(modelVersion, createdAt, schema, preprocessing, members, threshold, seed, metrics, hyperparameters,
                provenance, null, sha256);
    }

    /** A bundle of one network (what {@code --ensemble 1} and format version 1 files hold). */
    public ModelBundle(String modelVersion, Instant createdAt, FeatureSchema schema, Preprocessing preprocessing,
                       MLP network, ThresholdInfo threshold, long seed, Map<String, Map<String, Double>> metrics,
                       Map<String, Object> hyperparameters, Map<String, Object> provenance, String sha256) {
        this(modelVersion, createdAt, schema, preprocessing, List.of(network), threshold, seed, metrics,
                hyperparameters, provenance, null, sha256);
    }

    /** The event family this model scores (told from its schema). */
    public EventFamily family() {
        return EventFamily.of(schema);
    }

    /**
     * The label delay, in days, that the model's label-fed features were computed with; the scorer's label state
     * must use the same. Empty for a family without label feedback. A file that predates the field gets the
     * family's default ({@link EventFamily#defaultLabelDelayDays()}).
     */
    public OptionalInt labelDelayDays() {
        EventFamily f = family();
        if (!f.labelFeedback()) {
            return OptionalInt.empty();
        }
        Object d = provenance.get(LABEL_DELAY_KEY);
        return OptionalInt.of(d instanceof Number n ? n.intValue() : f.defaultLabelDelayDays());
    }

    /**
     * This bundle with {@link #sha256()} set to the checksum its model file carries, computed from the content
     * (no file round trip); the bundle itself when already set.
     */
    public ModelBundle sealed() {
        return sha256 != null ? this : withSha256(ModelFile.checksum(this));
    }

    /** The first member network (the only one of a single-network model): its shape is every member's input. */
    public MLP network() {
        return members.get(0);
    }

    /** Parameters over all members. */
    public long parameterCount() {
        long n = 0;
        for (MLP m : members) {
            n += m.parameterCount();
        }
        return n;
    }

    private static Map<String, Map<String, Double>> copy(Map<String, Map<String, Double>> m) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        if (m != null) {
            m.forEach((k, v) -> out.put(k, new LinkedHashMap<>(v)));
        }
        return out;
    }

    /** A timestamp-based model version id, e.g. {@code 20261129-010203-456}: sortable and unique per millisecond. */
    public static String versionFor(Instant when) {
        return VERSION_FORMAT.format(when);
    }

    /** The same bundle with its checksum set (used by {@link ModelFile}). */
    ModelBundle withSha256(String sha) {
        return new ModelBundle(modelVersion, createdAt, schema, preprocessing, members, threshold, seed, metrics,
                hyperparameters, provenance, monitoring, sha);
    }

    /** The same bundle carrying {@code reference} (unsealed: the checksum covers it, so it is computed again). */
    public ModelBundle withMonitoring(MonitoringReference reference) {
        return new ModelBundle(modelVersion, createdAt, schema, preprocessing, members, threshold, seed, metrics,
                hyperparameters, provenance, reference, null);
    }

    /**
     * The same bundle with {@code more} provenance entries (replacing any of the same key), sealed again: the
     * checksum, and so a signature, covers the provenance.
     */
    public ModelBundle withProvenance(Map<String, Object> more) {
        Map<String, Object> p = new LinkedHashMap<>(provenance);
        p.putAll(more);
        return new ModelBundle(modelVersion, createdAt, schema, preprocessing, members, threshold, seed, metrics,
                hyperparameters, p, monitoring, null).sealed();
    }

    /**
     * This bundle with the monitoring reference of its own scores on {@code rows} input vectors (row-major, in
     * the schema's input order), sealed: what the trainer ships.
     */
    public ModelBundle monitoredOn(double[] inputs, int rows, String rowsDescription) {
        return withMonitoring(MonitoringReference.fit(this, inputs, rows, rowsDescription)).sealed();
    }

    /** A new per-thread scorer over this bundle (scorers are not thread-safe; bundles are). */
    public ModelScorer newScorer() {
        return new ModelScorer(this);
    }
}
