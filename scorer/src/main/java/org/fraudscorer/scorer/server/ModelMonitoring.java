package org.fraudscorer.scorer.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.fraudscorer.common.metrics.PopulationStability;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.MonitoringReference;

/**
 * "Is the model still good?": gauges over sliding windows of this instance's traffic, against the training
 * distribution the model file carries ({@link MonitoringReference}).
 * <ul>
 *   <li>{@code fraud_monitor_psi{feature, model_version}} and {@code fraud_monitor_score_psi{model_version}}: the
 *       population stability index of each feature and of the score over the last {@link Windows#events()} scored
 *       events (NaN until {@link Windows#minEvents()} are in the window);</li>
 *   <li>{@code fraud_monitor_beyond_training{feature, model_version}}: the share of the window's events whose feature
 *       value lies outside its range on the model's reference rows, where the network extrapolates (NaN for a model
 *       file without ranges, or an empty window);</li>
 *   <li>{@code fraud_monitor_flag_rate{model_version}} over the same window, beside
 *       {@code fraud_monitor_reference_flag_rate{model_version}}, the share the model flagged on its reference rows;</li>
 *   <li>{@code fraud_monitor_precision} and {@code fraud_monitor_recall} over the last {@link Windows#labelled()}
 *       labelled events whose decision is remembered (NaN with no flagged or no fraud event in the window), beside
 *       {@code fraud_monitor_reference_precision} and {@code _recall{model_version}}, the model file's validation
 *       figures.</li>
 * </ul>
 * A model swap resets the event window and re-registers the drift gauges under the new version (its reference
 * bins are other bins); events still scored by the old model during the swap are left out. The labelled window is
 * kept: labels arrive days after their decisions, which were made by whichever model served then, so precision
 * and recall carry no version. A label is matched with its decision in bounded memory: the last
 * {@link Windows#decisions()} decisions of this instance; an older one (or one made by another instance before a
 * rebalance) counts as {@code fraud_monitor_labels_total{decision="unknown"}}. The same memory holds each
 * shadow-scored payment's decision pair, which {@link #labelled} hands back for shadow scoring's live figures
 * ({@link ScorerMetrics#labelled}): one memory of decisions, one lookup per label.
 *
 * <p>Per record: a binary search over ≤ 9 edges per feature and a few array writes under one lock; nothing is
 * allocated. Gauges are computed when scraped.
 */
public final class ModelMonitoring {
    /**
     * @param events    scored events in the drift and flag-rate window
     * @param minEvents events the window must hold before a PSI is reported
     * @param labelled  labelled events in the precision/recall window
     * @param decisions decisions remembered for labels to match
     */
    public record Windows(int events, int minEvents, int labelled, int decisions) {
        /**
         * Labelled events in the precision/recall window by default: at the handbook's fraud rate (0.83 %) about 165
         * frauds and 140 alerts. 1,000 held about 8 of each, and a model as good live as on its validation rows had
         * its precision (recall) under the page line of the alert rules in 12 % of the windows (weekly operations).
         */
        public static final int DEFAULT_LABELLED = 20_000;
        public static final Windows DEFAULT = new Windows(10_000, 1_000, DEFAULT_LABELLED, 1 << 18);
        /** Far more decisions than fit a sensible heap (about 35 bytes each). */
        public static final int MAX_DECISIONS = 1 << 27;
        /**
         * Far more events than a drift window needs: its ring holds a byte per event for each feature and the score,
         * in one array (2 billion events overflowed its size: 'error: -129542144' once the scorer had started).
         */
        public static final int MAX_EVENTS = 1 << 24;

        public Windows {
            if (events < 1 || events > MAX_EVENTS || minEvents < 1 || minEvents > events) {
                throw new IllegalArgumentException("the monitoring window must hold 1 to " + MAX_EVENTS
                        + " events, got " + events);
            }
            if (labelled < 1) {
                throw new IllegalArgumentException("the labelled window must hold 1 or more events, got " + labelled);
            }
            if (decisions < 1 || decisions > MAX_DECISIONS) {
                throw new IllegalArgumentException("decisions remembered must be 1 to " + MAX_DECISIONS + ", got "
                        + decisions);
            }
        }
    }

