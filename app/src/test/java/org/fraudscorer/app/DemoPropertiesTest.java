package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo scorer's Kafka properties: the profile's, under the user's {@code -p}, under what the demo sets itself. */
class DemoPropertiesTest {

    private static Properties scorer(String... args) {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs(args);
        return demo.scorerProperties("localhost:1", Path.of("state"));
    }

    @Test
    void aPropertyOfTheUserSitsOverTheProfile() {
        assertThat(scorer("--profile", "low-latency")).containsEntry("commit.interval.ms", "20")
                .containsEntry("producer.linger.ms", "5").containsEntry("producer.compression.type", "none")
                .containsEntry("processing.guarantee", "exactly_once_v2");
        Properties p = scorer("--profile", "low-latency", "-p", "commit.interval.ms=50", "-p", "linger.ms=2");
        assertThat(p).containsEntry("commit.interval.ms", "50").containsEntry("linger.ms", "2")
                .as("a plain setting of the user replaces the profile's prefixed one")
                .doesNotContainKey("producer.linger.ms")
                .containsEntry("producer.compression.type", "none");
        assertThat(scorer("--guarantee", "at_least_once", "--profile", "low-latency"))
                .containsEntry("commit.interval.ms", "1000").containsEntry("processing.guarantee", "at_least_once");
    }

    @Test
    void theDemoKeepsItsOwnBrokerApplicationStateAndGuarantee() {
        Properties p = scorer("-p", "max.poll.records=100");
        assertThat(p).containsEntry("bootstrap.servers", "localhost:1").containsEntry("application.id", "fraud-demo")
                .containsEntry("state.dir", "state").containsEntry("max.poll.records", "100")
                .containsEntry("commit.interval.ms", "100");
        for (String key : new String[] {"bootstrap.servers", "application.id", "state.dir", "processing.guarantee"}) {
            CliRun r = CliRun.of("demo", "-p", key + "=x");
            assertThat(r.exitCode()).as(key).isEqualTo(2);
            assertThat(r.errorLines()).as(key).startsWith("error: -p " + key + " cannot be set").doesNotContain("\n");
        }
    }

    /** The live view reads what a bank's consumer of the outputs would: committed records, our consumer defaults. */
    @Test
    void theViewReadsCommittedRecordsWithTheProductsConsumerDefaults() {
        assertThat(DemoView.viewConsumerProperties("localhost:1")).containsEntry("bootstrap.servers", "localhost:1")
                .containsEntry("isolation.level", "read_committed").containsEntry("auto.offset.reset", "earliest")
                .containsEntry("receive.buffer.bytes", "-1");
    }
}
