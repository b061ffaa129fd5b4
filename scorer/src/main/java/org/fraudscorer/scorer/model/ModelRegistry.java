package org.fraudscorer.scorer.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.model.Authenticity;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFormatException;
import org.fraudscorer.common.model.TrustedKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model every stream thread of this instance serves. A record reads {@link #current()} once and is scored
 * wholly by that bundle, so a swap is atomic per record. A candidate replaces the serving model only after its
 * file verified (checksum, format version, shapes) and its feature schema equals the serving one; otherwise it
 * is refused with a log line and a listener call, and the old model keeps serving.
 *
 * <p>With trusted keys, a candidate must also be signed by one of them and its signature must match its content
 * ({@link ModelFile#loadTrusted}); an unsigned model, one signed by an unknown key and one whose signature does not
 * match are refused the same way. Without them, models are not authenticated: the checksum proves a file intact,
 * not who made it.
 */
public final class ModelRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    /** Told about swaps and refusals (metrics, the demo's view). */
    public interface Listener {
        default void swapped(ModelBundle from, ModelBundle to) {
        }

        default void refused(String origin, String reason) {
        }
    }

    private final AtomicReference<ModelBundle> current;
    private final FeatureSchema schema;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final TrustedKeys trusted;

    /** A registry that does not authenticate models (no trusted keys). */
    public ModelRegistry(ModelBundle initial) {
        this(initial, null);
    }

    /**
     * @param initial  the start-up model (its file already verified by the caller, against {@code trusted} if set)
     * @param trusted  the keys every published model must be signed by; null = models are not authenticated
     */
    public ModelRegistry(ModelBundle initial, TrustedKeys trusted) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial model"));
        this.schema = initial.schema();
        this.trusted = trusted;
    }

    /** The keys published models must be signed by, if any. */
    public Optional<TrustedKeys> trustedKeys() {
        return Optional.ofNullable(trusted);
    }

    public ModelBundle current() {
        return current.get();
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    /** Verifies a published model file and serves it if acceptable; returns whether it now serves. */
    public boolean offer(byte[] modelFile, String origin) {
        ModelFile.Loaded candidate;
        try {
            candidate = trusted == null ? ModelFile.load(modelFile, origin, null)
                    : ModelFile.loadTrusted(modelFile, origin, trusted);
        } catch (ModelFormatException e) {
            refuse(origin, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            refuse(origin, "unreadable model: " + e);
            return false;
        }
        return serve(candidate.bundle(), origin, candidate.authenticity());
    }

    /**
     * Serves an already verified bundle if its schema matches. A bundle handed over in code carries no signature,
     * so a registry with trusted keys refuses it.
     */
    public boolean offer(ModelBundle candidate, String origin) {
        if (trusted != null) {
            refuse(origin, "model " + origin + " carries no signature (handed over without its file); only models "
                    + "signed by a trusted key are accepted");
            return false;
        }
        return serve(candidate, origin, null);
    }

    private boolean serve(ModelBundle candidate, String origin, Authenticity authenticity) {
        if (!candidate.schema().equals(schema)) {
            refuse(origin, "feature schema " + candidate.schema().name() + " " + candidate.schema().inputFields()
                    + " differs from the serving schema " + schema.name() + " " + schema.inputFields());
            return false;
        }
        OptionalInt delay = candidate.labelDelayDays();
        OptionalInt serving = current.get().labelDelayDays();
        if (!delay.equals(serving)) {
            // The label state in the stores holds the windows of the serving delay; another would not fit.
            refuse(origin, "label delay " + delay.getAsInt() + " days differs from the serving model's "
                    + serving.getAsInt());
            return false;
        }
        ModelBundle old = current.getAndSet(candidate);
        if (old.sha256() != null && old.sha256().equals(candidate.sha256())) {
            return true;
        }
        LOG.info("model swapped: {} → {} (sha256 {}, signature {}, from {})", old.modelVersion(),
                candidate.modelVersion(), candidate.sha256(),
                authenticity == null ? "not checked" : authenticity.describe(), origin);
        for (Listener l : listeners) {
            l.swapped(old, candidate);
        }
        return true;
    }

    private void refuse(String origin, String reason) {
        LOG.warn("model refused from {}: {} (still serving {})", origin, reason, current.get().modelVersion());
        refusals.add(reason);
        for (Listener l : listeners) {
            l.refused(origin, reason);
        }
    }

    /** Reasons of every refusal so far (for tests and the health endpoint). */
    public List<String> refusals() {
        return new ArrayList<>(refusals);
    }
}
