package org.fraudscorer.app;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The demo's exact accounting, by identity rather than by count (where a loss and a duplicate cancel out): what the
 * broker acknowledged on the input topic — each well-formed event by its id, each malformed one by its position
 * (partition, offset) — against what came out: each scored record by its id, each dead letter by the source position
 * it carries. Every id must come out as often as it went in (the creditcard demo loops over its rows, so an id can
 * recur; the raw demo's ids are distinct), every malformed event exactly once. Holds every id of the run in memory.
 */
final class DemoLedger {
    /** A record's place in a topic partition. */
    record Position(int partition, long offset) {
    }

    private final String inputTopic;
    private final Function<ProducerRecord<String, byte[]>, String> idOf;
    private final Map<String, Integer> sentIds = new HashMap<>();
    private final Map<Position, Integer> sentBad = new HashMap<>();
    private final Map<String, Integer> scoredIds = new HashMap<>();
    private final Map<Position, Integer> deadLetters = new HashMap<>();

    /** The header that marks the demo's deliberately malformed events (a file's id may start with anything). */
    static final String MALFORMED_HEADER = "fraud-demo-malformed";

    /**
     * @param idOf the id of a well-formed input event (its key, or a field of its value); malformed events are the
     *             ones made by {@link #malformed}
     */
    DemoLedger(String inputTopic, Function<ProducerRecord<String, byte[]>, String> idOf) {
        this.inputTopic = inputTopic;
        this.idOf = idOf;
    }

    /** A producer that enters every acknowledged input record in this ledger. */
    KafkaProducer<String, byte[]> recording(java.util.Properties config) {
        return new KafkaProducer<>(config, new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer()) {
            @Override
            public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
                return super.send(record, (m, e) -> {
                    if (e == null && record.topic().equals(inputTopic)) {
                        sent(record, m);
                    }
                    if (callback != null) {
                        callback.onCompletion(m, e);
                    }
                });
            }
        };
    }

    /** A deliberately malformed event, keyed {@code bad-N} for the reader and marked for this ledger. */
    static ProducerRecord<String, byte[]> malformed(String topic, long n, byte[] value) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, null, System.currentTimeMillis(), "bad-" + n,
                value);
        r.headers().add(MALFORMED_HEADER, new byte[] {1});
        return r;
    }

    synchronized void sent(ProducerRecord<String, byte[]> record, RecordMetadata m) {
        if (record.headers().lastHeader(MALFORMED_HEADER) != null) {
            sentBad.merge(new Position(m.partition(), m.offset()), 1, Integer::sum);
        } else {
            sentIds.merge(Objects.requireNonNull(idOf.apply(record), "id of a well-formed event"), 1, Integer::sum);
        }
    }

    synchronized void scored(String id) {
        scoredIds.merge(String.valueOf(id), 1, Integer::sum);
    }

    synchronized void deadLetter(int sourcePartition, long sourceOffset) {
        deadLetters.merge(new Position(sourcePartition, sourceOffset), 1, Integer::sum);
    }

    /** Input records acknowledged. */
    synchronized long sent() {
        return sentIds.values().stream().mapToLong(Integer::longValue).sum() + sentBad.size();
    }

    /** The differences, empty when every event came out exactly once. */
    synchronized List<String> problems() {
        List<String> p = new ArrayList<>();
        long missing = 0;
        long extra = 0;
        for (Map.Entry<String, Integer> e : sentIds.entrySet()) {
            missing += Math.max(0, e.getValue() - scoredIds.getOrDefault(e.getKey(), 0));
        }
        for (Map.Entry<String, Integer> e : scoredIds.entrySet()) {
            extra += Math.max(0, e.getValue() - sentIds.getOrDefault(e.getKey(), 0));
        }
        long badMissing = sentBad.keySet().stream().filter(k -> !deadLetters.containsKey(k)).count();
        long badTwice = deadLetters.values().stream().filter(n -> n > 1).count();
        long badUnknown = deadLetters.keySet().stream().filter(k -> !sentBad.containsKey(k)).count();
        long badRepeated = sentBad.values().stream().filter(n -> n > 1).count();
        add(p, missing, "events never scored");
        add(p, extra, "scores more than sent");
        add(p, badMissing, "malformed events never dead-lettered");
        add(p, badTwice, "malformed events dead-lettered more than once");
        add(p, badUnknown, "dead letters of no malformed event sent");
        add(p, badRepeated, "input positions acknowledged twice");
        return p;
    }

    /** One line for the demo's summary. */
    synchronized String summary() {
        List<String> p = problems();
        return p.isEmpty()
                ? String.format(Locale.ROOT, "(every event accounted for exactly once: %,d distinct ids scored, %,d malformed "
                        + "events dead-lettered by source offset)", scoredIds.size(), deadLetters.size())
                : "(MISMATCH: " + String.join(", ", p) + ")";
    }

    private static void add(List<String> p, long n, String what) {
        if (n > 0) {
            p.add(n + " " + what);
        }
    }
}
