package org.fraudscorer.scorer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.scorer.app.TopicSetup;
import org.fraudscorer.scorer.cli.PublishCommand;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code --create-topics} on a real broker: the model topic is compacted and takes a model file of tens of MiB. */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(120)
class TopicSetupIT {

    @Test
    void theModelTopicIsCompactedAndTakesLargeModelFiles(TestBroker broker) throws Exception {
        Topics topics = ItKafka.topics("setup");
        Properties client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());

        TopicSetup.ensure(client, topics, 2, java.util.Set.of());

        try (Admin admin = Admin.create(client)) {
            ConfigResource models = new ConfigResource(ConfigResource.Type.TOPIC, topics.models());
            Config c = admin.describeConfigs(List.of(models)).all().get(30, TimeUnit.SECONDS).get(models);
            assertThat(c.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(Long.parseLong(c.get("max.message.bytes").value())).isEqualTo((64L + 1) * 1024 * 1024);
        }
        // A 40 MiB record (over the broker's 1 MiB default, and over the producer's default 32 MiB buffer, which
        // also bounds one record) is accepted, sent with publish's own producer settings
        int bytes = 40 * 1024 * 1024;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(PublishCommand.producerProperties(client,
                bytes, null), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.models(), "default", new byte[bytes])).get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Topics that exist are not created again: a principal allowed to use its topics but not to create any (a
     * cluster with ACLs) would be refused the create request even for an existing topic. The admin client here
     * counts create requests and refuses them all, as such a cluster would, once the topics exist.
     */
    @Test
    void existingTopicsAreNotCreatedAgainSoAPrincipalWithoutCreateRightsStarts(TestBroker broker) throws Exception {
        Topics topics = ItKafka.topics("setup-acl");
        Properties client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        try (Admin real = Admin.create(client)) {
            int[] creates = {0};
            boolean[] refuse = {false};
            Admin counted = (Admin) java.lang.reflect.Proxy.newProxyInstance(Admin.class.getClassLoader(),
                    new Class<?>[] {Admin.class}, (proxy, method, args) -> {
                        if (method.getName().equals("createTopics")) {
                            creates[0]++;
                            if (refuse[0]) {
                                throw new org.apache.kafka.common.errors.TopicAuthorizationException(
                                        "not authorized to create topics");
                            }
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            java.util.Set<String> before = real.listTopics().names().get(30, TimeUnit.SECONDS);
            long missing = topics.all().stream().filter(t -> !before.contains(t)).count();
            assertThat(missing).isGreaterThanOrEqualTo(6);
            TopicSetup.ensure(counted, topics, 2, java.util.Set.of());
            assertThat(creates[0]).as("one create request per missing topic").isEqualTo((int) missing);
            refuse[0] = true;
            TopicSetup.ensure(counted, topics, 2, java.util.Set.of()); // a second start: every topic exists
            assertThat(creates[0]).as("no create request for an existing topic").isEqualTo((int) missing);
        }
    }

    /**
     * {@code publish} before any scorer ran creates the model topic as the scorer would (compacted, one partition,
     * large records) instead of leaving it to the broker's auto-creation; a model topic that deletes its records is
     * refused with one line before anything is sent, and a scorer starting on it is told why.
     */
    @Test
    void publishingCreatesAMissingModelTopicAndRefusesOneThatWouldDeleteTheChampion(TestBroker broker,
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path model = java.nio.file.Files.write(dir.resolve("m.json"),
                org.fraudscorer.common.model.ModelFile.toBytes(ModelFixtures.bundle(1)));
        Properties client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        String fresh = "models-fresh-" + System.nanoTime();
        assertThat(publish(broker, fresh, model)).isEqualTo(List.of(0, 0));
        try (Admin admin = Admin.create(client)) {
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, fresh);
            Config c = admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
            assertThat(c.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(c.get("max.message.bytes").value())
                    .isEqualTo(TopicSetup.MODEL_TOPIC_CONFIG.get("max.message.bytes"));
            assertThat(admin.describeTopics(List.of(fresh)).allTopicNames().get(30, TimeUnit.SECONDS).get(fresh)
                    .partitions()).hasSize(1);
        }
        assertThat(TopicSetup.modelTopicRetention(client, fresh)).isNull();

        // a topic as the broker's auto-creation makes it: deleting after its retention
        String deleting = "models-deleting-" + System.nanoTime();
        org.fraudscorer.scorer.broker.KafkaTopics.createAndAwait(broker.bootstrapServers(), deleting, 1,
                java.util.Map.of("cleanup.policy", "delete"));
        java.util.List<Object> refused = publish(broker, deleting, model);
        assertThat(refused.get(0)).isEqualTo(1);
        assertThat(refused.get(1).toString()).startsWith("error: model topic " + deleting
                + " has cleanup.policy=delete").doesNotContain("\n\t");
        try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer =
                     new org.apache.kafka.clients.consumer.KafkaConsumer<>(client,
                             new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                             new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var tp = new org.apache.kafka.common.TopicPartition(deleting, 0);
            assertThat(consumer.endOffsets(List.of(tp)).get(tp)).as("nothing sent").isZero();
        }
        assertThat(TopicSetup.modelTopicRetention(client, deleting)).startsWith("model topic " + deleting
                + " has cleanup.policy=delete");
    }

    /**
     * A publication to a model topic of several partitions is warned about, as the scorer warns at start-up: models
     * on different partitions are read in no defined order (publish and retrain used it without a word).
     */
    @Test
    void aModelTopicOfSeveralPartitionsIsWarnedAboutWhenPublishing(TestBroker broker) throws Exception {
        Properties client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        String three = "models-three-" + System.nanoTime();
        String one = "models-one-" + System.nanoTime();
        org.fraudscorer.scorer.broker.KafkaTopics.createAndAwait(broker.bootstrapServers(), three, 3,
                java.util.Map.of("cleanup.policy", "compact"));
        org.fraudscorer.scorer.broker.KafkaTopics.createAndAwait(broker.bootstrapServers(), one, 1,
                java.util.Map.of("cleanup.policy", "compact"));
        assertThat(TopicSetup.prepareModelTopic(client, three, 1000)).isEqualTo("model topic " + three + " has 3 "
                + "partitions: models on different partitions are read in no defined order, so the latest published "
                + "may not be the one served; create it with one partition");
        assertThat(TopicSetup.prepareModelTopic(client, one, 1000)).isNull();
    }

    /**
     * A publication that creates its model topic says so: a mistyped {@code --model-topic} was created, "published"
     * said with exit 0, and no scorer ever read it (a hands-on week). Once there, it is not said again.
     */
    @Test
    void aModelTopicCreatedByAPublicationIsSaid(TestBroker broker) throws Exception {
        Properties client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        String typo = "fraud-model-" + System.nanoTime();
        assertThat(TopicSetup.prepareModelTopic(client, typo, 1000)).isEqualTo("model topic " + typo + " did not "
                + "exist: created it; only scorers started with --model-topic " + typo + " follow it (a scorer creates "
                + "its model topic when it starts), so check the name");
        assertThat(TopicSetup.prepareModelTopic(client, typo, 1000)).isNull();
    }

    /**
     * An application id's stores must fit the start-up model: a creditcard model on a raw-event deployment's stores
     * (it started, reported UP and dead-lettered every payment) and a raw-event model of another label delay than
     * the terminal histories' (it stopped on the first old terminal, after writing new ones with its own delay) are
     * refused before Kafka Streams starts (found by a helper session). The delay is read from the changelog.
     */
    @Test
    void theStoresOfAnApplicationIdMustFitTheStartUpModel(TestBroker broker) throws Exception {
        Properties client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        String app = "fit-" + System.nanoTime();
        Topics topics = ItKafka.topics(app);
        for (String store : List.of("customer-histories", "terminal-histories")) {
            broker.createTopic(app + "-" + store + "-changelog", 2, java.util.Map.of("cleanup.policy", "compact"));
        }
        broker.createTopic(app + "-by-customer-repartition", 2); // built by the repartitioning topology
        var six = new org.fraudscorer.common.features.events.TerminalHistory(6);
        long time = 1_530_000_000L;
        six.observe(time, 42, new double[6], 0);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(client,
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(app + "-terminal-histories-changelog", 1, new byte[] {7},
                    six.dayBytes(time / 86_400))).get(30, TimeUnit.SECONDS);
        }
        org.fraudscorer.common.model.ModelBundle card = ModelFixtures.bundle(3);
        org.fraudscorer.common.model.ModelBundle sevenDays = ModelFixtures.raw("raw-7", 7);
        org.fraudscorer.common.model.ModelBundle sixDays = ModelFixtures.raw("raw-6", 6);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TopicSetup.checkState(client, topics, app, card,
                false)).hasMessageStartingWith("application id " + app + " holds the card and terminal histories of a "
                + "raw-event deployment (" + app + "-customer-histories-changelog), whose payments model "
                + card.modelVersion() + ", reading ").hasMessageContaining("would dead-letter one by one; serve a "
                + "model that fits them, or give model " + card.modelVersion() + " an --application-id");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TopicSetup.checkState(client, topics, app,
                sevenDays, false)).hasMessageStartingWith("application id " + app + " holds terminal histories "
                + "built for a 6-day label delay (" + app + "-terminal-histories-changelog), and model raw-7's is 7 "
                + "days");
        TopicSetup.checkState(client, topics, app, sixDays, false); // fits: no exception
        // publish --replace-misfit-champion asks the same of its model (a fitting champion was replaced before)
        assertThat(TopicSetup.storesProblem(client, app, sevenDays)).startsWith("application id " + app
                + " holds terminal histories built for a 6-day label delay");
        assertThat(TopicSetup.storesProblem(client, app, sixDays)).isNull();
        TopicSetup.checkState(client, topics, "fresh-" + app, card, false); // no stores yet
    }

    /** Runs {@code publish --model MODEL} to {@code topic}: the exit code, then the first line of standard error. */
    private static java.util.List<Object> publish(TestBroker broker, String topic, java.nio.file.Path model) {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = org.fraudscorer.scorer.cli.CliErrors.install(
                new picocli.CommandLine(new PublishCommand()));
        cl.setErr(new java.io.PrintWriter(err, true));
        int code = cl.execute("--bootstrap-servers", broker.bootstrapServers(), "--model-topic", topic, "--model",
                model.toString());
        return List.of(code, code == 0 ? 0 : err.toString().lines().findFirst().orElse(""));
    }
}
