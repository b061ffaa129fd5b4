package org.fraudscorer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code StreamBench --trace-offsets}' sampler against a real broker: input lag against a group's committed offsets,
 * records of an open transaction not yet visible, and the application's transactions (not another application's),
 * before and after the commit.
 */
@ExtendWith(KafkaBrokerExtension.class)
class OffsetSamplerIT {

    @TempDir
    Path dir;

    private static KafkaProducer<byte[], byte[]> producer(TestBroker broker, String transactionalId) {
        Map<String, Object> p = new java.util.HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers()));
        if (transactionalId != null) {
            p.put("transactional.id", transactionalId);
        }
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static List<CSVRecord> rows(Path file, long at) throws Exception {
        try (Reader in = Files.newBufferedReader(file);
             CSVParser csv = CSVParser.parse(in, CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            assertThat(csv.getHeaderNames()).containsExactly("sampled_ms", "what", "name", "value", "state");
            return csv.getRecords().stream().filter(r -> Long.parseLong(r.get("sampled_ms")) == at).toList();
        }
    }

    private static String value(List<CSVRecord> rows, String what, String name) {
        return rows.stream().filter(r -> r.get("what").equals(what) && r.get("name").equals(name))
                .map(r -> r.get("value") + (r.get("state").isEmpty() ? "" : " " + r.get("state")))
                .findFirst().orElse(null);
    }

    @Test
    void lagAgainstCommittedOffsetsAndAnOpenTransactionsRecordsUntilItCommits(TestBroker broker) throws Exception {
        String run = Long.toString(System.nanoTime()); // fresh names: an external broker may keep an earlier run's
        String app = "sampler-app-" + run;
        String input = "sampler.in." + run;
        String output = "sampler.out." + run;
        broker.createTopic(input, 2);
        broker.createTopic(output, 1);
        try (KafkaProducer<byte[], byte[]> plain = producer(broker, null)) {
            for (int i = 0; i < 5; i++) {
                plain.send(new ProducerRecord<>(input, 0, null, new byte[] {(byte) i}));
            }
            for (int i = 0; i < 2; i++) {
                plain.send(new ProducerRecord<>(input, 1, null, new byte[] {(byte) i}));
            }
        }
        Path file = dir.resolve("traces/scorer-offsets.csv");
        String otherApp = "other-app-" + run;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
             KafkaProducer<byte[], byte[]> ours = producer(broker, app + "-process-1");
             KafkaProducer<byte[], byte[]> theirs = producer(broker, otherApp + "-1")) {
            // the application has consumed and committed 2 of partition 0's 5 events, nothing of partition 1's 2
            admin.alterConsumerGroupOffsets(app, Map.of(new TopicPartition(input, 0), new OffsetAndMetadata(2)))
                    .all().get();
            ours.initTransactions();
            ours.beginTransaction();
            for (int i = 0; i < 4; i++) {
                ours.send(new ProducerRecord<>(output, 0, null, new byte[] {(byte) i}));
            }
            ours.flush();
            theirs.initTransactions();
            theirs.beginTransaction();
            theirs.send(new ProducerRecord<>(input + ".other", null, new byte[1]));
            theirs.flush();

            try (OffsetSampler sampler = new OffsetSampler(admin, app, OffsetSampler.partitions(input, 2),
                    OffsetSampler.partitions(output, 1), file)) {
                long first = System.currentTimeMillis();
                assertThat(sampler.sample(first)).isEqualTo(4); // 2 inputs, 1 output, 1 transaction: not theirs
                List<CSVRecord> before = rows(file, first);
                assertThat(value(before, "input_lag", input + "-0")).isEqualTo("3");
                assertThat(value(before, "input_lag", input + "-1")).isEqualTo("2");
                assertThat(value(before, "unstable", output + "-0")).isEqualTo("4");
                String open = value(before, "transaction", app + "-process-1");
                assertThat(open).endsWith(" Ongoing");
                assertThat(Long.parseLong(open.split(" ")[0])).as("ms since the transaction started")
                        .isBetween(0L, 60_000L);
                assertThat(before).noneMatch(r -> r.get("name").startsWith(otherApp));

                ours.commitTransaction();
                // the markers are written after the commit returns: sample until the records are visible
                long deadline = System.currentTimeMillis() + 15_000;
                List<CSVRecord> after;
                do {
                    long at = System.currentTimeMillis() + 1; // distinct from the previous sample's stamp
                    Thread.sleep(20);
                    sampler.sample(at);
                    after = rows(file, at);
                } while (!("0".equals(value(after, "unstable", output + "-0"))
                        && value(after, "transaction", app + "-process-1").endsWith(" CompleteCommit"))
                        && System.currentTimeMillis() < deadline); // the records turn visible before the state does
                assertThat(value(after, "unstable", output + "-0")).as("visible once committed").isEqualTo("0");
                assertThat(value(after, "transaction", app + "-process-1")).endsWith(" CompleteCommit");
                assertThat(value(after, "input_lag", input + "-0")).isEqualTo("3");
            }
            theirs.abortTransaction();
        }
    }
}
