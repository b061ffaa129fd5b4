package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.junit.jupiter.api.Test;

/** The demo's partition count: a creditcard demo spreads its input evenly over the stream threads. */
class DemoPartitionsTest {

    private static ScorerConfig threads(int n) {
        Properties p = new Properties();
        p.put("bootstrap.servers", "unused:9092");
        p.put("num.stream.threads", String.valueOf(n));
        return new ScorerConfig(Topics.defaults(), p, 16384, 3);
    }

    @Test
    void aCreditcardDemoHasTheLeastMultipleOfTheStreamThreadsFromThreeUp() {
        var creditcard = ModelFixtures.bundle(3);
        assertThat(DemoCommand.partitions(creditcard, threads(1))).isEqualTo(3);
        assertThat(DemoCommand.partitions(creditcard, threads(2))).isEqualTo(4);
        assertThat(DemoCommand.partitions(creditcard, threads(3))).isEqualTo(3);
        assertThat(DemoCommand.partitions(creditcard, threads(4))).isEqualTo(4);
        assertThat(DemoCommand.partitions(creditcard, threads(5))).isEqualTo(5);
        for (int n = 1; n <= 8; n++) {
            int partitions = DemoCommand.partitions(creditcard, threads(n));
            assertThat(org.fraudscorer.scorer.app.TopicSetup.threadBalance("in", partitions, n))
                    .as("no start-up warning with %d threads", n).isNull();
        }
    }
}
