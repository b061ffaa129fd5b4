package org.fraudscorer.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * Checks the launcher's logging settings (docs/logging.md) before logback reads them, because logback takes a
 * mistake silently: a level it does not know ({@code FRAUD_LOG_LEVEL=verbose}, or an empty value) is DEBUG, a levels
 * file it cannot read is skipped, a {@code logback.*} key of that file that is neither {@code logback.logger.NAME} nor
 * {@code logback.root} sets nothing (other keys are variables for its values), and another {@code FRAUD_LOG_FORMAT} than {@code text} or {@code json}
 * ({@code JSON} too) leaves the launcher with no appender: a scorer that logs nothing at all, after 40 lines of
 * logback's status. Each is one line and exit 2 instead, as for a bad option. Not checked when
 * {@code -Dlogback.configurationFile} replaces the shipped configuration, which may not read these names.
 */
final class LoggingSettings {
    /** The levels logback knows (case does not matter); anything else it reads as DEBUG. */
    static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF", "ALL");
    /** What a levels file may also give a logger: its parent's level (logback's words). */
    private static final List<String> UNSET = List.of("INHERITED", "NULL");
    private static final List<String> FORMATS = List.of("text", "json");

    private LoggingSettings() {
    }

    /**
     * The first problem of the logging settings, or null.
     *
     * @param setting a setting's value as the shipped configuration reads it (system property first, then the
     *                environment), or null when it is not set
     */
    static String problem(UnaryOperator<String> setting) {
        if (setting.apply("logback.configurationFile") != null) {
            return null;
        }
        String format = setting.apply("FRAUD_LOG_FORMAT");
        if (format != null && !FORMATS.contains(format)) {
            return "FRAUD_LOG_FORMAT=" + format + " is not a log format: text (the default) or json, in lower case";
        }
        for (String name : List.of("FRAUD_LOG_LEVEL", "FRAUD_KAFKA_LOG_LEVEL")) {
            String level = setting.apply(name);
            if (level != null && !isLevel(level)) {
                return name + "=" + level + " is not a log level: " + String.join(", ", LEVELS.subList(0, 6));
            }
        }
        String file = setting.apply("FRAUD_LOG_LEVELS_FILE");
        return file == null || file.isEmpty() ? null : levelsFileProblem(file);
    }

    /** {@link #problem} with the values the launcher's JVM has. */
    static String problem() {
        return problem(name -> {
            String value = System.getProperty(name);
            return value != null ? value : System.getenv(name);
        });
    }

    private static String levelsFileProblem(String file) {
        Properties levels = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(file), StandardCharsets.ISO_8859_1)) { // as logback reads it
            levels.load(in);
        } catch (IOException | RuntimeException e) {
            return "FRAUD_LOG_LEVELS_FILE=" + file + " cannot be read: " + e;
        }
        for (String key : new java.util.TreeSet<>(levels.stringPropertyNames())) {
            String level = levels.getProperty(key).trim();
            if (!key.startsWith("logback")) {
                continue; // a variable, for ${...} in the values (logback's rule)
            }
            if (!key.startsWith("logback.logger.") && !key.equals("logback.root")) {
                return "FRAUD_LOG_LEVELS_FILE=" + file + ": " + key + " is neither logback.logger.<name> nor "
                        + "logback.root (it would set nothing)";
            }
            boolean substituted = level.contains("${"); // resolved by logback, as the shipped file's are
            if (!substituted && !isLevel(level) && !UNSET.contains(level.toUpperCase(Locale.ROOT))) {
                return "FRAUD_LOG_LEVELS_FILE=" + file + ": " + key + "=" + level + " is not a log level: "
                        + String.join(", ", LEVELS.subList(0, 6)) + " (or INHERITED)";
            }
        }
        return null;
    }

    private static boolean isLevel(String value) {
        return LEVELS.contains(value.strip().toUpperCase(Locale.ROOT)); // logback trims it
    }

    /** Leaves out the producer's retried-transaction warnings ({@link TransactionRetryLogFilter}); once per JVM. */
    static synchronized void quietTransactionRetries() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context
                && context.getTurboFilterList().stream().noneMatch(f -> f instanceof TransactionRetryLogFilter)) {
            TransactionRetryLogFilter filter = new TransactionRetryLogFilter();
            filter.setContext(context);
            filter.start();
            context.addTurboFilter(filter);
        }
    }

    /**
     * Raises the given loggers to ERROR, each unless the user set its level (FRAUD_LOG_LEVELS or a logback file): for
     * warnings a command expects and reports in its own words.
     */
    static void quietUnlessSet(List<String> loggers) {
        for (String name : loggers) {
            if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger
                    && logger.getLevel() == null) {
                logger.setLevel(ch.qos.logback.classic.Level.ERROR);
            }
        }
    }
}
