package org.fraudscorer.scorer.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.fraudscorer.scorer.config.ScorerConfig;
import picocli.CommandLine.Option;

/**
 * Kafka connection options shared by every command that talks to a cluster (topics are {@link TopicOptions}, or the
 * one topic a command uses). Any Kafka client or
 * Streams property passes through: {@code --config client.properties} first, then {@code -p key=value}
 * (TLS/SASL settings included; secret values are never logged).
 */
public final class KafkaOptions {
    @Option(names = {"--bootstrap-servers", "-b"}, defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka bootstrap servers. Defaults to $KAFKA_BOOTSTRAP_SERVERS or localhost:9092.")
    String bootstrapServers;
    @Option(names = "--config", description = "Properties file of Kafka/Streams settings (e.g. security.protocol=SASL_SSL).")
    Path config;
    @Option(names = {"--property", "-p"}, description = "One Kafka/Streams property, key=value (repeatable; wins over --config).")
    Map<String, String> properties = new LinkedHashMap<>();
    /** The effective Kafka properties: file, then --property, then --bootstrap-servers if not set by either. */
    public Properties kafka() throws IOException {
        return resolve(config, properties, bootstrapServers);
    }

    /**
     * The effective properties of a file, {@code key=value} pairs and a bootstrap option, in that precedence (the
     * option's default, localhost:9092, does not override a file's or a pair's servers). For commands that declare
     * these options under other names.
     */
    public static Properties resolve(Path config, Map<String, String> properties, String bootstrapServers)
            throws IOException {
        Properties p = new Properties();
        if (config != null) {
            p.putAll(ScorerConfig.load(config));
        }
        p.putAll(properties);
        if (!p.containsKey("bootstrap.servers") || !"localhost:9092".equals(bootstrapServers)) {
            p.put("bootstrap.servers", bootstrapServers);
        }
        return p;
    }
}