    /** The bits of a ring entry that hold its bin (at most {@link MonitoringReference#MAX_BINS} bins). */
    private static final int BIN = 0x7f;
    /** The bit of a ring entry marking a feature value outside its reference range. */
    private static final int BEYOND = 0x80;

    /** What {@link #labelled} returns for a payment that the champion alone decided. */
    public static final int NOT_SHADOWED = -2;
    /** Bit of a remembered decision: a challenger scored the payment too (its pair is in the bits above). */
    private static final int SHADOWED = 2;
    private static final int TP = 0;
    private static final int FP = 1;
    private static final int FN = 2;
    private static final int TN = 3;

    private final MeterRegistry registry;
    private final Windows windows;
    /** Guards the windows; gauges take it when scraped, so no meter is registered or removed while holding it. */
    private final Object lock = new Object();
    /** Serialises model adoption and the (re)registration of its meters; never taken by a gauge. */
    private final Object meters = new Object();
    private final List<Meter> modelMeters = new ArrayList<>();

    // The event window of the adopted model (written under lock; read without it only to see whether one is set).
    private volatile ModelBundle model;
    private MonitoringReference.Bins[] bins = new MonitoringReference.Bins[0]; // features, then the score
    private int[] offsets = new int[0];
    private int[] sources = new int[0]; // the input index of each feature's source field
    private MonitoringReference.Range[] ranges = new MonitoringReference.Range[0]; // none: a file without them
    private long[] beyond = new long[0]; // per feature: window events outside its range (marked in the ring)
    private long[] counts = new long[0];
    private byte[] ring = new byte[0];
    private final boolean[] ringFlags;
    private int head;
    private int size;
    private long flaggedInWindow;
    private boolean rememberDecisions;

    // The labelled window (guarded by lock).
    private final DecisionLog decisions;
    private final byte[] outcomes;
    private final long[] confusion = new long[4];
    private int labelHead;
    private int labelSize;
    private final Counter labelsKnown;
    private final Counter labelsUnknown;

    public ModelMonitoring(MeterRegistry registry, Windows windows) {
        this.registry = registry;
        this.windows = windows;
        this.ringFlags = new boolean[windows.events()];
        this.decisions = new DecisionLog(windows.decisions());
        this.outcomes = new byte[windows.labelled()];
        labelsKnown = Counter.builder("fraud.monitor.labels").tag("decision", "known")
                .description("labels matched with the remembered decision of their payment").register(registry);
        labelsUnknown = Counter.builder("fraud.monitor.labels").tag("decision", "unknown")
                .description("labels whose payment's decision is not remembered (older than the memory, or "
                        + "scored by another instance)").register(registry);
        gauge("fraud.monitor.precision", m -> m.ratio(TP, FP), "share of flagged events labelled fraud, over the "
                + "labelled window", null).register(registry);
        gauge("fraud.monitor.recall", m -> m.ratio(TP, FN), "share of events labelled fraud that were flagged, "
                + "over the labelled window", null).register(registry);
        gauge("fraud.monitor.labelled.events", m -> m.labelled(), "labelled events in the precision/recall window",
                null).register(registry);
        // precision's and recall's denominators: what the alert rules ask enough of (a window of 1,000 labelled events
        // held about 8 frauds, and its precision and recall were noise)
        gauge("fraud.monitor.labelled.flagged", m -> m.count(TP, FP), "flagged events in the precision/recall window",
                null).register(registry);
        gauge("fraud.monitor.labelled.frauds", m -> m.count(TP, FN), "events labelled fraud in the precision/recall "
                + "window", null).register(registry);
    }

    /** Adopts the model now serving: a new reference, an empty event window, gauges under its version. */
    public void serving(ModelBundle next) {
        synchronized (meters) {
            synchronized (lock) {
                if (next == model) {
                    return;
                }
                if (model != null && next.sha256() != null && next.sha256().equals(model.sha256())) {
                    model = next; // the same file offered again: same reference, keep the window
                    return;
                }
                adopt(next);
            }
            // Outside the window lock: a scrape holds the registry's locks while it calls the gauges, which take it.
            registerModelMeters(next, next.monitoring());
        }
    }

