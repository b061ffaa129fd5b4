package org.fraudscorer.scorer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.Preprocessing;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.common.nn.Activation;
import org.fraudscorer.common.nn.MLP;
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

    /** A raw-event (handbook schema) model with the given label delay. */
    private static ModelBundle raw(String version, int delay) {
        FeatureSchema s = FeatureSchema.HANDBOOK;
        double[] ones = new double[s.featureCount()];
        Arrays.fill(ones, 1);
        MLP net = MLP.build(new int[] {s.featureCount(), 4, 1}, Activation.RELU, 0, version.hashCode());
        return new ModelBundle(version, Instant.EPOCH, s, new Preprocessing(s, new double[s.featureCount()], ones),
                net, ModelFixtures.bundle(1).threshold(), 1, Map.of(), Map.of(),
                Map.of(ModelBundle.LABEL_DELAY_KEY, delay), null).sealed();
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
}
