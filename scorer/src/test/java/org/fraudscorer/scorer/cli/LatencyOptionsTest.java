package org.fraudscorer.scorer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class LatencyOptionsTest {
    @Command(name = "t")
    static final class Host {
        @Mixin
        LatencyOptions latency;
    }

    private static LatencyOptions parse(String... args) {
        Host h = new Host();
        new CommandLine(h).parseArgs(args);
        return h.latency;
    }

    @Test
    void theProfileFollowsTheGuaranteeInForceAndMinusPWinsOverTheOption() {
        LatencyOptions eos = parse("--profile", "low-latency");
        assertThat(eos.properties(new Properties())).containsEntry("commit.interval.ms", "20");
        LatencyOptions alos = parse("--profile", "low-latency", "--guarantee", "at_least_once");
        assertThat(alos.properties(new Properties())).containsEntry("commit.interval.ms", "1000");
        Properties p = new Properties();
        p.put("processing.guarantee", "at_least_once"); // -p processing.guarantee=at_least_once
        assertThat(eos.properties(p)).containsEntry("commit.interval.ms", "1000");
        assertThat(parse().properties(p)).containsEntry("commit.interval.ms", "100");
    }

    @Test
    void theUsersPropertiesSitOverTheProfileAndAPlainKeyReplacesItsPrefixedOne() {
        Properties user = new Properties();
        user.put("processing.guarantee", "at_least_once");
        user.put("linger.ms", "2");
        user.put("producer.compression.type", "zstd");
        Properties p = parse("--profile", "low-latency").under(user);
        assertThat(p).containsEntry("commit.interval.ms", "1000").containsEntry("linger.ms", "2")
                .doesNotContainKey("producer.linger.ms").containsEntry("producer.compression.type", "zstd")
                .containsEntry("processing.guarantee", "at_least_once");
    }
}
