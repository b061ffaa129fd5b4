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
    /**
     * {@code --replace-misfit-champion} judges its model against the scorers' stores, since it is not judged against
     * the champion: a fitting 7-day champion was replaced by a 6-day model, which no scorer on those stores could serve
     * (found by a helper session). Refused, nothing sent. So is any model for a topic with no champion that does not
     * fit them.
     */
    @Test
    void aReplacementThatDoesNotFitTheScorersStoresIsNotSent(TestBroker broker, @TempDir Path dir) throws Exception {
        Topics topics = ItKafka.topics("misfit-stores");
        String app = ItKafka.unique("misfit-stores-app");
        Path seven = dir.resolve("raw-7.json");
        Path six = dir.resolve("raw-6.json");
        ModelFile.write(raw("raw-7", 7), seven);
        ModelFile.write(raw("raw-6", 6), six);
        Properties client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        assertThat(ItKafka.publish(broker, topics, "--model", seven.toString()).code()).isZero();
        String changelog = app + "-terminal-histories-changelog"; // what the scorers of app keep, 7-day histories
        broker.createTopic(changelog, 1, java.util.Map.of("cleanup.policy", "compact"));
        var history = new org.fraudscorer.common.features.events.TerminalHistory(7);
        history.observe(1_530_000_000L, 1, new double[6], 0);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(client,
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(changelog, new byte[] {1},
                    history.dayBytes(1_530_000_000L / 86_400))).get();
        }
        ItKafka.CliAnswer refused = ItKafka.publish(broker, topics, "--model", six.toString(),
                "--replace-misfit-champion", "--application-id", app);
        assertThat(refused.code()).as(refused.err()).isEqualTo(1);
        assertThat(refused.err()).contains("application id " + app + " holds terminal histories built for a 7-day "
                + "label delay").contains("replaces no champion (nothing sent");
        assertThat(TopicChampion.read(client, topics.models(), null).modelVersion()).isEqualTo("raw-7");

        // A topic with no champion: the scorers serve their --model files, so a model is judged against their stores
        // (a 5-day challenger went to such a topic and every scorer refused it; found by a helper session).
        Topics empty = ItKafka.topics("misfit-no-champion");
        ItKafka.CliAnswer challenger = ItKafka.publish(broker, empty, "--model", six.toString(), "--as", "challenger",
                "--application-id", app);
        assertThat(challenger.code()).as(challenger.err()).isEqualTo(1);
        assertThat(challenger.err()).startsWith("error: model " + six + " does not fit the scorers' stores ("
                + empty.models() + " holds no champion to compare it with): application id " + app + " holds terminal "
                + "histories built for a 7-day label delay").endsWith("nothing sent").doesNotContain("\n");
        ItKafka.CliAnswer champion = ItKafka.publish(broker, empty, "--model", six.toString(), "--application-id", app);
        assertThat(champion.code()).isEqualTo(1);
        assertThat(TopicChampion.read(client, empty.models(), null)).isNull();
        List<String> sent = new ArrayList<>();
        try {
            TopicReader.readToEnd(client, empty.models(), java.time.Duration.ofSeconds(30), r -> sent.add("record"));
        } catch (TopicReader.NoSuchTopic none) {
            // nothing was ever sent to it
        }
        assertThat(sent).isEmpty();
        // a model that fits the stores goes, as a challenger or as the first champion
        assertThat(ItKafka.publish(broker, empty, "--model", seven.toString(), "--as", "challenger",
                "--application-id", app).code()).isZero();
        assertThat(ItKafka.publish(broker, empty, "--model", seven.toString(), "--application-id", app).code())
                .isZero();
        ItKafka.CliAnswer demote = ItKafka.publish(broker, empty, "--demote-challenger", "--application-id", app);
        assertThat(demote.code()).isEqualTo(2);
        assertThat(demote.err()).contains("--demote-challenger takes no --application-id");
    }
}
