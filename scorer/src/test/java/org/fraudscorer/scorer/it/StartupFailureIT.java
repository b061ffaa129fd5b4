package org.fraudscorer.scorer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.scorer.app.ScorerApp;
import org.fraudscorer.scorer.app.TopicSetup;
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

    /**
     * A scorer that creates no topics, pointed at an input topic that does not exist (a typo), refuses to start with
     * one reason naming the topic and the servers, instead of rebalancing for minutes with the source missing.
     */
    @Test
    void aMissingInputTopicIsNamedAtTheStartWhenTheScorerCreatesNoTopics(TestBroker broker, @TempDir Path stateDir)
            throws Exception {
        Topics created = ItKafka.topics("missing");
        ItKafka.createTopics(broker, created, 1);
        Topics typo = new Topics(created.input() + "-typo", created.flagged(), created.clean(), created.deadLetter(),
                created.models(), created.labels());
        String app = ItKafka.unique("missing-app");
        assertThatThrownBy(() -> ScorerApp.start(ItKafka.scorerConfig(broker, typo, app, stateDir),
                ModelFixtures.bundle(1), new ScorerApp.Options("127.0.0.1", -1, 0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("topic " + typo.input() + " not found on " + broker.bootstrapServers() + ", and this "
                        + "scorer creates no topics (--create-topics 0): create it (or check the name), or start with "
                        + "--create-topics auto");
        assertThat(threadsNamed(app)).isZero();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            // describing created nothing
            assertThat(TopicSetup.visibility(admin, List.of(typo.input(), created.input(), created.clean())).values())
                    .containsExactly(TopicSetup.Visibility.MISSING, TopicSetup.Visibility.PRESENT,
                            TopicSetup.Visibility.PRESENT);
        }
    }
}
