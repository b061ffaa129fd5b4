package org.fraudscorer.scorer.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.fraudscorer.common.model.ModelBundle;

/**
 * An info series of a model ({@code version} and {@code sha256} tags, value 1), one at a time: a swap removes the
 * previous model's series, so neither the series nor the models they name pile up over a scorer's life of weekly
 * swaps, and a version republished with another file shows its new checksum. The gauge holds the two strings only,
 * not the model.
 */
final class ModelInfo {
    private ModelInfo() {
    }

    /**
     * Removes {@code previous} (if any) and registers the series of {@code model} (none if null).
     *
     * @return the new series, or null
     */
    static Gauge replace(MeterRegistry registry, Gauge previous, String name, ModelBundle model, String description) {
        if (previous != null) {
            registry.remove(previous);
        }
        if (model == null) {
            return null;
        }
        String version = model.modelVersion();
        String sha256 = model.sha256() == null ? "" : model.sha256();
        return Gauge.builder(name, () -> 1).tag("version", version).tag("sha256", sha256).description(description)
                .register(registry);
    }
}
