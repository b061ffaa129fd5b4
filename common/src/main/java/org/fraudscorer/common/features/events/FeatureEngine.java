package org.fraudscorer.common.features.events;

/**
 * A raw-event feature set's features ({@link HandbookFeatures.Version}: the handbook's 15 of {@code handbook-v1}, the
 * 17 of {@code handbook-v2}) for a stream of payments, with every card's and terminal's history held in memory.
 * Offline, the trainer replays a file through it; online, the scorer does the same per event but keeps the two
 * histories in key-value stores ({@link CustomerHistory#toBytes()}, {@link TerminalHistory#dayBytes}) and calls
 * {@link #features} with the histories it loaded: both paths run the same code.
 *
 * <p>Order matters: payments must be observed in time order (ties in arrival order) to reproduce the handbook, and
 * a label must be delivered before any payment at or after its payment's time + delay is observed.
 */
public final class FeatureEngine {
    private final int delayDays;
    private final HandbookFeatures.Version version;
    private final LongMap<CustomerHistory> customers = new LongMap<>();
    private final LongMap<TerminalHistory> terminals = new LongMap<>();
    private final java.util.function.LongFunction<TerminalHistory> newTerminal;
    private final CustomerHistory.Scratch scratch = new CustomerHistory.Scratch();

    /** @param version which feature set {@link #onEvent} writes ({@code version.count()} values) */
    public FeatureEngine(int delayDays, HandbookFeatures.Version version) {
        this.version = java.util.Objects.requireNonNull(version, "version");
        if (delayDays < 0) {
            throw new IllegalArgumentException("delay must be ≥ 0 days, got " + delayDays);
        }
        this.delayDays = delayDays;
        this.newTerminal = k -> new TerminalHistory(delayDays); // one lambda, not one per event
    }

    /**
     * Writes the event's features ({@code version().count()} values) into {@code out} and adds it to its card's and
     * terminal's histories.
     */
    public void onEvent(RawEvent e, double[] out) {
        onEvent(e.transactionId(), e.epochSeconds(), e.customerId(), e.terminalId(), e.amount(), out);
    }

    /** Allocation-free form of {@link #onEvent(RawEvent, double[])} (beyond a first-seen card or terminal). */
    public void onEvent(long transactionId, long epochSeconds, long customerId, long terminalId, double amount,
                        double[] out) {
        CustomerHistory c = customers.computeIfAbsent(customerId, k -> new CustomerHistory());
        TerminalHistory t = terminals.computeIfAbsent(terminalId, newTerminal);
        features(version, transactionId, epochSeconds, amount, c, t, out, scratch);
    }

    /**
     * The one feature computation: event features, then the card's, then the terminal's, each history updated with
     * the event. The scorer calls this with histories read from its stores and writes them back afterwards.
     */
    public static void features(HandbookFeatures.Version version, long transactionId, long epochSeconds,
                                double amount, CustomerHistory customer, TerminalHistory terminal, double[] out,
                                CustomerHistory.Scratch scratch) {
        customerStage(version, epochSeconds, amount, customer, out, scratch);
        terminalStage(transactionId, epochSeconds, terminal, out);
    }

    /**
     * The first half of {@link #features}: event and card features ({@code out[0..8]}, and for
     * {@code handbook-v2} the card's amount profile at {@code out[15..16]}). The streaming scorer runs the halves in
     * two stages, because a card's and a terminal's histories live on different partitions.
     */
    public static void customerStage(HandbookFeatures.Version version, long epochSeconds, double amount,
                                     CustomerHistory customer, double[] out,
                                     CustomerHistory.Scratch scratch) {
        HandbookFeatures.eventFeatures(epochSeconds, amount, out);
        customer.observe(epochSeconds, amount, out, HandbookFeatures.CUSTOMER);
        if (version.cardProfile()) {
            customer.profile(epochSeconds, amount, out, HandbookFeatures.PROFILE, scratch);
        }
    }

    /** The second half of {@link #features}: terminal features ({@code out[9..14]}). */
    public static void terminalStage(long transactionId, long epochSeconds, TerminalHistory terminal, double[] out) {
        terminal.observe(epochSeconds, transactionId, out, HandbookFeatures.TERMINAL);
    }

    /**
     * Delivers the label of an earlier payment.
     *
     * @return false if the terminal or the payment is not held (never seen, or older than delay + 30 days)
     */
    public boolean onLabel(long terminalId, long epochSeconds, long transactionId, boolean fraud) {
        TerminalHistory t = terminals.get(terminalId);
        return t != null && t.label(epochSeconds, transactionId, fraud);
    }

    public HandbookFeatures.Version version() {
        return version;
    }

    public int delayDays() {
        return delayDays;
    }

    public int customers() {
        return customers.size();
    }

    public int terminals() {
        return terminals.size();
    }
}
