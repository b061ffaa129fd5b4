package org.fraudscorer.scorer.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.fraudscorer.scorer.config.ScorerConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Kafka connection options shared by every command that talks to a cluster (topics are {@link TopicOptions}, or the
 * one topic a command uses). Any Kafka client or
 * Streams property passes through: {@code --config client.properties} first, then {@code -p key=value}
 * (TLS/SASL settings included; secret values are never logged).
 */
public final class KafkaOptions {
    @Option(names = {"--bootstrap-servers", "-b"}, description = "Kafka bootstrap servers (wins over --config and -p). "
            + "Defaults to the bootstrap.servers of --config or -p, else $KAFKA_BOOTSTRAP_SERVERS, else localhost:9092.")
    String bootstrapServers;
    @Option(names = "--config", description = "Properties file of Kafka/Streams settings (e.g. security.protocol=SASL_SSL).")
    Path config;
    @Option(names = {"--property", "-p"}, description = "One Kafka/Streams property, key=value (repeatable; wins over --config).")
    Map<String, String> properties = new LinkedHashMap<>();
    /** The command these options belong to (set by picocli), for reporting a bad {@code --config} as a usage error. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * The effective Kafka properties: file, then --property, then --bootstrap-servers ({@link #resolve}).
     *
     * @throws ParameterException when the {@code --config} file does not exist (exit 2, as any bad command line)
     */
    public Properties kafka() throws IOException {
        try {
            return resolve(config, properties, bootstrapServers);
        } catch (IllegalArgumentException e) {
            if (command == null) {
                throw e;
            }
            throw new ParameterException(command.commandLine(), "--config: " + e.getMessage());
        }
    }

    /**
     * The effective properties of a file, {@code key=value} pairs and a bootstrap option, in that precedence: the
     * option, when given, wins; without it the file's or a pair's {@code bootstrap.servers} stands, and only when
     * neither sets one does {@code $KAFKA_BOOTSTRAP_SERVERS}, else localhost:9092. (The environment must not replace
     * the servers a properties file names: the file's may be the only ones its security settings work with.) For
     * commands that declare these options under other names.
     *
     * @param bootstrapServers the option's value, or null when not given
     */
    public static Properties resolve(Path config, Map<String, String> properties, String bootstrapServers)
            throws IOException {
        return resolve(config, properties, bootstrapServers, System.getenv("KAFKA_BOOTSTRAP_SERVERS"));
    }

    /** {@link #resolve(Path, Map, String)} with the environment's servers given (tests). */
    static Properties resolve(Path config, Map<String, String> properties, String bootstrapServers, String environment)
            throws IOException {
        Properties p = new Properties();
        if (config != null) {
            p.putAll(ScorerConfig.load(config));
        }
        p.putAll(properties);
        if (bootstrapServers != null) {
            p.put("bootstrap.servers", bootstrapServers);
        } else if (!p.containsKey("bootstrap.servers")) {
            p.put("bootstrap.servers", environment != null && !environment.isBlank() ? environment : "localhost:9092");
        }
        return p;
    }
}
