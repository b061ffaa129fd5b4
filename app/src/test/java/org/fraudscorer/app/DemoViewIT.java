package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The demo's live view and its exactly-once check, on a real broker. */
@ExtendWith(KafkaBrokerExtension.class)
class DemoViewIT {

    /**
     * A producer that fails fails the demo: its error was printed, but the check compared counts alone, which balance
     * when nothing (or all it had sent) was counted, so the demo said "accounted for exactly once" and exited 0
     * (found by a review).
     */
    @Test
    @Timeout(60)
    void aProducerThatFailsFailsTheDemoThoughTheCountsBalance(TestBroker broker) throws Exception {
        String p = "view-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = new Topics(p, p + ".flagged", p + ".clean", p + ".dlq", p + ".models", p + ".labels");
        for (String t : new String[] {topics.flagged(), topics.clean(), topics.deadLetter()}) {
            broker.createTopic(t, 1);
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            exit = DemoView.run(out, broker.bootstrapServers(), (bootstrap, running, produced) -> {
                throw new IllegalStateException("no route to the cluster");
            }, 1, topics, ModelFixtures.bundle(3).sealed(), new DemoLedger(topics.input(), ProducerRecord::key));
        }
        assertThat(exit).isEqualTo(1);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("produced 0 events; flagged 0 + clean 0 + dead "
                + "letters 0 = 0 (NOT CHECKED: the producer failed: java.lang.IllegalStateException: no route to the "
                + "cluster)");
    }
}