    /** Called by the scoring step for every scored event, with the model it was scored by. */
    public void scored(ModelBundle by, double[] inputs, double probability, boolean flagged) {
        if (model == null) {
            serving(by); // no model announced yet (the app announces its start-up model; some tests do not)
        }
        synchronized (lock) {
            if (by != model) {
                if (by.sha256() == null || !by.sha256().equals(model.sha256())) {
                    return; // scored by the model before a swap: not this window's reference
                }
                model = by;
            }
            int dims = bins.length;
            if (size == ringFlags.length) { // evict the oldest event
                int at = head * dims;
                for (int d = 0; d < dims; d++) {
                    int bin = ring[at + d] & BIN;
                    counts[offsets[d] + bin]--;
                    if (bin != (ring[at + d] & 0xff)) {
                        beyond[d]--;
                    }
                }
                if (ringFlags[head]) {
                    flaggedInWindow--;
                }
            } else {
                size++;
            }
            int at = head * dims;
            int features = dims - 1;
            for (int d = 0; d < features; d++) {
                double v = inputs[sources[d]];
                int b = bins[d].bin(v);
                boolean out = ranges.length > 0 && ranges[d].beyond(v);
                ring[at + d] = (byte) (out ? b | BEYOND : b);
                counts[offsets[d] + b]++;
                if (out) {
                    beyond[d]++;
                }
            }
            if (dims > 0) {
                int b = bins[features].bin(probability);
                ring[at + features] = (byte) b;
                counts[offsets[features] + b]++;
            }
            ringFlags[head] = flagged;
            if (flagged) {
                flaggedInWindow++;
            }
            head = (head + 1) % ringFlags.length;
        }
    }

    /** Remembers a payment's decision for its label (raw events; a family without labels remembers nothing). */
    public void decided(long transactionId, boolean flagged) {
        decided(transactionId, flagged, -1);
    }

    /**
     * Remembers a payment's decision, and its shadow decision pair when it was shadow-scored, for its label: the one
     * memory of decisions that both the precision/recall window and shadow scoring's live figures read.
     *
     * @param shadowPair the champion's and the challenger's decisions ({@link ShadowMetrics#decisions}), or −1 when
     *                   no challenger scored the payment
     */
    public void decided(long transactionId, boolean flagged, int shadowPair) {
        synchronized (lock) {
            if (rememberDecisions) {
                decisions.put(transactionId, (flagged ? 1 : 0) | (shadowPair < 0 ? 0 : SHADOWED | shadowPair << 2));
            }
        }
    }

    /**
     * A label for a payment: with its remembered decision, one more event in the precision/recall window. The
     * decision is used once (a second label for the payment finds nothing).
     *
     * @return the payment's shadow decision pair ({@link ShadowMetrics#decisions}); {@link #NOT_SHADOWED} if the
     *         payment was decided by the champion alone; {@link DecisionLog#UNKNOWN} if its decision is not remembered
     */
    public int labelled(long transactionId, boolean fraud) {
        synchronized (lock) {
            int decision = decisions.take(transactionId);
            if (decision == DecisionLog.UNKNOWN) {
                labelsUnknown.increment();
                return DecisionLog.UNKNOWN;
            }
            labelsKnown.increment();
            byte outcome = (byte) ((decision & 1) == 1 ? (fraud ? TP : FP) : (fraud ? FN : TN));
            if (labelSize == outcomes.length) {
                confusion[outcomes[labelHead]]--;
            } else {
                labelSize++;
            }
            outcomes[labelHead] = outcome;
            confusion[outcome]++;
            labelHead = (labelHead + 1) % outcomes.length;
            return (decision & SHADOWED) == 0 ? NOT_SHADOWED : decision >>> 2;
        }
    }

    private void adopt(ModelBundle next) {
        model = next;
        rememberDecisions = next.family().labelFeedback();
        MonitoringReference ref = next.monitoring();
        int features = ref == null ? 0 : ref.features().size();
        bins = new MonitoringReference.Bins[ref == null ? 0 : features + 1];
        sources = new int[features];
        offsets = new int[bins.length];
        int total = 0;
        for (int d = 0; d < bins.length; d++) {
            bins[d] = d < features ? ref.features().get(d) : ref.score();
            offsets[d] = total;
            total += bins[d].binCount();
        }
        for (int d = 0; d < features; d++) {
            sources[d] = next.schema().inputIndex(next.schema().features().get(d).source());
        }
        ranges = ref == null || ref.ranges() == null ? new MonitoringReference.Range[0]
                : ref.ranges().toArray(MonitoringReference.Range[]::new);
        beyond = new long[features];
        counts = new long[total];
        ring = new byte[windows.events() * bins.length];
        head = 0;
        size = 0;
        flaggedInWindow = 0;
    }

