package org.fraudscorer.scorer.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReference;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.scorer.model.ModelRegistry;

/**
 * The meters of shadow scoring (champion/challenger): events scored by both, how their decisions compare, each one's
 * flag rate over those events, the challenger held, its changes and refusals, and — where labels come back (raw
 * payment events) — each model's live precision and recall over the labelled shadow-scored events. Every ratio is
 * NaN until it has a denominator. Recording a decision or a label increments counters only (no allocation).
 */
public final class ShadowMetrics implements ModelRegistry.Listener {
    /** Bit of a decision pair: the champion flagged the event. */
    public static final int CHAMPION_FLAGGED = 1;
    /** Bit of a decision pair: the challenger flagged the event. */
    public static final int CHALLENGER_FLAGGED = 2;

    private final MeterRegistry registry;
    private final Counter events;
    private final Counter bothFlagged;
    private final Counter bothClean;
    private final Counter championOnly;
    private final Counter challengerOnly;
    private final Counter errors;
    private final Counter published;
    private final Counter demoted;
    private final Counter refusals;
    private final Counter labelsMatched;
    private final Counter labelsUnmatched;
    /** [model: 0 champion, 1 challenger][outcome: 0 tp, 1 fp, 2 fn, 3 tn] */
    private final Counter[][] labelled = new Counter[2][4];
    private final AtomicReference<String> challengerVersion = new AtomicReference<>("none");
    /** The one {@code fraud.shadow.challenger.info} series, while a challenger is held. */
    private Gauge challengerInfo;

    public ShadowMetrics(MeterRegistry registry) {
        this.registry = registry;
        events = Counter.builder("fraud.shadow.events").description("events scored by the champion and the challenger")
                .register(registry);
        bothFlagged = decisions(registry, "both_flagged");
        bothClean = decisions(registry, "both_clean");
        championOnly = decisions(registry, "champion_only");
        challengerOnly = decisions(registry, "challenger_only");
        errors = Counter.builder("fraud.shadow.errors")
                .description("events the challenger failed to score (the champion routed them; no shadow record)")
                .register(registry);
        // one description for the name: Prometheus keeps one HELP line per metric, which read "challengers removed"
        // for both changes (found by the ops hunt)
        String changes = "challengers taken on (change=published) or removed (change=demoted)";
        published = Counter.builder("fraud.shadow.challenger.changes").tag("change", "published")
                .description(changes).register(registry);
        demoted = Counter.builder("fraud.shadow.challenger.changes").tag("change", "demoted")
                .description(changes).register(registry);
        refusals = Counter.builder("fraud.shadow.challenger.refusals").description("published challengers refused")
                .register(registry);
        labelsMatched = Counter.builder("fraud.shadow.labels").tag("matched", "true")
                .description("labels of shadow-scored events whose decisions were still held").register(registry);
        labelsUnmatched = Counter.builder("fraud.shadow.labels").tag("matched", "false")
                .description("labels while shadow scoring whose event's decisions were not (or no longer) held")
                .register(registry);
        String[] models = {"champion", "challenger"};
        String[] outcomes = {"true_positive", "false_positive", "false_negative", "true_negative"};
        for (int m = 0; m < 2; m++) {
            for (int o = 0; o < 4; o++) {
                labelled[m][o] = Counter.builder("fraud.shadow.labelled").tag("model", models[m])
                        .tag("outcome", outcomes[o]).description("labelled shadow-scored events by decision and label")
                        .register(registry);
            }
            int model = m;
            Gauge.builder("fraud.shadow.precision", this, s -> s.ratio(model, 0, 1)).tag("model", models[m])
                    .description("flagged and fraud / flagged, over labelled shadow-scored events").register(registry);
            Gauge.builder("fraud.shadow.recall", this, s -> s.ratio(model, 0, 2)).tag("model", models[m])
                    .description("flagged and fraud / fraud, over labelled shadow-scored events").register(registry);
        }
        Gauge.builder("fraud.shadow.flag.rate", this, s -> s.share(s.bothFlagged.count() + s.championOnly.count()))
                .tag("model", "champion").description("share of shadow-scored events flagged").register(registry);
        Gauge.builder("fraud.shadow.flag.rate", this, s -> s.share(s.bothFlagged.count() + s.challengerOnly.count()))
                .tag("model", "challenger").description("share of shadow-scored events flagged").register(registry);
        Gauge.builder("fraud.shadow.agreement", this, s -> s.share(s.bothFlagged.count() + s.bothClean.count()))
                .description("share of shadow-scored events on which both models decided alike").register(registry);
        Gauge.builder("fraud.shadow.challenger.active", challengerVersion, v -> v.get().equals("none") ? 0 : 1)
                .description("1 while a challenger is held").register(registry);
    }

    private static Counter decisions(MeterRegistry registry, String which) {
        return Counter.builder("fraud.shadow.decisions").tag("decisions", which)
                .description("shadow-scored events by the champion's and the challenger's decisions").register(registry);
    }

    /** The decision pair of one event as bits ({@link #CHAMPION_FLAGGED}, {@link #CHALLENGER_FLAGGED}). */
    public static int decisions(boolean champion, boolean challenger) {
        return (champion ? CHAMPION_FLAGGED : 0) | (challenger ? CHALLENGER_FLAGGED : 0);
    }

    /** One event scored by both models. */
    public void scored(boolean champion, boolean challenger) {
        events.increment();
        (champion ? challenger ? bothFlagged : championOnly : challenger ? challengerOnly : bothClean).increment();
    }

    /** The challenger failed on an event the champion routed. */
    public void error() {
        errors.increment();
    }

    /** Whether a challenger is held now. */
    public boolean active() {
        return !challengerVersion.get().equals("none");
    }

    /**
     * A label of a shadow-scored event, or, while a challenger is held, of an event whose decision is not held.
     *
     * @param decisions the labelled event's decision pair ({@link #decisions(boolean, boolean)}), or −1 if not held
     */
    public void label(int decisions, boolean fraud) {
        if (decisions < 0) {
            labelsUnmatched.increment();
            return;
        }
        labelsMatched.increment();
        outcome(0, (decisions & CHAMPION_FLAGGED) != 0, fraud);
        outcome(1, (decisions & CHALLENGER_FLAGGED) != 0, fraud);
    }

    private void outcome(int model, boolean flagged, boolean fraud) {
        labelled[model][flagged ? fraud ? 0 : 1 : fraud ? 2 : 3].increment();
    }

    /** tp / (tp + other) of a model: precision with {@code other} = false positives, recall with false negatives. */
    private double ratio(int model, int tp, int other) {
        double hits = labelled[model][tp].count();
        double all = hits + labelled[model][other].count();
        return all == 0 ? Double.NaN : hits / all;
    }

    private double share(double count) {
        double n = events.count();
        return n == 0 ? Double.NaN : count / n;
    }

    @Override
    public void challenger(ModelBundle from, ModelBundle to) {
        if (to == null) {
            demoted.increment();
            challengerVersion.set("none");
            challengerInfo = ModelInfo.replace(registry, challengerInfo, "fraud.shadow.challenger.info", null, null);
            return;
        }
        published.increment();
        challengerVersion.set(to.modelVersion());
        challengerInfo = ModelInfo.replace(registry, challengerInfo, "fraud.shadow.challenger.info", to,
                "1: the challenger version (and file) now held");
    }

    @Override
    public void challengerRefused(String origin, String reason) {
        refusals.increment();
    }
}
