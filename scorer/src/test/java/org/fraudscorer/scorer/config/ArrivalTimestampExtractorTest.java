package org.fraudscorer.scorer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.FailOnInvalidTimestamp;
import org.junit.jupiter.api.Test;

/**
 * A record without a timestamp gets the time it arrives (the scorer's clock), where Kafka Streams' default extractor
 * throws; Kafka's TopologyTestDriver and Java producer cannot write such a record, so the extractor is tested alone
 * and the scorer's configuration is checked to use it.
 */
class ArrivalTimestampExtractorTest {

    private static ConsumerRecord<Object, Object> at(long timestamp) {
        return new ConsumerRecord<>("t", 0, 5L, timestamp, org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                0, 0, null, new byte[1], new org.apache.kafka.common.header.internals.RecordHeaders(),
                java.util.Optional.empty());
    }

    @Test
    void aRecordsOwnTimestampWinsAndAMissingOneBecomesTheTimeItArrives() {
        ArrivalTimestampExtractor e = new ArrivalTimestampExtractor();
        assertThat(e.extract(at(1_700_000_000_000L), 1_800_000_000_000L)).isEqualTo(1_700_000_000_000L);
        assertThat(e.extract(at(0L), 1_800_000_000_000L)).isZero();
        long before = System.currentTimeMillis();
        long quiet = e.extract(at(-1L), 1_000_000_000_000L); // a partition quiet since 2001: not its stale time
        long first = e.extract(at(-1L), -1L); // the partition's first record: no partition time yet
        long after = System.currentTimeMillis();
        assertThat(quiet).isBetween(before, after);
        assertThat(first).isBetween(before, after);
    }

    @Test
    void theScorerUsesItWhereKafkaStreamsDefaultWouldFailTheThread() {
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", "unused:9092");
        assertThat(new ScorerConfig(Topics.defaults(), kafka, 16_384, 3).streamsProperties()
                .getProperty(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG))
                .isEqualTo(ArrivalTimestampExtractor.class.getName());
        assertThatThrownBy(() -> new FailOnInvalidTimestamp().extract(at(-1L), 1_800_000_000_000L))
                .isInstanceOf(StreamsException.class);
    }
}
