package org.fraudscorer.scorer.topology;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.common.features.events.TxDateTime;
import org.fraudscorer.scorer.config.Backfill;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.error.DeadLetter;
import org.fraudscorer.scorer.model.ModelRegistry;
import org.fraudscorer.scorer.serde.RejectReason;
import org.fraudscorer.scorer.server.ScorerMetrics;

/**
 * What the customer and terminal stages share: a store of serialised histories, dead letters for events that fail
 * (with the source partition and offset carried from intake; {@link DeadLetterRoute#exit} takes them out of the
 * stream right after the stage), and a daily sweep that keeps the store bounded. Histories drop expired payments
 * whenever they are updated; once a day of event time the sweep removes what is older than the horizon (plus a
 * day's margin for slightly late events) and so could no longer change any feature: the histories of ids that
 * stopped paying. How a history is stored and swept is the stage's ({@link #forget}, {@link #sweep}).
 */
abstract class HistoryStage implements FixedKeyProcessor<Long, Staged, Staged> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HistoryStage.class);
    private final String storeName;
    private final long horizonSeconds;
    final ScorerConfig config;
    final ModelRegistry registry;
    final ScorerMetrics metrics;
    FixedKeyProcessorContext<Long, Staged> context;
    /** The Kafka timestamp of the record being processed (for the dead letters a stage makes in {@link #apply}). */
    long recordTimestamp;
    /** How many of the latest events the sweep's clock takes the earliest of ({@link #sweepIfNewDay}). */
    static final int CLOCK_EVENTS = 8;
    /** The latest {@link #CLOCK_EVENTS} event times, a ring; {@link #seen} of them filled. */
    private final long[] latest = new long[CLOCK_EVENTS];
    private long seen;
    private long sweepClock = Long.MIN_VALUE;
    private long lastSweepDay = Long.MIN_VALUE;
    private long latePayments;

    HistoryStage(String storeName, long horizonSeconds, ScorerConfig config, ModelRegistry registry,
                 ScorerMetrics metrics) {
        this.storeName = storeName;
        this.horizonSeconds = horizonSeconds;
        this.config = config;
        this.registry = registry;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<Long, Staged> context) {
        this.context = context;
        useStore(context.getStateStore(storeName));
    }

    /** Keeps the stage's store, as {@link #init(FixedKeyProcessorContext)} found it by name. */
    abstract void useStore(org.apache.kafka.streams.processor.StateStore store);

    /** Removes the stored history of {@code key}: it failed to load or to update. */
    abstract void forget(long key);

    /** Removes what holds only payments older than {@code cutoff} (epoch seconds). */
    abstract void sweep(long cutoff);

    /**
     * A stored history's newest payment time, for the sweep; {@link Long#MIN_VALUE} (expired) if it cannot be read,
     * so that one unreadable history is deleted instead of failing the stream.
     */
    static long newestOrExpired(byte[] history, java.util.function.ToLongFunction<byte[]> newestTime) {
        try {
            return newestTime.applyAsLong(history);
        } catch (IllegalArgumentException e) {
            return Long.MIN_VALUE;
        }
    }

    @Override
    public final void process(FixedKeyRecord<Long, Staged> record) {
        Staged s = record.value();
        Staged out;
        recordTimestamp = record.timestamp();
        try {
            out = apply(record.key(), s, record.headers());
        } catch (IncompatibleStateException e) {
            throw e; // not this record's fault nor this history's: the scorer must stop, saying why
        } catch (org.apache.kafka.common.KafkaException e) {
            // Kafka's own failure, e.g. an earlier record's send that failed, thrown by the next send (the store's
            // changelog write) and then cleared: Kafka Streams must see it to process again or stop. Taken for a
            // corrupt history it would delete an unrelated history and commit past the record that was lost.
            throw e;
        } catch (RuntimeException e) {
            // A corrupt stored history would refuse every later event of this id: drop it, start afresh.
            forget(record.key());
            LOG.warn("{}: the history of {} is dropped: the {} of payment {} failed on it ({})", storeName,
                    record.key(), s.isEvent() ? "event" : "label", s.transactionId(), e.toString());
            // a label too: dropped with no trace it could not be sent again once the history is repaired
            out = Staged.deadLetter(s.transactionId(), DeadLetterRoute.emit(DeadLetter.processingError(e,
                    DeadLetterRoute.origin(config.topics(), s, record.timestamp()), s.raw(),
                    registry.current().modelVersion()), metrics));
        }
        // Outside the try: what the stages downstream throw is theirs, not a sign that this history is corrupt.
        if (out != null) {
            context.forward(record.withValue(out));
        }
        if (s.isEvent()) {
            sweepIfNewDay(s.epochSeconds());
        }
    }

    /**
     * Counts a payment scored more than {@link HandbookFeatures#LATE_GRACE} behind the newest payment of its history
     * ({@code size} payments, the newest at {@code newest}), and logs the first and every 10,000th: its windows reach
     * back before what the history kept, so they may count fewer payments than the offline replay. Live traffic stays
     * within the grace; a backlog of days replayed at full speed does not (partitions run ahead of one another).
     */
    void noteIfLate(String what, long key, Staged s, int size, long newest) {
        if (size == 0 || s.epochSeconds() >= newest - HandbookFeatures.LATE_GRACE) {
            return;
        }
        metrics.latePayment(what.equals("terminal"));
        if (latePayments++ % 10_000 == 0) {
            LOG.warn("payment {} is {} hours behind the newest payment of {} {}: its windows may miss payments its "
                    + "history no longer holds, so its features may count fewer than offline (a backlog of more than "
                    + "a day replayed at full speed does this; fraud_late_payments_total counts these)",
                    s.transactionId(), (newest - s.epochSeconds()) / 3600, what, key);
        }
    }

    /**
     * The dead letter of a payment too old for the history of {@code key}, whose newest payment is at {@code newest}
     * and which keeps {@code keptSeconds} before it ({@link RejectReason#LATE_EVENT}).
     */
    Staged late(String what, long key, Staged s, long newest, long keptSeconds) {
        // written as TX_DATETIME is (LocalDateTime.toString dropped zero seconds: "2018-05-01T00:00")
        String detail = "TX_DATETIME " + TxDateTime.format(s.epochSeconds()) + " is more "
                + "than " + java.time.Duration.ofSeconds(keptSeconds).toDays() + " days before the newest payment of "
                + what + " " + key + " (" + TxDateTime.format(newest) + "), whose history "
                + "no longer holds its windows: its features would count nothing";
        return Staged.deadLetter(s.transactionId(), DeadLetterRoute.emit(DeadLetter.of(RejectReason.LATE_EVENT, detail,
                DeadLetterRoute.origin(config.topics(), s, recordTimestamp), s.raw(),
                registry.current().modelVersion()), metrics));
    }

    /**
     * Updates the history of {@code key} with the record; returns what to forward, or null for nothing.
     *
     * @param headers the record's Kafka headers (a history event's label rides in them: {@link Backfill})
     */
    abstract Staged apply(long key, Staged s, Headers headers);

    /**
     * Sweeps once per new day of the stage's event-time clock. The clock is not the newest event time seen but the
     * earliest of the latest {@value #CLOCK_EVENTS} events' times, the greatest so far: a payment dated years ahead
     * (accepted when the record-timestamp checks are off, {@code --max-clock-skew-ms 0}) cannot move it, so it cannot
     * sweep away every history of the task; only {@value #CLOCK_EVENTS} such events in a row could. The clock lags the
     * newest event by the time the latest 8 events span: moments in a live stream, a week for a task that sees one
     * event a day (its expired histories then stay a week longer).
     */
    private void sweepIfNewDay(long eventTime) {
        latest[(int) (seen++ % CLOCK_EVENTS)] = eventTime;
        if (seen < CLOCK_EVENTS) {
            return;
        }
        long earliest = Long.MAX_VALUE;
        for (long t : latest) {
            earliest = Math.min(earliest, t);
        }
        sweepClock = Math.max(sweepClock, earliest);
        long day = HandbookFeatures.day(sweepClock);
        if (lastSweepDay == Long.MIN_VALUE) {
            lastSweepDay = day; // no sweep at once: a restart should not scan the store at once
            return;
        }
        if (day <= lastSweepDay) {
            return;
        }
        lastSweepDay = day;
        sweep(sweepClock - horizonSeconds - HandbookFeatures.LATE_GRACE);
    }
}
