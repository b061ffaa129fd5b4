package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./fraud backfill} refuses bad history before it sends anything: every case fails in one line with exit 1
 * against a cluster that does not exist (a send would fail with a Kafka error instead, which is reported too).
 */
class BackfillCommandTest {
    private static final String HEADER = "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_FRAUD\n";

    @TempDir
    Path dir;

    private static CliRun backfill(String... more) {
        String[] base = {"backfill", "--bootstrap-servers", "127.0.0.1:1", "-p", "max.block.ms=500"};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRun.of(args);
    }

    /** What the command answered on stderr, without log lines (timestamp, optional [thread], level). */
    private static String answer(CliRun r) {
        return r.err().lines().filter(l -> !l.isBlank())
                .filter(l -> !l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (\\[[^]]*] )?(INFO|WARN|DEBUG) .*"))
                .reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static void assertRefused(CliRun r, String... fragments) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(answer(r)).startsWith("error: ").doesNotContain("\n").contains(fragments);
        assertThat(r.out()).doesNotContain("backfilled");
    }

    @Test
    void shouldRefuseAMissingOrUnreadableFileInOneLine() throws Exception {
        assertRefused(backfill("--data", dir.resolve("nope.csv").toString()), "nope.csv");
        Path locked = Files.writeString(dir.resolve("locked.csv"), HEADER);
        if (locked.toFile().setReadable(false) && !Files.isReadable(locked)) { // root reads anything
            assertRefused(backfill("--data", locked.toString()), "locked.csv");
        }
    }

    @Test
    void shouldRefuseACreditcardFileAndAMalformedRowAnywhereInTheFile() throws Exception {
        Path cc = Files.writeString(dir.resolve("cc.csv"), "Time,V1,Amount,Class\n0,1.0,2.0,0\n");
        assertRefused(backfill("--data", cc.toString()), "not raw payment events");
        Path bad = Files.writeString(dir.resolve("bad.csv"), HEADER
                + "1,2018-04-01 00:00:01,1,1,10.0,0\n"
                + "2,2018-04-01 00:00:02,1,1,ten,0\n");
        assertRefused(backfill("--data", bad.toString()), "bad.csv");
    }

    @Test
    void shouldRefuseAnEmptyPeriodAndAFileWithoutLabelsUnlessAskedTo() throws Exception {
        Path ok = Files.writeString(dir.resolve("ok.csv"), HEADER + "1,2018-04-01 00:00:01,1,1,10.0,0\n");
        assertRefused(backfill("--data", ok.toString(), "--from", "2019-01-01"), "no payment in [2019-01-01, end)");
        Path unlabelled = Files.writeString(dir.resolve("u.csv"),
                "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT\n1,2018-04-01 00:00:01,1,1,10.0\n");
        assertRefused(backfill("--data", unlabelled.toString()), "no TX_FRAUD column", "--no-labels");
        CliRun r = backfill("--data", ok.toString(), "--from", "2018-05-01", "--until", "2018-04-01");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(answer(r)).contains("must be before --until");
    }

    @Test
    void shouldTakeTheHistoryFromExactlyOneSourceWithItsLabels() throws Exception {
        Path ok = Files.writeString(dir.resolve("ok.csv"), HEADER + "1,2018-04-01 00:00:01,1,1,10.0,0\n");
        CliRun both = backfill("--data", ok.toString(), "--events-from", "archive");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(answer(both)).contains("--data FILE or --events-from TOPIC");
        CliRun neither = backfill();
        assertThat(neither.exitCode()).isEqualTo(2);
        CliRun noLabels = backfill("--events-from", "archive");
        assertThat(noLabels.exitCode()).isEqualTo(2);
        assertThat(answer(noLabels)).contains("--labels-from TOPIC, or --no-labels");
        CliRun contrary = backfill("--events-from", "archive", "--labels-from", "labels", "--no-labels");
        assertThat(contrary.exitCode()).isEqualTo(2);
        assertThat(answer(contrary)).contains("--no-labels", "cannot be combined with --labels-from labels");
        CliRun loop = backfill("--events-from", "transactions", "--labels-from", "l");
        assertThat(loop.exitCode()).isEqualTo(2);
        assertThat(answer(loop)).contains("must differ from --input-topic");
    }

    @Test
    void waitingTakesAPositiveDurationAndTheApplicationIdOnlyWithIt() throws Exception {
        Path ok = Files.writeString(dir.resolve("ok.csv"), HEADER + "1,2018-04-01 00:00:01,1,1,10.0,0\n");
        CliRun zero = backfill("--data", ok.toString(), "--wait", "PT0S");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(answer(zero)).contains("--wait must be positive, got PT0S");
        CliRun notADuration = backfill("--data", ok.toString(), "--wait", "10m");
        assertThat(notADuration.exitCode()).isEqualTo(2);
        CliRun idAlone = backfill("--data", ok.toString(), "--application-id", "fraud-prod");
        assertThat(idAlone.exitCode()).isEqualTo(2);
        assertThat(answer(idAlone)).contains("--application-id goes with --wait");
    }

    /**
     * A cluster that does not answer is one line naming it, from the first send's broker check: the data and options
     * were read and checked before, and nothing was counted as sent.
     */
    @Test
    void shouldSayInOneLineThatTheClusterDoesNotAnswer() throws Exception {
        StringBuilder many = new StringBuilder(HEADER);
        for (int i = 1; i <= 40; i++) {
            many.append(i).append(",2018-04-01 00:00:").append(String.format("%02d", i)).append(",1,1,10.0,0\n");
        }
        Path forty = Files.writeString(dir.resolve("forty.csv"), many);
        CliRun produce = CliRun.of("produce", "--bootstrap-servers", "127.0.0.1:1", "--rate", "0", "--data",
                forty.toString());
        assertThat(produce.exitCode()).as(produce.err()).isEqualTo(1);
        assertThat(answer(produce)).isEqualTo("error: cannot reach Kafka at 127.0.0.1:1 within 15 s (no answer); "
                + "check --bootstrap-servers and the network, then try again");
        assertThat(produce.out()).doesNotContain("produced");
    }

    @org.junit.jupiter.api.Test
    void theSummarySaysHowManyPaymentsGoWithoutALabel() {
        assertThat(BackfillCommand.labelsText(0, 10)).isEqualTo(" with their labels");
        assertThat(BackfillCommand.labelsText(3, 1_500)).isEqualTo(" with their labels (3 without one: not known yet)");
        assertThat(BackfillCommand.labelsText(10, 10)).isEqualTo(" without labels");
    }
}
