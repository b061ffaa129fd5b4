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
            + "Defaults to the bootstrap.servers of --config or -p, else $KAFKA_BOOTSTRAP_SERVERS, "
            + "else to localhost:9092.")
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
        Properties p;
        try {
            p = resolve(config, properties, bootstrapServers);
        } catch (IllegalArgumentException e) {
            if (command == null) {
                throw e;
            }
            throw new ParameterException(command.commandLine(), "--config: " + e.getMessage());
        }
        if (command != null) {
            requireUsable(command, p, "--config, -p");
        }
        return p;
    }

    /**
     * Throws {@link #problem}'s reason as a bad command line of {@code command} (exit 2): for every command's
     * settings, also those read under other option names ({@code retrain}) or given alone ({@code demo -p}).
     *
     * @param options the options the settings come from, as the message names them ({@code "--kafka-config, -p"})
     */
    public static void requireUsable(CommandSpec command, Properties p, String options) {
        String problem = problem(p, options);
        if (problem != null) {
            throw new ParameterException(command.commandLine(), problem);
        }
    }

    /**
     * What is wrong with the settings themselves, or null: {@code bootstrap.servers} that is not a list of
     * host:port, or a value that every Kafka client or Streams definition of its key rejects ({@code -p
     * linger.ms=abc}, an empty {@code transactional.id}). These were told only when a client was made, as exit 1
     * with Kafka's words and blaming --config or -p for a bad {@code -b} (found by helper sessions); they are bad
     * command lines. Never stricter than Kafka: a value with a config-provider reference ({@code ${file:...}}) is
     * resolved by the client first and is not checked here; a key defined differently by two clients
     * ({@code group.protocol}: consumer or streams) passes when one of them takes it; keys no client knows, and
     * prefixed Streams keys ({@code producer.*}), are left to the clients.
     */
    public static String problem(Properties p, String options) {
        String servers = p.getProperty("bootstrap.servers", "");
        if (!hasProviderReference(servers)) {
            String e = badServer(servers);
            if (e != null) {
                return "bootstrap servers '" + servers + "' (-b, " + options + " or $KAFKA_BOOTSTRAP_SERVERS) must "
                        + "be a comma-separated list of host:port" + (e.isEmpty() ? "" : "; '" + e + "' is not");
            }
        }
        for (String key : p.stringPropertyNames()) {
            String value = p.getProperty(key);
            if (hasProviderReference(value)) {
                continue;
            }
            String refusal = null;
            for (org.apache.kafka.common.config.ConfigDef def : CLIENT_DEFINITIONS) {
                org.apache.kafka.common.config.ConfigDef.ConfigKey k = def.configKeys().get(key);
                if (k == null) {
                    continue;
                }
                try {
                    Object parsed = org.apache.kafka.common.config.ConfigDef.parseType(key, value, k.type);
                    if (k.validator != null) {
                        k.validator.ensureValid(key, parsed);
                    }
                    refusal = null;
                    break; // one client takes it
                } catch (org.apache.kafka.common.config.ConfigException e) {
                    refusal = refusal != null ? refusal : e.getMessage();
                }
            }
            if (refusal != null) {
                return "Kafka setting " + key + " (" + options.replace(", ", " or ") + "): " + refusal;
            }
        }
        return null;
    }

    /**
     * The first entry of a bootstrap server list that is not host:port with a port from 0 to 65535 ("" for an empty
     * entry: {@code a:1,}), or null when every entry is one. Kafka's clients refuse such a list only when they are
     * made, in their own words ({@code localhost:99999} passed the host:port pattern and failed there).
     */
    public static String badServer(String servers) {
        for (String entry : servers.split(",", -1)) {
            String e = entry.strip();
            Integer port = e.isEmpty() ? null : org.apache.kafka.common.utils.Utils.getPort(e);
            if (e.isEmpty() || org.apache.kafka.common.utils.Utils.getHost(e) == null || port == null
                    || port > 65_535) {
                return e;
            }
        }
        return null;
    }

    /** A value with a reference a client resolves through its {@code config.providers} ({@code ${file:path:key}}). */
    private static boolean hasProviderReference(String value) {
        return org.apache.kafka.common.config.ConfigTransformer.DEFAULT_PATTERN.matcher(value).find();
    }

    private static final java.util.List<org.apache.kafka.common.config.ConfigDef> CLIENT_DEFINITIONS =
            java.util.List.of(org.apache.kafka.clients.producer.ProducerConfig.configDef(),
                    org.apache.kafka.clients.consumer.ConsumerConfig.configDef(),
                    org.apache.kafka.clients.admin.AdminClientConfig.configDef(),
                    org.apache.kafka.streams.StreamsConfig.configDef());

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
