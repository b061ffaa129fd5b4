package org.fraudscorer.scorer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class LatencyProfileTest {

    private static Properties streams(Properties kafka) {
        kafka.put("bootstrap.servers", "localhost:9092");
        return new ScorerConfig(Topics.defaults(), kafka, 16384, 3).streamsProperties();
    }

    @Test
    void theScorerRunsTheThroughputProfileUnlessToldOtherwise() {
        assertThat(LatencyProfile.DEFAULT).isEqualTo(LatencyProfile.THROUGHPUT);
        Properties p = streams(new Properties());
        assertThat(p).containsEntry("commit.interval.ms", "100").containsEntry("producer.linger.ms", "100")
                .containsEntry("producer.compression.type", "lz4");
    }

    @Test
    void aProfileSitsUnderTheUsersOwnProperties() {
        Properties kafka = LatencyProfile.of("low-latency").properties("exactly_once_v2");
        assertThat(streams(kafka)).containsEntry("commit.interval.ms", "20").containsEntry("producer.linger.ms", "5")
                .containsEntry("producer.compression.type", "none");
        Properties overridden = LatencyProfile.of(" Low-Latency ").properties("exactly_once_v2");
        overridden.put("commit.interval.ms", "35"); // what -p commit.interval.ms=35 does after the profile
        assertThat(streams(overridden)).containsEntry("commit.interval.ms", "35");
        // a plain compression.type of the user's beats the profile's prefixed one, as for every product default
        Properties user = new Properties();
        user.put("compression.type", "zstd");
        Properties layered = ScorerConfig.layered(LatencyProfile.LOW_LATENCY.properties("exactly_once_v2"), user);
        assertThat(layered).doesNotContainKey("producer.compression.type").containsEntry("compression.type", "zstd");
    }

    /**
     * A crashed instance's partitions wait for the session timeout: low-latency notices it after 10 s instead of
     * Kafka's 45, under either guarantee, and its stream threads' consumers get it; the user's own value wins;
     * throughput keeps Kafka's.
     */
    @Test
    void lowLatencyNoticesACrashedInstanceAfterTenSecondsUnlessTheUserSaysOtherwise() {
        for (String guarantee : new String[] {"exactly_once_v2", "at_least_once"}) {
            assertThat(streams(LatencyProfile.LOW_LATENCY.properties(guarantee)))
                    .containsEntry("session.timeout.ms", "10000");
        }
        assertThat(streams(new Properties())).doesNotContainKey("session.timeout.ms")
                .doesNotContainKey("main.consumer.session.timeout.ms");
        Properties user = new Properties();
        user.put("session.timeout.ms", "30000");
        assertThat(ScorerConfig.layered(LatencyProfile.LOW_LATENCY.properties("exactly_once_v2"), user))
                .containsEntry("session.timeout.ms", "30000");
        var consumer = new org.apache.kafka.streams.StreamsConfig(streams(LatencyProfile.LOW_LATENCY.properties(
                "exactly_once_v2"))).getMainConsumerConfigs("app", "client", 0);
        assertThat(consumer).containsEntry("session.timeout.ms", "10000");
    }

    @Test
    void anUnknownProfileIsRefusedNamingTheValidOnes() {
        assertThatThrownBy(() -> LatencyProfile.of("fast"))
                .hasMessage("--profile must be low-latency or throughput, got 'fast'");
    }

    @Test
    void lowLatencyUnderAtLeastOnceCommitsEverySecondAndTheDefaultFollowsTheGuaranteeInForce() {
        // Under at-least-once output is visible when sent: commits only cost pauses, so they are rare
        Properties alos = LatencyProfile.LOW_LATENCY.properties("at_least_once");
        assertThat(alos).containsEntry("commit.interval.ms", "1000").containsEntry("producer.linger.ms", "5")
                .containsEntry("producer.compression.type", "none");
        Properties kafka = new Properties();
        kafka.put("processing.guarantee", "at_least_once");
        assertThat(streams(kafka)).containsEntry("commit.interval.ms", "100").containsEntry("producer.linger.ms", "100");
        assertThat(LatencyProfile.THROUGHPUT.properties("at_least_once"))
                .isEqualTo(LatencyProfile.THROUGHPUT.properties("exactly_once_v2"));
    }
}
