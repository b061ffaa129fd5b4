package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped logging configuration ({@code src/main/resources/logback.xml}, the one in {@code fraud.jar}) in a
 * child JVM, set the way a user sets it: environment variables and system properties, no rebuild.
 */
class LoggingConfigTest {
    private static final Path CONFIG = Path.of("target", "classes", "logback.xml");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void defaultTextShowsTheProductsInfoAndOnlyWarningsOfOthersOnStandardError() throws Exception {
        Probe p = probe(Map.of(), List.of());
        assertThat(p.out).isEqualTo("probe done\n");
        List<String> lines = p.err.lines().filter(l -> !l.startsWith("\tat ")).toList();
        assertThat(lines).containsExactly(
                "INFO ScorerApp - product info \"quoted\" ünïcode",
                "WARN KafkaStreams - kafka warn",
                "WARN Library - other warn",
                "WARN LoggingController - log4j-api warn",
                "ERROR NetworkClient - [AdminClient clientId=adminclient-1] failed authentication",
                "ERROR ScorerApp - product error",
                "java.lang.IllegalStateException: boom");
        assertThat(p.rawErr).doesNotContain("SLF4J", "StatusLogger", "logback");
        assertThat(p.rawErr.lines().findFirst().orElseThrow()).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO ScorerApp - .*");
    }

    @Test
    void jsonFormatWritesOneJsonObjectPerLine() throws Exception {
        Probe p = probe(Map.of("FRAUD_LOG_FORMAT", "json"), List.of());
        assertThat(p.out).isEqualTo("probe done\n");
        List<JsonNode> events = new ArrayList<>();
        for (String line : p.rawErr.lines().toList()) {
            JsonNode node = JSON.readTree(line); // every line on its own is one JSON object
            assertThat(node.isObject()).as(line).isTrue();
            events.add(node);
        }
        assertThat(events).extracting(e -> e.get("level").asText() + " " + e.get("loggerName").asText() + " "
                + e.get("formattedMessage").asText()).containsExactly(
                "INFO org.fraudscorer.scorer.app.ScorerApp product info \"quoted\" ünïcode",
                "WARN org.apache.kafka.streams.KafkaStreams kafka warn",
                "WARN com.example.Library other warn",
                "WARN org.apache.kafka.server.logger.LoggingController log4j-api warn",
                "ERROR org.apache.kafka.clients.NetworkClient [AdminClient clientId=adminclient-1] failed "
                        + "authentication",
                "ERROR org.fraudscorer.scorer.app.ScorerApp product error");
        assertThat(events.get(0).get("message").asText()).isEqualTo("product info {} ünïcode");
        assertThat(events.get(0).get("arguments").get(0).asText()).isEqualTo("\"quoted\"");
        assertThat(events.get(0).get("timestamp").asLong()).isPositive();
        assertThat(events.get(0).get("threadName").asText()).isEqualTo("main");
        JsonNode error = events.get(5).get("throwable");
        assertThat(error.get("className").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.get("message").asText()).isEqualTo("boom");
    }

    @Test
    void levelsAreOverriddenFromTheEnvironmentSystemPropertiesAndALevelsFile() throws Exception {
        Path levels = Files.writeString(dir.resolve("levels.properties"),
                "logback.logger.com.example.Library=INFO\n");
        Probe env = probe(Map.of("FRAUD_LOG_LEVEL", "debug", "FRAUD_KAFKA_LOG_LEVEL", "ERROR",
                "FRAUD_LOG_LEVELS_FILE", levels.toString()), List.of());
        assertThat(messages(env)).containsExactly("product debug", "product info \"quoted\" ünïcode", "other info",
                "other warn", "[AdminClient clientId=adminclient-1] failed authentication", "product error");
        // The file wins over the shipped levels too, for the loggers the shipped configuration names and the root:
        // logback applied <logger> levels after the file, so these lines stayed (found by a helper session).
        Path shipped = Files.writeString(dir.resolve("shipped.properties"), "logback.root=ERROR\n"
                + "logback.logger.org.fraudscorer=WARN\nlogback.logger.org.apache.kafka.clients.NetworkClient=OFF\n");
        Probe file = probe(Map.of("FRAUD_LOG_LEVEL", "debug", "FRAUD_LOG_LEVELS_FILE", shipped.toString()), List.of());
        assertThat(messages(file)).containsExactly("kafka warn", "log4j-api warn", "product error");
        // A system property wins over the environment variable of the same name.
        Probe property = probe(Map.of("FRAUD_LOG_LEVEL", "debug"), List.of("-DFRAUD_LOG_LEVEL=error"));
        assertThat(messages(property)).containsExactly("kafka warn", "other warn", "log4j-api warn",
                "[AdminClient clientId=adminclient-1] failed authentication", "product error");
    }

    private static List<String> messages(Probe p) {
        return p.err.lines().filter(l -> !l.startsWith("\tat ") && !l.startsWith("java.lang."))
                .map(l -> l.substring(l.indexOf(" - ") + 3)).toList();
    }

    /** {@code err}: standard error without the time stamps; {@code rawErr}: as written. */
    private record Probe(String out, String err, String rawErr) {
    }

    private Probe probe(Map<String, String> env, List<String> jvmArgs) throws Exception {
        assertThat(CONFIG).exists();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                // the shipped file, not the tests' logback-test.xml that the scorer's test-jar brings
                "-Dlogback.configurationFile=" + CONFIG.toAbsolutePath()));
        cmd.addAll(jvmArgs);
        cmd.add(LogProbe.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        for (String name : List.of("FRAUD_LOG_FORMAT", "FRAUD_LOG_LEVEL", "FRAUD_KAFKA_LOG_LEVEL", "FRAUD_LOG_LEVELS_FILE")) {
            pb.environment().remove(name);
        }
        pb.environment().putAll(env);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        String rawErr = Files.readString(err, StandardCharsets.UTF_8);
        return new Probe(Files.readString(out, StandardCharsets.UTF_8),
                rawErr.replaceAll("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ", ""), rawErr);
    }
}
