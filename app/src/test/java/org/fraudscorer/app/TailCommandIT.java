package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code ./fraud tail} on a real broker: every kind of record one readable line, committed records only. */
@ExtendWith(KafkaBrokerExtension.class)
class TailCommandIT {
    private static final String FLAGGED = "{\"event\":{\"id\":\"row-3\"},\"id\":\"row-3\",\"probability\":0.9805,"
            + "\"threshold\":0.5278,\"decision\":\"FLAGGED\",\"modelVersion\":\"m-1\",\"modelSha256\":\"ab\","
            + "\"scoredAtMs\":1,\"eventTimestampMs\":1,\"topFeatures\":[{\"feature\":\"V14\",\"contribution\":2.0797,"
            + "\"standardisedValue\":-2.3},{\"feature\":\"V11\",\"contribution\":-1.0456,\"standardisedValue\":1.6}]}";
    private static final String DEAD = "{\"reason\":\"MALFORMED_JSON\",\"detail\":\"malformed JSON at byte offset 18\","
            + "\"sourceTopic\":\"transactions\",\"sourcePartition\":0,\"sourceOffset\":3,\"raw\":\"{\"}";
    private static final String SHADOW = "{\"id\":\"row-4\",\"champion\":{\"probability\":0.91,\"threshold\":0.52,"
            + "\"decision\":\"FLAGGED\",\"modelVersion\":\"v1\"},\"challenger\":{\"probability\":0.33,"
            + "\"threshold\":0.5,\"decision\":\"CLEAN\",\"modelVersion\":\"v2\"}}";
    private static final String LABEL = "{\"TRANSACTION_ID\":7,\"TX_FRAUD\":1}";

