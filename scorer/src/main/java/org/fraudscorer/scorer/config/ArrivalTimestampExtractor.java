package org.fraudscorer.scorer.config;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The scorer's record time: the record's own timestamp, or for a record without one (a negative timestamp, which
 * clients other than Java's and mirrored old data can write) the time it reached the scorer (its clock). Not the
 * partition's latest time: after a quiet spell that would be stale, and a raw event could look dated after it.
 *
 * <p>Kafka Streams' default extractor throws on such a record before any processor sees it, so the stream thread
 * failed on the same record after every restart until the scorer stopped; an extractor returning the negative time
 * would have the record dropped with only a metric. Stamped this way it is scored (or dead-lettered for its content)
 * like any other, and its outputs carry the time it was given.
 */
public final class ArrivalTimestampExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long timestamp = record.timestamp();
        if (timestamp >= 0) {
            return timestamp;
        }
        return System.currentTimeMillis();
    }
}
