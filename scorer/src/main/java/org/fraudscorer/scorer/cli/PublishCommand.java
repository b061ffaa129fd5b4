package org.fraudscorer.scorer.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.scorer.config.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./fraud publish --model model.json}: verify a model file and send it to the compacted model topic, from
 * which every running scorer instance swaps to it. The key is the model name, so compaction keeps the latest.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publish a model file to the model topic: every running scorer switches to it live.")
public final class PublishCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;
    @Option(names = "--model-topic", defaultValue = Topics.DEFAULT_MODELS, description = "Compacted model topic. Defaults to ${DEFAULT-VALUE}.")
    String modelTopic;
    @Option(names = "--model", required = true, description = "Model file to publish (verified first).")
    Path model;
    @Option(names = "--name", defaultValue = "default", description = "Model name (the record key). Defaults to ${DEFAULT-VALUE}.")
    String name;
    @Option(names = "--no-verify", description = "Send the file even if it does not verify (for fault tests: scorers must refuse it).")
    boolean noVerify;

    @Override
    public Integer call() throws Exception {
        byte[] bytes = Files.readAllBytes(model);
        String version = "unverified";
        if (!noVerify) {
            ModelBundle b = ModelFile.fromBytes(bytes, model.toString());
            version = b.modelVersion();
        }
        Properties p = kafka.kafka();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(Math.max(1 << 20, bytes.length + 1024)));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            RecordMetadata m = producer.send(new ProducerRecord<>(modelTopic, name, bytes)).get();
            System.out.println("published model " + version + " (" + bytes.length + " bytes) to " + m.topic() + "-"
                    + m.partition() + "@" + m.offset());
        }
        return 0;
    }
}
