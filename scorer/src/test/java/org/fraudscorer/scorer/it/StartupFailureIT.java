package org.fraudscorer.scorer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.scorer.app.ScorerApp;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scorer whose start-up fails after the model watcher started (here: its metrics port is taken, e.g. by a second
 * instance on the same host) leaves nothing behind: no watcher thread, no stream thread, so no member of the
 * consumer group holding partitions until its session times out.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(120)
class StartupFailureIT {

    private static long threadsNamed(String part) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().contains(part))
                .count();
    }

    @Test
    void aTakenMetricsPortFailsTheStartAndLeavesNothingRunning(TestBroker broker, @TempDir Path stateDir)
            throws Exception {
        Topics topics = ItKafka.topics("startfail");
        ItKafka.createTopics(broker, topics, 1);
        ModelBundle model = ModelFixtures.bundle(1);
        String app = ItKafka.unique("startfail-app");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> ScorerApp.start(ItKafka.scorerConfig(broker, topics, app, stateDir), model,
                    new ScorerApp.Options("127.0.0.1", taken.getLocalPort(), 0)))
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
        }
        ItKafka.await("the watcher and the stream threads gone", Duration.ofSeconds(30),
                () -> threadsNamed("model-watcher") == 0 && threadsNamed(app) == 0);
        assertThat(threadsNamed(app)).isZero();
    }
}
