package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's logging settings that logback would take silently (a bad level is DEBUG, a bad format no log). */
class LoggingSettingsTest {
    @TempDir
    Path dir;

    private static String problem(String... nameValue) {
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            settings.put(nameValue[i], nameValue[i + 1]);
        }
        return LoggingSettings.problem(settings::get);
    }

    @Test
    void theDocumentedValuesPass() throws Exception {
        Path file = Files.writeString(dir.resolve("levels.properties"), "# mine\nlogback.logger.org.apache.kafka"
                + ".streams=info \nlogback.root=${ROOT_LEVEL:-WARN}\nlogback.logger.kafka=INHERITED\nLVL=WARN\n"
                + "logback.logger.org.fraudscorer=${LVL}\n"); // a variable, as logback reads one
        assertThat(problem()).isNull();
        assertThat(problem("FRAUD_LOG_FORMAT", "json", "FRAUD_LOG_LEVEL", "debug", "FRAUD_KAFKA_LOG_LEVEL", "Off",
                "FRAUD_LOG_LEVELS_FILE", file.toString())).isNull();
        assertThat(problem("FRAUD_LOG_FORMAT", "text", "FRAUD_LOG_LEVELS_FILE", "")).isNull();
        assertThat(problem("FRAUD_LOG_LEVEL", "debug ")).as("logback trims it").isNull();
    }

    @Test
    void aLevelLogbackWouldReadAsDebugIsRefused() {
        assertThat(problem("FRAUD_LOG_LEVEL", "verbose")).isEqualTo("FRAUD_LOG_LEVEL=verbose is not a log level: "
                + "TRACE, DEBUG, INFO, WARN, ERROR, OFF");
        assertThat(problem("FRAUD_KAFKA_LOG_LEVEL", "")).startsWith("FRAUD_KAFKA_LOG_LEVEL= is not a log level");
    }

    @Test
    void aFormatWithNoAppenderIsRefused() {
        assertThat(problem("FRAUD_LOG_FORMAT", "JSON")).isEqualTo("FRAUD_LOG_FORMAT=JSON is not a log format: text "
                + "(the default) or json, in lower case");
    }

    @Test
    void aLevelsFileThatWouldSetNothingOrDebugIsRefused() throws Exception {
        Path missing = dir.resolve("levles.properties");
        assertThat(problem("FRAUD_LOG_LEVELS_FILE", missing.toString()))
                .startsWith("FRAUD_LOG_LEVELS_FILE=" + missing + " cannot be read: ");
        Path typo = Files.writeString(dir.resolve("typo.properties"), "logback.loger.org.fraudscorer=DEBUG\n");
        assertThat(problem("FRAUD_LOG_LEVELS_FILE", typo.toString())).isEqualTo("FRAUD_LOG_LEVELS_FILE=" + typo
                + ": logback.loger.org.fraudscorer is neither logback.logger.<name> nor logback.root (it would set "
                + "nothing)");
        Path level = Files.writeString(dir.resolve("level.properties"), "logback.root=LOUD\n");
        assertThat(problem("FRAUD_LOG_LEVELS_FILE", level.toString())).isEqualTo("FRAUD_LOG_LEVELS_FILE=" + level
                + ": logback.root=LOUD is not a log level: TRACE, DEBUG, INFO, WARN, ERROR, OFF (or INHERITED)");
    }

    /**
     * The launcher itself refuses, before anything runs: the checks above would pass with its call removed. A child
     * JVM, since the refusal ends the process.
     */
    @Test
    void theLauncherRefusesABadSettingWithOneLineAndExit2() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(FraudJvm.command(java.util.List.of(), "--version"));
        for (String name : java.util.List.of("FRAUD_LOG_FORMAT", "FRAUD_LOG_LEVEL", "FRAUD_KAFKA_LOG_LEVEL",
                "FRAUD_LOG_LEVELS_FILE")) {
            pb.environment().remove(name);
        }
        pb.environment().put("FRAUD_LOG_FORMAT", "JSON");
        Path err = dir.resolve("launcher-err.txt");
        Process p = pb.redirectOutput(dir.resolve("launcher-out.txt").toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readAllLines(err)).filteredOn(l -> !l.startsWith("WARNING: Using incubator modules"))
                .containsExactly("error: FRAUD_LOG_FORMAT=JSON is not a log format: text (the default) or json, in "
                        + "lower case");
        assertThat(Files.readString(dir.resolve("launcher-out.txt"))).as("--version did not run").isEmpty();
    }

    @Test
    void anOwnLogbackConfigurationIsNotChecked() {
        assertThat(problem("logback.configurationFile", "mine.xml", "FRAUD_LOG_LEVEL", "verbose")).isNull();
    }
}
