package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code fraud console}'s command line: what it refuses before it connects to anything. */
class ConsoleCommandTest {
    @Test
    void shouldRefuseToExposeTheConsoleWithoutAToken() {
        CliRun r = CliRun.of("console", "--console-host", "0.0.0.0", "--console-token", "");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--console-host 0.0.0.0", "--console-token", "FRAUD_CONSOLE_TOKEN");
    }

    @Test
    void shouldRefuseAShortToken() {
        CliRun r = CliRun.of("console", "--console-token", "short");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("at least 16 characters");
    }

    @Test
    void shouldRefuseTheSameTopicForAlertsAndLabels() {
        CliRun r = CliRun.of("console", "--flagged-topic", "t", "--labels-topic", "t");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("must differ");
    }
}
