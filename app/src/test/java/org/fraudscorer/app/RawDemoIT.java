package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code ./fraud demo} with no data: simulator, handbook model, embedded broker, raw events with label feedback. */
class RawDemoIT {
    @Test
    @Timeout(240)
    void theDataFreeDemoStreamsSimulatedRawEventsAndAccountsForEveryOne() {
        CliRun r = CliRun.of("demo", "--duration", "8", "--rate", "400", "--epochs", "3", "--metrics-port", "0");
        assertThat(r.exitCode()).as(r.out() + r.errorLines()).isZero();
        assertThat(r.out()).contains("No --data: simulating raw payment events", "handbook-schema model",
                "raw payment events with label feedback", "(every event accounted for exactly once)", "precision",
                "Analyst console: http://127.0.0.1:");
        System.out.println(r.out());
    }
}
