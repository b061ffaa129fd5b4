package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.TrustedKeys;
import org.fraudscorer.scorer.app.ScorerApp;
import org.fraudscorer.scorer.config.ScorerConfig;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signing round trip on a real broker: {@code keygen} → {@code train --signing-key} → {@code inspect
 * --trusted-keys} → {@code publish}; a running scorer with the team's public key swaps to the team's model and
 * refuses one signed by another key (refusal counted, the old model keeps serving).
 */
@ExtendWith(KafkaBrokerExtension.class)
class SignedModelPublishIT {
    @TempDir
    Path dir;

    @Test
    void shouldSwapToTheTeamsSignedModelAndRefuseAStrangersOne(TestBroker broker) throws Exception {
        // Given a team key, a stranger's key and two models trained and signed through the CLI
        Path data = MadeUpTransactions.write(dir.resolve("rows.csv"), 1_000, 0.05, 7);
        Path keys = dir.resolve("keys");
        assertThat(CliRun.of("keygen", "--out", keys.toString(), "--name", "team").exitCode()).isZero();
        assertThat(CliRun.of("keygen", "--out", dir.resolve("stranger").toString()).exitCode()).isZero();
        Path v1 = CliRun.quickModel(data, "v1.json", "1", "--signing-key", keys.resolve("team.key").toString());
        Path v2 = CliRun.quickModel(data, "v2.json", "2", "--signing-key", keys.resolve("team.key").toString());
        CliRun inspect = CliRun.of("inspect", "--model", v2.toString(), "--trusted-keys", keys.toString());
        assertThat(inspect.exitCode()).as(inspect.err()).isZero();
        assertThat(inspect.out()).contains("verified with trusted key " + keys.resolve("team.pub"));

        String p = "signed-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = new Topics(p + ".in", p + ".flagged", p + ".clean", p + ".dlq", p + ".models");
        for (String t : List.of(topics.input(), topics.flagged(), topics.clean(), topics.deadLetter())) {
            broker.createTopic(t, 1);
        }
        broker.createTopic(topics.models(), 1, Map.of("cleanup.policy", "compact"));
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", broker.bootstrapServers());
        kafka.put("application.id", p);
        kafka.put("state.dir", Files.createDirectories(dir.resolve("state")).toString());
        kafka.put("num.stream.threads", "1");
        TrustedKeys trusted = TrustedKeys.load(keys);
        ModelFile.Loaded start = ModelFile.loadTrusted(v1, trusted);
        try (ScorerApp app = ScorerApp.start(new ScorerConfig(topics, kafka, 16_384, 3), start.bundle(),
                new ScorerApp.Options("127.0.0.1", -1, 0, trusted))) {
            // When a model signed by the stranger is published (publish without --trusted-keys sends it)
            CliRun strangers = CliRun.of("publish", "--bootstrap-servers", broker.bootstrapServers(), "--model-topic",
                    topics.models(), "--model", v2.toString(), "--signing-key",
                    dir.resolve("stranger/model-signing.key").toString());
            assertThat(strangers.exitCode()).as(strangers.err()).isZero();
            assertThat(strangers.out()).contains("signed by key", "(signature not checked: no --trusted-keys)");
            assertThat(strangers.err()).as("no champion on the topic to compare signers with")
                    .doesNotContain("warning: the champion");
            // Then it is refused, counted, and the team's first model keeps serving
            CliRun.await(() -> app.registry().refusals().size() == 1);
            assertThat(app.registry().refusals().get(0)).contains("which is not trusted");
            assertThat(app.registry().current().modelVersion()).isEqualTo(start.bundle().modelVersion());
            assertThat(app.prometheus().get("fraud.model.refusals").counter().count()).isEqualTo(1);

            // When the team's second model is published, checked as a scorer would first
            CliRun team = CliRun.of("publish", "--bootstrap-servers", broker.bootstrapServers(), "--model-topic",
                    topics.models(), "--model", v2.toString(), "--trusted-keys", keys.resolve("team.pub").toString());
            assertThat(team.exitCode()).as(team.err()).isZero();
            assertThat(team.out()).contains("signed by key", "(verified)");
            // Then the scorer swaps to it
            String v2Version = ModelFile.read(v2).modelVersion();
            // (the registry serves the new model before its listeners count the swap: wait for both)
            CliRun.await(() -> app.registry().current().modelVersion().equals(v2Version)
                    && app.prometheus().get("fraud.model.swaps").counter().count() >= 1);
            assertThat(app.prometheus().get("fraud.model.swaps").counter().count()).isEqualTo(1);
            assertThat(app.registry().refusals()).hasSize(1);

            // When an unsigned model follows the signed champion, published without --trusted-keys
            Path v3 = CliRun.quickModel(data, "v3.json", "3");
            CliRun unsigned = CliRun.of("publish", "--bootstrap-servers", broker.bootstrapServers(),
                    "--model-topic", topics.models(), "--model", v3.toString());
            // Then publish sends it with a warning that names both, and the scorer refuses it
            assertThat(unsigned.exitCode()).as(unsigned.err()).isZero();
            assertThat(unsigned.err()).contains("warning: the champion " + v2Version + " on " + topics.models()
                    + " is signed by key " + ModelFile.load(v2).authenticity().keyId() + ", this model is not signed: "
                    + "scorers that trust only the champion's key refuse it and keep serving the champion");
            CliRun.await(() -> app.registry().refusals().size() == 2);
            assertThat(app.registry().current().modelVersion()).isEqualTo(v2Version);
        }
    }
}
