package org.fraudscorer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code StreamBench --bootstrap-servers}: the whole benchmark, briefly, against a broker it did not start (the test's
 * real broker), as against a user's cluster or a {@code ./fraud broker} in its own JVM. It must measure there, leave
 * a same-named topic of someone else's untouched, and delete what it created.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StreamBenchGivenClusterIT {

    @TempDir
    Path dir;

    @Test
    void measuresOnAGivenClusterWithoutTouchingItsTopicsAndDeletesItsOwn(TestBroker broker) throws Exception {
        // A topic with the name the embedded mode would use: the run must neither write to it nor delete it.
        broker.createTopic("scorer.transactions", 1);
        Set<String> before;
        Set<String> groupsBefore;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            before = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            groupsBefore = groupIds(admin);
        }
        Path json = dir.resolve("given.json");
        // Connection settings every client of the run must accept (this broker is plaintext).
        Path config = Files.writeString(dir.resolve("client.properties"),
                "security.protocol=PLAINTEXT\nclient.dns.lookup=use_all_dns_ips\n");

        int code = StreamBench.commandLine(StreamBench::run).execute("--bootstrap-servers", broker.bootstrapServers(),
                "--config", config.toString(),
                "--modes", "passthrough,scorer", "--rate", "400", "--seconds", "4", "--warmup", "1", "--rounds", "1",
                "--backlog", "2000", "--warmup-rounds", "0", "--warmup-max", "0", "--partitions", "2",
                "--profile", "low-latency", "--json", json.toString());

        assertThat(code).isZero();
        JsonNode out = new ObjectMapper().readTree(Files.readString(json));
        assertThat(out.get("broker").asText()).isEqualTo(broker.bootstrapServers());
        assertThat(out.get("warmup_passes").asInt()).isZero();
        assertThat(out.get("warmup_last_jit_share").isNull()).as("no pass, no share (and valid JSON)").isTrue();
        assertThat(out.get("partitions").asInt()).isEqualTo(2);
        assertThat(out.get("results")).hasSize(2);
        for (JsonNode r : out.get("results")) {
            assertThat(r.get("capacity_eps").asDouble()).as(r.get("mode").asText()).isPositive();
            assertThat(r.get("latency_samples").asLong()).as(r.get("mode").asText()).isPositive();
            assertThat(r.get("p99_ms").asDouble()).as(r.get("mode").asText()).isPositive();
            // every event due in the measured 3 s at 400/s is measured, from when it was due: never earlier than
            // from when it was sent, so the p99 is at least the one taken from the send
            assertThat(r.get("missing_in_window").asLong()).as(r.get("mode").asText()).isZero();
            assertThat(r.get("latency_samples").asLong()).as(r.get("mode").asText()).isBetween(1_199L, 1_201L);
            assertThat(r.get("p99_ms").asDouble()).as(r.get("mode").asText())
                    .isGreaterThanOrEqualTo(r.get("p99_from_send_ms").asDouble());
            assertThat(r.get("send_lag_max_ms").asDouble()).as(r.get("mode").asText()).isNotNegative();
            // at most what was offered, less only by how much longer than the window the events took to arrive
            assertThat(r.get("sustained_eps").asDouble()).as(r.get("mode").asText()).isPositive()
                    .isLessThanOrEqualTo(400.0);
            JsonNode cpu = r.get("capacity_cpu_per_event");
            assertThat(cpu.get("broker_us").isNull()).as("the broker is not the benchmark's: not in its accounts")
                    .isTrue();
            assertThat(cpu.get("other_threads_us").isNumber()).as(r.get("mode").asText()).isTrue();
            assertThat(cpu.get("other_topologies_us").isNumber()).as(r.get("mode").asText()).isTrue();
        }
        JsonNode scorer = out.get("results").get(1);
        assertThat(scorer.get("mode").asText()).isEqualTo("scorer");
        assertThat(scorer.get("flagged").asLong() + scorer.get("clean").asLong())
                .as("the backlog round's 2,000 events and the latency run's, scored").isGreaterThan(2000);
        assertThat(scorer.get("dlq").asLong()).isZero();

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .as("the run's topics deleted, the others kept").isEqualTo(before).contains("scorer.transactions");
            assertThat(groupIds(admin)).as("the run's consumer groups deleted").isEqualTo(groupsBefore);
            TopicPartition theirs = new TopicPartition("scorer.transactions", 0);
            long end = admin.listOffsets(Map.of(theirs, OffsetSpec.latest())).partitionResult(theirs)
                    .get(30, TimeUnit.SECONDS).offset();
            assertThat(end).as("nothing written to a topic the run did not create").isZero();
        }
    }

    private static Set<String> groupIds(Admin admin) throws Exception {
        return admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream().map(g -> g.groupId())
                .collect(Collectors.toSet());
    }
}
