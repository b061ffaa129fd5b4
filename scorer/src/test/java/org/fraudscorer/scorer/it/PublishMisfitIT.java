package org.fraudscorer.scorer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.scorer.broker.TopicReader;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.model.TopicChampion;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code publish} refuses, before sending, a model every scorer of the topic would refuse for not fitting its
 * champion (another feature schema or label delay): on the compacted topic it would otherwise become the latest
 * champion record and, once compacted, leave scorers that start later without a champion they can serve.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(120)
class PublishMisfitIT {

    private static ModelBundle raw(String version, int delay) {
        return ModelFixtures.raw(version, delay);
    }

    @Test
    void aModelThatDoesNotFitTheServingChampionIsNotSent(TestBroker broker, @TempDir Path dir) throws Exception {
        Topics topics = ItKafka.topics("misfit");
        Path champion = dir.resolve("champion.json");
        Path creditcard = dir.resolve("creditcard.json");
        Path otherDelay = dir.resolve("delay-3.json");
        Path next = dir.resolve("next.json");
        ModelFile.write(raw("raw-7", 7), champion);
        ModelFile.write(ModelFixtures.bundle(3), creditcard);
        ModelFile.write(raw("raw-3", 3), otherDelay);
        ModelFile.write(raw("raw-7-next", 7), next);

        // the first model on a new topic fits anything
        assertThat(ItKafka.publish(broker, topics, "--model", champion.toString()).code()).isZero();
        Properties client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        assertThat(TopicChampion.read(client, topics.models(), null).modelVersion()).isEqualTo("raw-7");

        ItKafka.CliAnswer schema = ItKafka.publish(broker, topics, "--model", creditcard.toString());
        assertThat(schema.code()).isEqualTo(1);
        assertThat(schema.err()).startsWith("error: model " + creditcard + " does not fit the champion raw-7 that "
                + topics.models() + " serves: feature schema creditcard-v1").endsWith("nothing sent")
                .doesNotContain("\n");
        ItKafka.CliAnswer delay = ItKafka.publish(broker, topics, "--model", otherDelay.toString(), "--as", "challenger");
        assertThat(delay.code()).isEqualTo(1);
        assertThat(delay.err()).contains("label delay 3 days differs from the serving model's 7 days");

        // a model that fits is sent; the topic holds the two that fit and nothing else
        assertThat(ItKafka.publish(broker, topics, "--model", next.toString()).code()).isZero();
        List<String> keys = new ArrayList<>();
        TopicReader.readToEnd(client, topics.models(), java.time.Duration.ofSeconds(30),
                r -> keys.add(ModelFile.load(r.value(), "r", null).bundle().modelVersion()));
        assertThat(keys).containsExactly("raw-7", "raw-7-next");
        // a topic that does not exist has no champion (publish then creates it)
        assertThat(TopicChampion.read(client, "no-such-models-topic", null)).isNull();
    }

    /**
     * A first model of another schema on an empty topic (nothing to check it against; the scorers refused it) used to
     * lock the topic: every later model was judged against it. {@code --replace-misfit-champion} sends one that fits
     * the scorers, marked, and later models are judged against it.
     */
    @Test
    void aMisfitFirstChampionIsReplacedOnlyWhenAskedAndLaterModelsFitTheReplacement(TestBroker broker,
                                                                                      @TempDir Path dir)
            throws Exception {
        Topics topics = ItKafka.topics("misfit-first");
        Path creditcard = dir.resolve("creditcard.json");
        Path raw = dir.resolve("raw-7.json");
        Path next = dir.resolve("raw-7-next.json");
        ModelFile.write(ModelFixtures.bundle(3), creditcard);
        ModelFile.write(raw("raw-7", 7), raw);
        ModelFile.write(raw("raw-7-next", 7), next);
        Properties client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());

        // the mistake, under a key of its own
        assertThat(ItKafka.publish(broker, topics, "--model", creditcard.toString(), "--name", "hotfix").code())
                .isZero();
        ItKafka.CliAnswer refused = ItKafka.publish(broker, topics, "--model", raw.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("publish with --replace-misfit-champion").endsWith("nothing sent");

        ItKafka.CliAnswer replaced = ItKafka.publish(broker, topics, "--model", raw.toString(),
                "--replace-misfit-champion");
        assertThat(replaced.code()).as(replaced.err()).isZero();
        assertThat(TopicChampion.read(client, topics.models(), null).modelVersion()).isEqualTo("raw-7");
        // the misfit's key is tombstoned: compaction removes it with its key, so the mark cannot be left without it
        List<String> hotfix = new ArrayList<>();
        TopicReader.readToEnd(client, topics.models(), java.time.Duration.ofSeconds(30), r -> {
            if ("hotfix".equals(r.key() == null ? null : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8))) {
                hotfix.add(r.value() == null ? "tombstone" : "model");
            }
        });
        assertThat(hotfix).containsExactly("model", "tombstone");
        // later models are judged against the replacement: one that fits it goes, the old schema is refused
        assertThat(ItKafka.publish(broker, topics, "--model", next.toString()).code()).isZero();
        assertThat(TopicChampion.read(client, topics.models(), null).modelVersion()).isEqualTo("raw-7-next");
        ItKafka.CliAnswer old = ItKafka.publish(broker, topics, "--model", creditcard.toString());
        assertThat(old.code()).isEqualTo(1);
        assertThat(old.err()).contains("does not fit the champion raw-7-next");

        ItKafka.CliAnswer combined = ItKafka.publish(broker, topics, "--model", raw.toString(),
                "--replace-misfit-champion", "--as", "challenger");
        assertThat(combined.code()).isEqualTo(2);
        assertThat(combined.err()).contains("--replace-misfit-champion publishes a champion that is checked");
    }
}