    private void registerModelMeters(ModelBundle next, MonitoringReference ref) {
        for (Meter m : modelMeters) {
            registry.remove(m);
        }
        modelMeters.clear();
        String version = next.modelVersion();
        modelMeters.add(gauge("fraud.monitor.flag.rate", m -> m.windowFlagRate(),
                "share of the events in the window that were flagged", version).register(registry));
        modelMeters.add(gauge("fraud.monitor.window.events", m -> m.windowEvents(),
                "scored events in the drift window", version).register(registry));
        Map<String, Double> validation = next.metrics().get("validation");
        for (String metric : new String[] {"precision", "recall"}) {
            Double value = validation == null ? null : validation.get(metric);
            if (value != null) {
                double expected = value;
                modelMeters.add(gauge("fraud.monitor.reference." + metric, m -> expected, "the model's " + metric
                        + " on its validation rows (out of fold), from the model file", version).register(registry));
            }
        }
        if (ref == null) {
            return; // a model file from before the monitoring reference: no drift to measure against
        }
        modelMeters.add(gauge("fraud.monitor.reference.flag.rate", m -> ref.flagRate(),
                "share of its reference rows the model flagged", version).register(registry));
        int features = ref.features().size();
        for (int d = 0; d <= features; d++) {
            int dim = d;
            boolean score = d == features;
            Gauge.Builder<ModelMonitoring> g = gauge(score ? "fraud.monitor.score.psi" : "fraud.monitor.psi",
                    m -> m.psi(next, dim), score ? "population stability index of the score against its training "
                            + "distribution" : "population stability index of a feature against its training "
                            + "distribution", version);
            if (!score) {
                g.tag("feature", ref.features().get(d).name());
            }
            modelMeters.add(g.register(registry));
            if (!score && ref.ranges() != null) {
                modelMeters.add(gauge("fraud.monitor.beyond.training", m -> m.beyondShare(next, dim), "share of the "
                        + "events in the window whose feature value lies outside its range on the model's reference "
                        + "rows (the network extrapolates there)", version).tag("feature", ref.features().get(d).name())
                        .register(registry));
            }
        }
    }

    private double beyondShare(ModelBundle of, int dim) {
        synchronized (lock) {
            if ((of != model && (of.sha256() == null || !of.sha256().equals(model.sha256()))) || size == 0
                    || ranges.length == 0) {
                return Double.NaN;
            }
            return (double) beyond[dim] / size;
        }
    }

    private Gauge.Builder<ModelMonitoring> gauge(String name, ToDoubleFunction<ModelMonitoring> f, String description,
                                                 String version) {
        Gauge.Builder<ModelMonitoring> g = Gauge.builder(name, this, f).description(description).strongReference(true);
        return version == null ? g : g.tag("model_version", version);
    }

    private double psi(ModelBundle of, int dim) {
        synchronized (lock) {
            if (of != model && (of.sha256() == null || !of.sha256().equals(model.sha256()))) {
                return Double.NaN;
            }
            if (size < windows.minEvents()) {
                return Double.NaN;
            }
            return PopulationStability.psi(bins[dim].expected(), counts, offsets[dim], size);
        }
    }

    private double windowFlagRate() {
        synchronized (lock) {
            return size == 0 ? Double.NaN : (double) flaggedInWindow / size;
        }
    }

    private double windowEvents() {
        synchronized (lock) {
            return size;
        }
    }

    private double labelled() {
        synchronized (lock) {
            return labelSize;
        }
    }

    /** Events of the labelled window with outcome {@code a} or {@code b}. */
    private double count(int a, int b) {
        synchronized (lock) {
            return confusion[a] + confusion[b];
        }
    }

    /** TP / (TP + other), NaN when both are 0. */
    private double ratio(int tp, int other) {
        synchronized (lock) {
            long d = confusion[tp] + confusion[other];
            return d == 0 ? Double.NaN : (double) confusion[tp] / d;
        }
    }
}