    @Test
    void printsEveryKindOfRecordAsOneLineAndOnlyCommittedOnes(TestBroker broker) throws Exception {
        String topic = "tail-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopic(topic, 1);
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("transactional.id", topic + "-tx");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "aborted", ("{\"decision\":\"FLAGGED\",\"probability\":1,"
                    + "\"id\":\"never-decided\"}").getBytes(StandardCharsets.UTF_8)));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            for (String v : List.of(FLAGGED, DEAD, SHADOW, LABEL, "not json\nat all \u001b[31mred")) {
                producer.send(new ProducerRecord<>(topic, "k", v.getBytes(StandardCharsets.UTF_8)));
            }
            producer.send(new ProducerRecord<>(topic, "challenger", null));
            producer.commitTransaction();
        }

        CliRun all = CliRun.of("tail", "-b", broker.bootstrapServers(), "--topic", topic, "--from-beginning",
                "--to-end");

        assertThat(all.exitCode()).as(all.err()).isZero();
        List<String> lines = all.out().lines().toList();
        assertThat(lines).hasSize(6).allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z " + topic + "-0@\\d+ .*"));
        assertThat(lines.get(0)).endsWith("FLAGGED id row-3  p 0.9805 (threshold 0.5278)  model m-1  top V14 +2.08, "
                + "V11 -1.05");
        assertThat(lines.get(1)).endsWith("DEAD LETTER MALFORMED_JSON from transactions-0@3: malformed JSON at byte "
                + "offset 18");
        assertThat(lines.get(2)).endsWith("SHADOW id row-4: champion FLAGGED 0.9100 (v1), challenger CLEAN 0.3300 (v2)");
        assertThat(lines.get(3)).endsWith(LABEL);
        // a line break and a terminal escape from the topic are written as escapes: one line, no terminal control
        assertThat(lines.get(4)).endsWith("not json\\u000Aat all \\u001B[31mred");
        assertThat(lines.get(5)).endsWith("key challenger: tombstone");
        assertThat(all.out()).doesNotContain("never-decided").doesNotContain("\u001b");

        CliRun two = CliRun.of("tail", "-b", broker.bootstrapServers(), "--topic", topic, "--from-beginning",
                "--limit", "2", "--raw");
        assertThat(two.exitCode()).as(two.err()).isZero();
        assertThat(two.out().lines().toList()).containsExactly(FLAGGED, DEAD);
        // --raw writes the values' bytes as they are (for jq and the like), tombstones skipped
        CliRun raw = CliRun.of("tail", "-b", broker.bootstrapServers(), "--topic", topic, "--from-beginning",
                "--to-end", "--raw");
        assertThat(raw.exitCode()).as(raw.err()).isZero();
        assertThat(raw.out()).isEqualTo(String.join("\n", FLAGGED, DEAD, SHADOW, LABEL,
                "not json\nat all \u001b[31mred") + System.lineSeparator());

        // only what arrives from now on: nothing, at once, with --to-end
        CliRun fresh = CliRun.of("tail", "-b", broker.bootstrapServers(), "--topic", topic, "--to-end");
        assertThat(fresh.exitCode()).as(fresh.err()).isZero();
        assertThat(fresh.out()).isEmpty();
    }

    @Test
    void aMissingTopicOrABadLimitIsOneLine(TestBroker broker) {
        CliRun missing = CliRun.of("tail", "-b", broker.bootstrapServers(), "--topic", "no-such-topic-here",
                "--to-end");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.errorLines()).isEqualTo("error: topic no-such-topic-here does not exist (or this client "
                + "may not describe it)");
        CliRun limit = CliRun.of("tail", "-b", broker.bootstrapServers(), "--limit", "-1");
        assertThat(limit.exitCode()).isEqualTo(2);
        assertThat(limit.errorLines()).startsWith("error: --limit must be ≥ 0, got -1");
        CliRun uncommitted = CliRun.of("tail", "-b", broker.bootstrapServers(), "-p",
                "isolation.level=read_uncommitted");
        assertThat(uncommitted.exitCode()).isEqualTo(2);
        assertThat(uncommitted.errorLines()).contains("isolation.level");
    }

    /** A model record is shown by its key (its role) and version, not as its whole file; an empty value is said. */
    @Test
    void modelRecordsShowTheirKeyAndVersionAndAnEmptyValueIsSaid(TestBroker broker) throws Exception {
        String topic = "tail-models-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopic(topic, 1);
        String model = "{\"format\":\"fraud-scorer-model\",\"formatVersion\":2,\"sha256\":\"ab\",\"model\":"
                + "{\"modelVersion\":\"20261207-1\",\"schema\":{\"name\":\"creditcard-v1\"},\"members\":[]}}";
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(java.util.Map.of("bootstrap.servers",
                broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "challenger", model.getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topic, "k", new byte[0])).get();
        }
        CliRun r = CliRun.of("tail", "-b", broker.bootstrapServers(), "--topic", topic, "--from-beginning", "--to-end");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        // (a made-up file, which no scorer loads: said at the end)
        assertThat(lines.get(0)).contains(" MODEL key challenger: 20261207-1, schema creditcard-v1, " + model.length()
                + " bytes; REFUSED by every scorer: ");
        assertThat(lines.get(1)).endsWith(" (empty value)");
    }

    /** Partitions added while tail follows the topic are read too (a hunt saw 1 of 3 records: the new ones never). */
    @Test
    void recordsOnPartitionsAddedWhileFollowingAreShown(TestBroker broker) throws Exception {
        String topic = "tail-grow-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopic(topic, 1);
        CliRun r = tailWhile(broker, admin -> {
            admin.createPartitions(java.util.Map.of(topic, org.apache.kafka.clients.admin.NewPartitions.increaseTo(3)))
                    .all().get();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(java.util.Map.of("bootstrap.servers",
                    broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                for (int partition = 0; partition < 3; partition++) {
                    producer.send(new ProducerRecord<>(topic, partition, "k", ("after-growth-" + partition)
                            .getBytes(StandardCharsets.UTF_8))).get();
                }
            }
        }, "--topic", topic, "--limit", "3");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().map(l -> l.substring(l.lastIndexOf(' ') + 1)))
                .containsExactlyInAnyOrder("after-growth-0", "after-growth-1", "after-growth-2");
    }

    /** A topic deleted while tail follows it ends tail with one line (it logged thousands of warnings a second). */
    @Test
    void aTopicDeletedWhileFollowedEndsTailWithOneLine(TestBroker broker) throws Exception {
        String topic = "tail-gone-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopic(topic, 2);
        CliRun r = tailWhile(broker, admin -> admin.deleteTopics(List.of(topic)).all().get(), "--topic", topic);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errorLines()).isEqualTo("error: topic " + topic + " was deleted while tail read it (or this "
                + "client may no longer describe it)");
    }

    /** What a test does to the topic while tail follows it. */
    private interface Meanwhile {
        void run(org.apache.kafka.clients.admin.Admin admin) throws Exception;
    }

    /**
     * Runs {@code tail -b BROKER args} in the background, does {@code meanwhile} once tail has taken its partitions
     * (3 s), and returns tail's run; 60 s at most.
     */
    private static CliRun tailWhile(TestBroker broker, Meanwhile meanwhile, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("tail", "-b", broker.bootstrapServers()));
        command.addAll(List.of(args));
        java.util.concurrent.ExecutorService tailing = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<CliRun> run = tailing.submit(() -> CliRun.of(command.toArray(String[]::new)));
            Thread.sleep(3_000);
            try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                    java.util.Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                meanwhile.run(admin);
            }
            return run.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            tailing.shutdownNow();
        }
    }
}
