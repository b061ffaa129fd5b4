package org.fraudscorer.scorer.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.scorer.model.ModelRegistry;

/**
 * The scorer's meters: events by outcome ({@link Outcome}), dead letters by reason, scoring time, end-to-end latency
 * (record timestamp to scoring), probability, flag rate, the serving model version, model swaps and refusals, and for
 * raw events label feedback, late payments and capped card records; with the model-monitoring gauges
 * ({@link ModelMonitoring}) and shadow scoring's ({@link ShadowMetrics}) in the same registry. docs/operations.md lists
 * them all.
 */
public final class ScorerMetrics implements ModelRegistry.Listener {
    /**
     * What became of an input record: the {@code outcome} of {@code fraud_events_total}. The scored outcomes (the
     * decisions) make the flag rate's denominator, the console's events per second ({@code ScorerMetricsReader}) and
     * the no-events-scored alert ({@code monitoring/alerts.yml}, checked by {@code MonitoringFilesTest}).
     */
    public enum Outcome {
        FLAGGED("flagged", true, ""),
        CLEAN("clean", true, ""),
        DEAD_LETTER("dead_letter", false, ""),
        BACKFILLED("backfilled", false, " (history, not scored)");

        private final String tag;
        private final boolean scored;
        private final String note;

        Outcome(String tag, boolean scored, String note) {
            this.tag = tag;
            this.scored = scored;
            this.note = note;
        }

        /** The value of the {@code outcome} tag. */
        public String tag() {
            return tag;
        }

        /** A decision was taken: the record was scored (flagged or not). */
        public boolean scored() {
            return scored;
        }

        /** The tags of the scored outcomes, in declaration order. */
        public static java.util.List<String> scoredTags() {
            return java.util.Arrays.stream(values()).filter(Outcome::scored).map(Outcome::tag).toList();
        }
    }

    private final MeterRegistry registry;
    /** {@code fraud.events}, by {@link Outcome#ordinal()}. */
    private final Counter[] events = new Counter[Outcome.values().length];
    private final Counter cardHistoryCapped;
    private final Counter cardTakenCapped;
    private final Counter lateCard;
    private final Counter lateTerminal;
    private final Timer scoring;
    private final Timer endToEnd;
    private final DistributionSummary probability;
    private final Counter swaps;
    private final Counter refusals;
    private final Counter labelsMatched;
    private final Counter labelsEarly;
    private final Counter labelsUnmatched;
    private final ConcurrentHashMap<String, Counter> dlqByReason = new ConcurrentHashMap<>();
    private final AtomicReference<String> modelVersion = new AtomicReference<>("none");
    /** The one {@code fraud.model.info} series: the serving model's. */
    private Gauge modelInfo;
    private final ModelMonitoring monitoring;
    private final ShadowMetrics shadow;

    public ScorerMetrics(MeterRegistry registry) {
        this(registry, ModelMonitoring.Windows.DEFAULT);
    }

