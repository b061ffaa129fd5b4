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
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.SigningKey;
import org.fraudscorer.common.model.TrustedKeys;
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
    @Option(names = "--signing-key", paramLabel = "FILE", description = "Sign the model with this Ed25519 private key "
            + "(from './fraud keygen') before sending; replaces any signature the file has. The file itself is not changed.")
    Path signingKey;
    @Option(names = "--trusted-keys", paramLabel = "DIR|FILE", description = "Send only if the model (as sent) is signed "
            + "by one of these public keys: the check a scorer with --trusted-keys makes.")
    Path trustedKeys;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (noVerify && (signingKey != null || trustedKeys != null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--no-verify cannot be combined with --signing-key or --trusted-keys (both verify the file)");
        }
        SigningKey key = signingKey == null ? null : SigningKey.load(signingKey);
        TrustedKeys trusted = trustedKeys == null ? null : TrustedKeys.load(trustedKeys);
        byte[] bytes = Files.readAllBytes(model);
        String version = "unverified";
        String signer = "";
        if (!noVerify) {
            if (key != null) {
                bytes = ModelFile.sign(bytes, model.toString(), key);
            }
            ModelFile.Loaded loaded = trusted == null ? ModelFile.load(bytes, model.toString(), null)
                    : ModelFile.loadTrusted(bytes, model.toString(), trusted);
            version = loaded.bundle().modelVersion();
            if (loaded.authenticity().keyId() != null) {
                signer = ", signed by key " + loaded.authenticity().keyId() + (trusted == null ? "" : " (verified)");
            } else {
                signer = ", unsigned";
            }
        }
        Properties p = kafka.kafka();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(Math.max(1 << 20, bytes.length + 1024)));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            RecordMetadata m = producer.send(new ProducerRecord<>(modelTopic, name, bytes)).get();
            System.out.println("published model " + version + " (" + bytes.length + " bytes" + signer + ") to "
                    + m.topic() + "-" + m.partition() + "@" + m.offset());
        }
        return 0;
    }
}
