package org.fraudscorer.scorer.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
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
 *
 * <p>Beside the champion it may hold one <em>challenger</em> (shadow scoring): published under the model topic's key
 * {@link #CHALLENGER_KEY}, verified exactly as a champion (checksum, trusted keys, schema and label delay equal to the
 * serving ones), scored beside the champion and recorded, never routing a record. A refused challenger changes
 * nothing (the previous one, if any, stays); a tombstone under that key removes it ({@link #demoteChallenger}).
 */
public final class ModelRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    /** Told about swaps and refusals (metrics, the demo's view). */
    public interface Listener {
        default void swapped(ModelBundle from, ModelBundle to) {
        }

        default void refused(String origin, String reason) {
        }

        /** The challenger changed: {@code to} null = demoted, {@code from} null = the first one. */
        default void challenger(ModelBundle from, ModelBundle to) {
        }

        default void challengerRefused(String origin, String reason) {
        }
    }

    /** The model topic's record key of the challenger; every other key publishes a champion. */
    public static final String CHALLENGER_KEY = "challenger";

    private final AtomicReference<ModelBundle> current;
    private final AtomicReference<ModelBundle> challenger = new AtomicReference<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final TrustedKeys trusted;
    private volatile String noChallengers;

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
        this.trusted = trusted;
    }

    /** The keys published models must be signed by, if any. */
    public Optional<TrustedKeys> trustedKeys() {
        return Optional.ofNullable(trusted);
    }

    public ModelBundle current() {
        return current.get();
    }

    /** The challenger scored in the shadow of {@link #current()}, or null when there is none. */
    public ModelBundle challenger() {
        return challenger.get();
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    /** Verifies a published model file and serves it if acceptable; returns whether it now serves. */
    public boolean offer(byte[] modelFile, String origin) {
        return checkChampion(modelFile, origin).map(this::serve).orElse(false);
    }

    /**
     * Verifies a published challenger file as {@link #offer(byte[], String)} verifies a champion, and makes it the
     * challenger if acceptable; returns whether it now shadows the champion.
     */
    public boolean offerChallenger(byte[] modelFile, String origin) {
        return checkChallenger(modelFile, origin).map(this::shadow).orElse(false);
    }

    /**
     * A published model file that verified and fits this registry, not serving yet: the model watcher checks each
     * model it reads while catching up with the topic and serves only the latest that passed (one swap, not one per
     * model still on the topic).
     */
    public record Candidate(ModelBundle bundle, String origin, Authenticity authenticity) {
    }

    /**
     * Checks a champion file as {@link #offer(byte[], String)} does, without serving it: a refusal is logged,
     * remembered and told to the listeners at once; an acceptable file is returned for {@link #serve(Candidate)}.
     */
    public Optional<Candidate> checkChampion(byte[] modelFile, String origin) {
        Checked c = checkChampionQuietly(modelFile, origin);
        if (c.refusal() != null) {
            refuseChampion(origin, c.refusal());
        }
        return Optional.ofNullable(c.candidate());
    }

    /** A file checked without a word: its candidate, or why it is refused ({@link #reportRefusal} tells it later). */
    public record Checked(Candidate candidate, String origin, String refusal, boolean challenger) {
    }

    /**
     * {@link #checkChampion} that reports nothing: a watcher catching up on the topic tells only the refusals that
     * still matter once it has read it all (not those of records a later acceptable one replaced).
     */
    public Checked checkChampionQuietly(byte[] modelFile, String origin) {
        Verified v = verify(modelFile, origin);
        String refusal = v.refusal() != null ? v.refusal() : misfit(v.loaded().bundle());
        return refusal != null ? new Checked(null, origin, refusal, false)
                : new Checked(new Candidate(v.loaded().bundle(), origin, v.loaded().authenticity()), origin, null,
                        false);
    }

    /** {@link #checkChampionQuietly}'s twin for a challenger file. */
    public Checked checkChallengerQuietly(byte[] modelFile, String origin) {
        Verified v = verify(modelFile, origin);
        String refusal = v.refusal() != null ? v.refusal() : noChallengers != null ? noChallengers
                : misfit(v.loaded().bundle());
        return refusal != null ? new Checked(null, origin, refusal, true)
                : new Checked(new Candidate(v.loaded().bundle(), origin, v.loaded().authenticity()), origin, null,
                        true);
    }

    /** Logs, remembers and tells the listeners a refusal found by a quiet check. */
    public void reportRefusal(Checked refused) {
        if (refused.challenger()) {
            refuseChallenger(refused.origin(), refused.refusal());
        } else {
            refuseChampion(refused.origin(), refused.refusal());
        }
    }

    /** {@link #checkChampion}'s twin for a challenger file, for {@link #shadow(Candidate)}. */
    public Optional<Candidate> checkChallenger(byte[] modelFile, String origin) {
        Verified v = verify(modelFile, origin);
        String refusal = v.refusal() != null ? v.refusal() : noChallengers != null ? noChallengers
                : misfit(v.loaded().bundle());
        if (refusal != null) {
            refuseChallenger(origin, refusal);
            return Optional.empty();
        }
        return Optional.of(new Candidate(v.loaded().bundle(), origin, v.loaded().authenticity()));
    }

    /** Serves a checked champion (its fit is checked again against the serving model); whether it now serves. */
    public boolean serve(Candidate c) {
        return serve(c.bundle(), c.origin(), c.authenticity());
    }

    /** Makes a checked challenger the challenger (checked again); whether it now shadows the champion. */
    public boolean shadow(Candidate c) {
        return shadow(c.bundle(), c.origin(), c.authenticity());
    }

    /** {@link #offer(ModelBundle, String)}'s twin for a challenger handed over in code (tests, no trusted keys). */
    public boolean offerChallenger(ModelBundle candidate, String origin) {
        String unsigned = unsignedRefusal(origin);
        if (unsigned != null) {
            refuseChallenger(origin, unsigned);
            return false;
        }
        return shadow(candidate, origin, null);
    }

    /** Removes the challenger, if any (a tombstone under {@link #CHALLENGER_KEY}); the champion is untouched. */
    public void demoteChallenger(String origin) {
        ModelBundle old = challenger.getAndSet(null);
        if (old == null) {
            return;
        }
        LOG.info("challenger {} demoted (from {}); champion {} serves alone", old.modelVersion(), origin,
                current.get().modelVersion());
        for (Listener l : listeners) {
            l.challenger(old, null);
        }
    }

    /** A published model file, loaded and verified, or why it is refused. */
    private record Verified(ModelFile.Loaded loaded, String refusal) {
    }

    private Verified verify(byte[] modelFile, String origin) {
        try {
            return new Verified(trusted == null ? ModelFile.load(modelFile, origin, null)
                    : ModelFile.loadTrusted(modelFile, origin, trusted), null);
        } catch (ModelFormatException e) {
            return new Verified(null, e.getMessage());
        } catch (RuntimeException e) {
            return new Verified(null, "unreadable model: " + e);
        }
    }

    /**
     * Serves an already verified bundle if its schema matches. A bundle handed over in code carries no signature,
     * so a registry with trusted keys refuses it.
     */
    public boolean offer(ModelBundle candidate, String origin) {
        String unsigned = unsignedRefusal(origin);
        if (unsigned != null) {
            refuseChampion(origin, unsigned);
            return false;
        }
        return serve(candidate, origin, null);
    }

    /** Why a bundle handed over without its file is refused (trusted keys are set), or null. */
    private String unsignedRefusal(String origin) {
        return trusted == null ? null : "model " + origin + " carries no signature (handed over without its file); "
                + "only models signed by a trusted key are accepted";
    }

    private boolean serve(ModelBundle candidate, String origin, Authenticity authenticity) {
        String misfit = misfit(candidate);
        if (misfit != null) {
            refuseChampion(origin, misfit);
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

    /**
     * Refuses every challenger from now on with {@code reason} (e.g. the shadow topic is missing: a shadow record
     * would fail the stream thread's transaction), counted and logged as any refusal.
     */
    public void refuseChallengers(String reason) {
        noChallengers = Objects.requireNonNull(reason);
    }

    private boolean shadow(ModelBundle candidate, String origin, Authenticity authenticity) {
        String refusal = noChallengers != null ? noChallengers : misfit(candidate);
        if (refusal != null) {
            refuseChallenger(origin, refusal);
            return false;
        }
        ModelBundle old = challenger.getAndSet(candidate);
        if (old != null && old.sha256() != null && old.sha256().equals(candidate.sha256())) {
            return true;
        }
        LOG.info("challenger {} → {} (sha256 {}, signature {}, from {}): scored beside champion {}, never routing",
                old == null ? "none" : old.modelVersion(), candidate.modelVersion(), candidate.sha256(),
                authenticity == null ? "not checked" : authenticity.describe(), origin, current.get().modelVersion());
        for (Listener l : listeners) {
            l.challenger(old, candidate);
        }
        return true;
    }

    /**
     * Why a verified candidate cannot score this registry's features (another schema or label delay), or null when
     * it can.
     */
    private String misfit(ModelBundle candidate) {
        return misfit(current.get(), candidate);
    }

    /**
     * Why {@code candidate} cannot replace or shadow {@code serving} in a scorer (another feature schema, or another
     * label delay, which the scorer's stores are built for), or null when it can. The one rule, also for tools that
     * judge a model topic as the scorers will ({@code app}'s {@code ModelTopic}).
     */
    public static String misfit(ModelBundle serving, ModelBundle candidate) {
        if (!candidate.schema().equals(serving.schema())) {
            return "feature schema " + candidate.schema().name() + " " + candidate.schema().inputFields()
                    + " differs from the serving schema " + serving.schema().name() + " "
                    + serving.schema().inputFields();
        }
        OptionalInt delay = candidate.labelDelayDays();
        OptionalInt served = serving.labelDelayDays();
        if (!delay.equals(served)) {
            // The label state in the stores holds the windows of the serving delay; another would not fit.
            return "label delay " + days(delay) + " differs from the serving model's " + days(served);
        }
        return null;
    }

    private static String days(OptionalInt delay) {
        return delay.isPresent() ? delay.getAsInt() + " days" : "(none)";
    }

    private void refuseChallenger(String origin, String reason) {
        ModelBundle c = challenger.get();
        LOG.warn("challenger refused from {}: {} (challenger still {})", origin, reason,
                c == null ? "none" : c.modelVersion());
        remember("challenger: " + reason);
        for (Listener l : listeners) {
            l.challengerRefused(origin, reason);
        }
    }

    private void refuseChampion(String origin, String reason) {
        LOG.warn("model refused from {}: {} (still serving {})", origin, reason, current.get().modelVersion());
        remember(reason);
        for (Listener l : listeners) {
            l.refused(origin, reason);
        }
    }

    /** The most refusals {@link #refusals} keeps (a topic that keeps receiving bad files must not grow the heap). */
    static final int REFUSALS_KEPT = 100;

    private synchronized void remember(String reason) {
        refusals.add(reason);
        if (refusals.size() > REFUSALS_KEPT) {
            refusals.remove(0);
        }
    }

    /** Reasons of the latest refusals, oldest first, at most {@link #REFUSALS_KEPT} (for tests and diagnostics). */
    public List<String> refusals() {
        return new ArrayList<>(refusals);
    }
}
