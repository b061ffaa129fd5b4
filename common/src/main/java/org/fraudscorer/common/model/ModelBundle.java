package org.fraudscorer.common.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.Preprocessing;
import org.fraudscorer.common.nn.MLP;

/**
 * Everything a scorer needs to reproduce the trainer's probability for an event, plus where it came from.
 * Immutable once built (the network's weights are not modified after training); {@link #sha256()} is the
 * checksum of its file content, set when written or read.
 *
 * @param metrics          named metric groups, e.g. {@code validation} → {@code {pr_auc: 0.9}}
 * @param hyperparameters  the training options that produced it
 * @param provenance       library version, data source and size, Java version
 */
public record ModelBundle(
        String modelVersion,
        Instant createdAt,
        FeatureSchema schema,
        Preprocessing preprocessing,
        MLP network,
        ThresholdInfo threshold,
        long seed,
        Map<String, Map<String, Double>> metrics,
        Map<String, Object> hyperparameters,
        Map<String, Object> provenance,
        String sha256) {

    private static final DateTimeFormatter VERSION_FORMAT =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    public ModelBundle {
        if (modelVersion == null || modelVersion.isBlank()) {
            throw new IllegalArgumentException("model version must be set");
        }
        if (network.inputSize() != schema.featureCount()) {
            throw new IllegalArgumentException("network takes " + network.inputSize() + " inputs but schema "
                    + schema.name() + " has " + schema.featureCount() + " features");
        }
        if (!preprocessing.schema().equals(schema)) {
            throw new IllegalArgumentException("preprocessing was fitted for schema " + preprocessing.schema().name()
                    + ", not " + schema.name());
        }
        metrics = copy(metrics);
        hyperparameters = hyperparameters == null ? Map.of() : new LinkedHashMap<>(hyperparameters);
        provenance = provenance == null ? Map.of() : new LinkedHashMap<>(provenance);
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
        return new ModelBundle(modelVersion, createdAt, schema, preprocessing, network, threshold, seed, metrics,
                hyperparameters, provenance, sha);
    }

    /** A new per-thread scorer over this bundle (scorers are not thread-safe; bundles are). */
    public ModelScorer newScorer() {
        return new ModelScorer(this);
    }
}