    /** @param windows the sizes of the model-monitoring windows (drift, flag rate, precision and recall) */
    public ScorerMetrics(MeterRegistry registry, ModelMonitoring.Windows windows) {
        this.registry = registry;
        this.monitoring = new ModelMonitoring(registry, windows);
        this.shadow = new ShadowMetrics(registry);
        // one description for every outcome: Prometheus shows one HELP line per name, the first registered
        String described = "input records by outcome: " + java.util.Arrays.stream(Outcome.values())
                .map(o -> o.tag + o.note).collect(java.util.stream.Collectors.joining(", "));
        for (Outcome o : Outcome.values()) {
            events[o.ordinal()] = Counter.builder("fraud.events").tag("outcome", o.tag).description(described)
                    .register(registry);
        }
        scoring = Timer.builder("fraud.scoring.time").description("parse, preprocess, network, decide, serialise")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(500))
                .maximumExpectedValue(Duration.ofMillis(100)).register(registry);
        endToEnd = Timer.builder("fraud.end_to_end.latency").description("record timestamp to scoring time")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5)).register(registry);
        probability = DistributionSummary.builder("fraud.probability").description("fraud probability of scored events")
                .register(registry);
        cardHistoryCapped = Counter.builder("fraud.card_history.capped").description("payments after which a card's "
                + "stored history dropped its oldest payments to stay within one record").register(registry);
        cardTakenCapped = Counter.builder("fraud.card_taken.capped").description("payments after which a card's "
                + "record forgot its oldest payment remembered against duplicates, to stay within one record")
                .register(registry);
        lateCard = late(registry, "card");
        lateTerminal = late(registry, "terminal");
        swaps = Counter.builder("fraud.model.swaps").description("models swapped in live").register(registry);
        refusals = Counter.builder("fraud.model.refusals").description("published models refused").register(registry);
        labelsMatched = Counter.builder("fraud.labels").tag("matched", "true")
                .description("label feedback applied to a payment held in its terminal's history").register(registry);
        labelsUnmatched = Counter.builder("fraud.labels").tag("matched", "false")
                .description("label feedback for a payment not (or no longer) held: unknown or expired").register(registry);
        labelsEarly = Counter.builder("fraud.labels.early").description("label feedback that came before its payment "
                + "and was held for it (each counted in fraud.labels once settled: matched when the payment came, "
                + "unmatched when it came too late, with another time, or not before the history's horizon)")
                .register(registry);
        Gauge.builder("fraud.flag.rate", this, m -> {
            double total = 0;
            for (Outcome o : Outcome.values()) {
                total += o.scored ? m.events[o.ordinal()].count() : 0;
            }
            return total == 0 ? 0 : m.events[Outcome.FLAGGED.ordinal()].count() / total;
        }).description("share of scored events flagged").register(registry);
    }

    public void serving(ModelBundle model) {
        monitoring.serving(model);
        modelVersion.set(model.modelVersion());
        modelInfo = ModelInfo.replace(registry, modelInfo, "fraud.model.info", model,
                "1: the model version (and file) now serving");
    }

    public void label(boolean matched) {
        (matched ? labelsMatched : labelsUnmatched).increment();
    }

    /** A label that came before its payment and waits for it (matched or unmatched later, when it is settled). */
    public void earlyLabel() {
        labelsEarly.increment();
    }

    /**
     * Label feedback for a payment (raw events): its remembered decision goes to the precision/recall window and, if a
     * challenger scored it too, its decision pair to shadow scoring's figures; a label whose decision is not remembered
     * counts as unknown for both (for shadow scoring only while a challenger is held).
     */
    public void labelled(long transactionId, boolean fraud) {
        int pair = monitoring.labelled(transactionId, fraud);
        if (pair >= 0 || pair == DecisionLog.UNKNOWN && shadow.active()) {
            shadow.label(pair, fraud);
        }
    }

    /** One input record more with {@code outcome}. */
    public void count(Outcome outcome) {
        events[outcome.ordinal()].increment();
    }

    public void flagged() {
        events[Outcome.FLAGGED.ordinal()].increment();
    }

    /** A card's stored history reached its record bound and dropped its oldest payments (raw events). */
    public void cardHistoryCapped() {
        cardHistoryCapped.increment();
    }

    private static Counter late(MeterRegistry registry, String history) {
        return Counter.builder("fraud.late_payments").tag("history", history).description("payments scored more than "
                + "a day behind a later payment of the same " + history + ": their windows reach back before what its "
                + "history kept, so they may count fewer payments than the offline replay (raw events)")
                .register(registry);
    }

    /**
     * A payment scored more than a day ({@code HandbookFeatures.LATE_GRACE}) behind a later payment of its card
     * ({@code terminal} false) or terminal: its windows may miss payments the history no longer held (raw events).
     */
    public void latePayment(boolean terminal) {
        (terminal ? lateTerminal : lateCard).increment();
    }

    /** A card's record forgot its oldest remembered payment to stay within its bound (raw events). */
    public void cardTakenCapped() {
        cardTakenCapped.increment();
    }

    public void backfilled() {
        events[Outcome.BACKFILLED.ordinal()].increment();
    }

    public void clean() {
        events[Outcome.CLEAN.ordinal()].increment();
    }

    public void deadLetter(String reason) {
        events[Outcome.DEAD_LETTER.ordinal()].increment();
        dlqByReason.computeIfAbsent(reason, r -> Counter.builder("fraud.dead_letters").tag("reason", r)
                .description("dead letters by reason").register(registry)).increment();
    }

    public void scored(long nanos, double p, long recordTimestamp, long nowMs) {
        scoring.record(nanos, TimeUnit.NANOSECONDS);
        probability.record(p);
        if (recordTimestamp > 0 && nowMs >= recordTimestamp) {
            endToEnd.record(nowMs - recordTimestamp, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void swapped(ModelBundle from, ModelBundle to) {
        swaps.increment();
        serving(to);
    }

    @Override
    public void refused(String origin, String reason) {
        refusals.increment();
    }

    /** Drift, flag rate and precision/recall over sliding windows (see {@link ModelMonitoring}). */
    public ModelMonitoring monitoring() {
        return monitoring;
    }

    /** The meters of shadow scoring, in the same registry (a listener of the model registry in its own right). */
    public ShadowMetrics shadow() {
        return shadow;
    }

    public MeterRegistry registry() {
        return registry;
    }
}
