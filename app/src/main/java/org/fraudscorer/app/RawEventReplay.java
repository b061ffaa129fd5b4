package org.fraudscorer.app;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.scorer.config.Backfill;
import org.fraudscorer.scorer.serde.RawEventJson;
import org.fraudscorer.trainer.data.RawEvents;

/**
 * Sends raw payment events in time order, and, with labels, each payment's label feedback {@code delay} days after
 * it in event time. A replay compresses time, so "later" is measured on the events' own clock: the label of payment
 * p is sent right before the first event whose time is ≥ p.time + delay (what the offline replay assumes, so live
 * and offline features agree). Events are keyed by card, so a card's events stay in order on one partition.
 *
 * <p>Built by {@link #of} and refined by the {@code with…} methods; by default it sends events only, as fast as
 * possible, to the end of the data.
 *
 * @param labelsTopic     where label feedback goes, {@code delayDays} after each payment; null: no label feedback
 * @param eventLabels     also put TX_FRAUD into each event (the scorer ignores it; the demo's view uses it)
 * @param limit           stop after this many events (0 = no limit)
 * @param badRatio        share of malformed events mixed in (drawn with {@code seed})
 * @param historyRun      0: live events; else the events are history of this backfill run ({@link #asHistory})
 */
record RawEventReplay(RawEvents events, String inputTopic, String labelsTopic, int delayDays, boolean eventLabels,
                      double rate, long limit, double badRatio, long seed, long historyRun, long eventsFrom,
                      long labelsUntil) {

    /** Events only, no labels, as fast as possible, the whole data. */
    static RawEventReplay of(RawEvents events, String inputTopic) {
        return new RawEventReplay(events, inputTopic, null, 0, false, 0, 0, 0, 0, 0, Long.MIN_VALUE,
                Long.MIN_VALUE);
    }

    /** Also sends each payment's label to {@code labelsTopic} {@code delayDays} after it, in event time. */
    RawEventReplay withLabelFeedback(String labelsTopic, int delayDays) {
        return new RawEventReplay(events, inputTopic, java.util.Objects.requireNonNull(labelsTopic), delayDays,
                eventLabels, rate, limit, badRatio, seed, historyRun, eventsFrom, labelsUntil);
    }

    /** Also puts TX_FRAUD into each event. */
    RawEventReplay withEventLabels() {
        return new RawEventReplay(events, inputTopic, labelsTopic, delayDays, true, rate, limit, badRatio, seed,
                historyRun, eventsFrom, labelsUntil);
    }

    /** Paces the events to {@code rate} per second (0 = as fast as possible) and stops after {@code limit} (0 = all). */
    RawEventReplay paced(double rate, long limit) {
        return new RawEventReplay(events, inputTopic, labelsTopic, delayDays, eventLabels, rate, limit, badRatio, seed,
                historyRun, eventsFrom, labelsUntil);
    }

    /** Mixes in malformed events, a share {@code badRatio} of the stream, drawn with {@code seed}. */
    RawEventReplay withBadEvents(double badRatio, long seed) {
        return new RawEventReplay(events, inputTopic, labelsTopic, delayDays, eventLabels, rate, limit, badRatio, seed,
                historyRun, eventsFrom, labelsUntil);
    }
    /**
     * Sends the events as history for {@code ./fraud backfill}: each carries the {@link Backfill} header, so the
     * scorer stores it and emits no decision, and, when the data has labels, its own label in the same record
     * (never on the labels topic, where it could overtake its payment). Each call is a new run ({@link
     * Backfill#newRun}): the scorer stores once what two runs over the same days send.
     */
    RawEventReplay asHistory() {
        return new RawEventReplay(events, inputTopic, labelsTopic, delayDays, eventLabels, rate, limit, badRatio, seed,
                Backfill.newRun(), eventsFrom, labelsUntil);
    }

    private boolean history() {
        return historyRun != 0;
    }

    /**
     * A run over one stretch of time, so that runs over consecutive stretches send, together, what one run over all
     * of them would, in the same order: events only from {@code eventsFrom} (epoch seconds; the events before it are
     * there for their labels, due in the stretch), and, once the events ran out, the labels still due before
     * {@code labelsUntil} (the stretch's end; {@link Long#MIN_VALUE}: none, the data's end is the stretch's).
     */
    RawEventReplay within(long eventsFrom, long labelsUntil) {
        return new RawEventReplay(events, inputTopic, labelsTopic, delayDays, eventLabels, rate, limit, badRatio, seed,
                historyRun, eventsFrom, labelsUntil);
    }

    static final String[] BAD_EVENTS = {"{\"TRANSACTION_ID\": 1, \"TX_AMOUNT\": ", "not json at all", "[1,2,3]",
            "{\"TRANSACTION_ID\":1,\"TX_DATETIME\":\"yesterday\",\"CUSTOMER_ID\":1,\"TERMINAL_ID\":1,\"TX_AMOUNT\":1}",
            "{\"TRANSACTION_ID\":1,\"TX_DATETIME\":0,\"CUSTOMER_ID\":1,\"TERMINAL_ID\":1,\"TX_AMOUNT\":-5}", "{}"};

    /** Sends until the events end, {@code limit} events were sent or {@code running} turns false; returns events sent. */
    long send(Producer<String, byte[]> producer, AtomicBoolean running, AtomicLong produced)
            throws InterruptedException {
        int[] order = events.isTimeOrdered() ? null : events.timeOrder();
        long delay = delayDays * HandbookFeatures.DAY;
        SplittableRandom rng = new SplittableRandom(seed);
        long sent = 0;
        long start = System.nanoTime();
        int labelled = 0;
        int k = 0;
        for (; k < events.size() && running.get() && (limit <= 0 || sent < limit); k++) {
            int i = order == null ? k : order[k];
            for (; labelsTopic != null && !history() && labelled < k; labelled++) {
                int j = order == null ? labelled : order[labelled];
                if (events.time(j) + delay > events.time(i)) {
                    break;
                }
                if (events.time(j) + delay >= eventsFrom) { // else due before the stretch: the run before sent it
                    sendLabel(producer, j);
                }
            }
            if (events.time(i) < eventsFrom) {
                continue; // before the stretch: here for its label only
            }
            if (badRatio > 0 && rng.nextDouble() < badRatio) {
                producer.send(DemoLedger.malformed(inputTopic, sent,
                        BAD_EVENTS[rng.nextInt(BAD_EVENTS.length)].getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                sent++;
                produced.set(sent);
            }
            byte[] json = RawEventJson.event(events.id(i), events.time(i), events.customer(i), events.terminal(i),
                    events.amount(i));
            if (eventLabels && events.label(i) != RawEvents.UNKNOWN) {
                String s = new String(json, java.nio.charset.StandardCharsets.US_ASCII);
                json = (s.substring(0, s.length() - 1) + ",\"TX_FRAUD\":" + events.label(i) + "}")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }
            ProducerRecord<String, byte[]> event = new ProducerRecord<>(inputTopic, null,
                    System.currentTimeMillis(), Long.toString(events.customer(i)), json);
            if (history()) {
                Backfill.mark(event.headers(), historyRun, events.label(i)); // an unknown label (−1) is not sent
            }
            producer.send(event);
            sent++;
            produced.set(sent);
            Pacing.await(start, sent, rate);
        }
        // the stretch's end, not its last event, is when its labels stop
        for (; labelsTopic != null && !history() && k == events.size() && labelled < k; labelled++) {
            int j = order == null ? labelled : order[labelled];
            if (events.time(j) + delay >= labelsUntil) {
                break;
            }
            if (events.time(j) + delay >= eventsFrom) {
                sendLabel(producer, j);
            }
        }
        producer.flush();
        return sent;
    }

    private void sendLabel(Producer<String, byte[]> producer, int j) {
        if (events.label(j) == RawEvents.UNKNOWN) {
            return; // its verdict is not in the file: none is sent, as none would be in production
        }
        producer.send(new ProducerRecord<>(labelsTopic, Long.toString(events.terminal(j)),
                RawEventJson.label(events.id(j), events.time(j), events.terminal(j), events.label(j) == 1)));
    }
}
