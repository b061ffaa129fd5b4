package org.fraudscorer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * How a StreamBench run ends when it cannot end normally: stopped (its shutdown hook's {@link RunCleanup}), its
 * cluster gone ({@link ClusterWatch}), its cluster never there (the start-up check); and the figures that read wrong
 * on a given cluster or through an outage.
 */
class StreamBenchCleanupTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private List<String> errLines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aStoppedRunSaysWhatToDeleteByHandFirstThenUndoesEveryStepLastAddedFirst() throws Exception {
        List<String> done = new CopyOnWriteArrayList<>();
        RunCleanup cleanup = new RunCleanup(err);
        cleanup.add("deleting /tmp/fraud-bench1", Duration.ofSeconds(5), false, "delete it by hand", () -> {
            err.println("temp dir deleted");
            done.add("temp");
        });
        cleanup.add("deleting the run's topics", Duration.ofSeconds(5), true, null, () -> done.add("topics"));
        cleanup.add("closing the topologies", Duration.ofSeconds(5), true, null, () -> done.add("topologies"));
        cleanup.notice("[broker] stopped: cleaning up; if it does not finish, delete fraud-bench-1-beef-* by hand");
        CountDownLatch runStopped = new CountDownLatch(1);
        Thread run = new Thread(() -> { // the run's thread, waiting in a Kafka call: it must stop using the topics
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(2));
            } catch (InterruptedException e) {
                runStopped.countDown();
            }
        });
        run.start();
        cleanup.runner(run);

        cleanup.stop(); // what the shutdown hook runs

        assertThat(cleanup.stopped()).isTrue();
        assertThat(runStopped.await(1, TimeUnit.MINUTES)).as("the run's thread interrupted").isTrue();
        assertThat(done).containsExactly("topologies", "topics", "temp");
        assertThat(errLines()).containsExactly(
                "[broker] stopped: cleaning up; if it does not finish, delete fraud-bench-1-beef-* by hand",
                "temp dir deleted");
        cleanup.close(); // the run's own cleanup after the hook's, or the hook after the run's: nothing twice
        assertThat(done).hasSize(3);
    }

    @Test
    void theRunsOwnCleanupLeavesTheHookNothingToDoAndSaysNothing() {
        List<String> done = new CopyOnWriteArrayList<>();
        RunCleanup cleanup = new RunCleanup(err);
        cleanup.add("deleting /tmp/x", Duration.ofSeconds(5), false, "delete it by hand", () -> done.add("temp"));
        cleanup.notice("[bench] stopped: ...");
        cleanup.close();
        assertThat(cleanup.stopped()).isFalse();
        Thread hook = cleanup.hook();
        hook.run(); // as the JVM would at exit, had it not been removed
        assertThat(done).containsExactly("temp");
        assertThat(errLines()).containsExactly("[bench] stopped: ...");
    }

    @Test
    void aFailingStepIsNamedAndTheNextStepsStillRun() {
        List<String> done = new CopyOnWriteArrayList<>();
        RunCleanup cleanup = new RunCleanup(err);
        cleanup.add("deleting /tmp/x", Duration.ofSeconds(5), false, "delete it by hand", () -> done.add("temp"));
        cleanup.add("stopping the embedded broker", Duration.ofSeconds(5), false, null, () -> {
            throw new IllegalStateException("broken");
        });
        cleanup.close();
        assertThat(done).containsExactly("temp");
        assertThat(errLines()).containsExactly(
                "[cleanup] WARNING stopping the embedded broker failed: java.lang.IllegalStateException: broken");
    }

    @Test
    void aStepThatHangsIsLeftAfterItsBudgetSoThatAStoppedProcessStillEnds() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        List<String> done = new CopyOnWriteArrayList<>();
        RunCleanup cleanup = new RunCleanup(err);
        cleanup.add("deleting /tmp/x", Duration.ofSeconds(5), false, "delete it by hand", () -> done.add("temp"));
        // a close that never ends
        cleanup.add("closing the topologies", Duration.ofMillis(200), true, null, never::await);
        Thread hook = cleanup.hook();
        hook.start();
        hook.join(TimeUnit.MINUTES.toMillis(1));
        assertThat(hook.isAlive()).as("the hook returned").isFalse();
        assertThat(done).containsExactly("temp");
        assertThat(errLines()).containsExactly(
                "[cleanup] WARNING closing the topologies did not finish within 200 ms");
        never.countDown();
    }

    @Test
    void onceTheClusterIsGoneOnlyTheStepsThatWaitOnItAreCut() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RunCleanup cleanup = new RunCleanup(err);
        // the temp directory's deletion keeps its own budget; it ends when released, well within it
        cleanup.add("deleting /tmp/x", Duration.ofMinutes(1), false, "delete it by hand", () -> release.await());
        cleanup.add("deleting the run's topics", Duration.ofMinutes(1), true, "delete them by hand",
                () -> new CountDownLatch(1).await());
        cleanup.cap(Duration.ofMillis(100));
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            release.countDown();
        });
        releaser.start();
        cleanup.close();
        assertThat(release.getCount()).as("the temp directory step was waited for to its end").isZero();
        assertThat(errLines()).containsExactly(
                "[cleanup] WARNING deleting the run's topics did not finish within 100 ms: delete them by hand");
    }

    @Test
    void aClusterSilentForTheGiveUpTimeInterruptsTheRunOnceNamingTheServers() throws Exception {
        AtomicReference<Instant> silentSince = new AtomicReference<>();
        CountDownLatch interrupted = new CountDownLatch(1);
        Thread run = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(2));
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        run.start();
        try (ClusterWatch watch = new ClusterWatch("kafka-1:9092", silentSince::get, () -> "no answer within 5000 ms",
                Duration.ofSeconds(30), Duration.ofMillis(10), run, () -> { })) {
            silentSince.set(Instant.now().minusSeconds(20)); // silent, but not for long enough
            assertThat(interrupted.await(300, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(watch.gaveUp()).isNull();
            silentSince.set(Instant.now().minusSeconds(31));
            assertThat(interrupted.await(1, TimeUnit.MINUTES)).isTrue();
            assertThat(watch.gaveUp()).isEqualTo("Kafka at kafka-1:9092 has not answered for 31 s (no answer within"
                    + " 5000 ms): the run is given up");
        }
    }

    @Test
    void aClusterThatAnswersOrAClosedWatchInterruptsNothing() throws Exception {
        AtomicReference<Instant> silentSince = new AtomicReference<>();
        boolean[] sourceClosed = {false};
        Thread self = Thread.currentThread();
        ClusterWatch watch = new ClusterWatch("kafka-1:9092", silentSince::get, () -> null, Duration.ofSeconds(30),
                Duration.ofMillis(10), self, () -> sourceClosed[0] = true);
        Thread.sleep(100); // answering: null
        watch.close();
        assertThat(sourceClosed[0]).isTrue();
        silentSince.set(Instant.now().minusSeconds(60));
        Thread.sleep(100);
        assertThat(Thread.interrupted()).isFalse();
        assertThat(watch.gaveUp()).isNull();
    }

    /** Nothing listens on a port of the range this project's tests may use: the product's check says so. */
    @Test
    void anUnreachableClusterIsOneLineExitOneAndNoCleanupWarningAboutTopicsNeverCreated() throws Exception {
        int port = 19498;
        try (ServerSocket probe = new ServerSocket(port)) {
            // free now; closed at once so that nothing listens there
        }
        CommandLine cl = StreamBench.commandLine(s -> StreamBench.run(s, Duration.ofSeconds(2)));
        StringWriter cliErr = new StringWriter();
        cl.setErr(new PrintWriter(cliErr, true));
        PrintStream saved = System.err;
        int code;
        System.setErr(err);
        try {
            code = cl.execute("--bootstrap-servers", "localhost:" + port, "--modes", "passthrough", "--rate", "100",
                    "--seconds", "2", "--warmup", "1", "--backlog", "100", "--rounds", "1", "--warmup-max", "0");
        } finally {
            System.setErr(saved);
        }
        assertThat(code).isEqualTo(1);
        assertThat(cliErr.toString().lines().toList()).singleElement().asString()
                .startsWith("error: cannot reach Kafka at localhost:" + port + " within 2 s");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).as("nothing was started, nothing to delete")
                .doesNotContain("[broker]").doesNotContain("by hand");
    }

    @Test
    void theSustainedRateIsTheOfferedOneOnlyWhenTheEventsKeptPace() {
        long second = 1_000_000_000L;
        // 15,000 events due over 15 s, arriving over 15 s: 1,000/s
        assertThat(TopologyUnderTest.sustained(15_000, 15 * second, 100, 100 + 15 * second)).isEqualTo(1000.0);
        // the same events spread over 45 s by an outage: no longer 1,000/s although none was lost
        assertThat(TopologyUnderTest.sustained(15_000, 15 * second, 100, 100 + 45 * second))
                .isCloseTo(333.3, org.assertj.core.data.Offset.offset(0.1));
        // delivered in a burst after a stall: never above what was offered over the window
        assertThat(TopologyUnderTest.sustained(15_000, 15 * second, 100, 100 + second)).isEqualTo(1000.0);
        assertThat(TopologyUnderTest.sustained(0, 15 * second, 0, 0)).isZero();
    }

    @Test
    void threadsAreCountedForTheTopologyTheLoadTheOtherTopologiesOrTheRest() {
        CpuAccount account = new CpuAccount("fraud-bench-1-beef-bench-parse-app-", false);
        String uuid = "17ba6f77-3108-4d06-bbc3-db3463da093d";
        assertThat(account.group("fraud-bench-1-beef-bench-parse-app-" + uuid + "-StreamThread-1")).isZero();
        assertThat(account.group("kafka-producer-network-thread | fraud-bench-1-beef-bench-parse-app-" + uuid
                + "-StreamThread-2-producer")).isZero();
        assertThat(account.group("main")).as("the measuring consumer polls there").isEqualTo(1);
        assertThat(account.group("bench-producer")).isEqualTo(1);
        assertThat(account.group("kafka-producer-network-thread | producer-3")).isEqualTo(1);
        assertThat(account.group("fraud-bench-1-beef-bench-parse-score-app-" + uuid + "-StreamThread-1"))
                .as("a paused topology, not the measured one").isEqualTo(2);
        assertThat(account.group("kafka-producer-network-thread | bench-scorer-app-" + uuid
                + "-StreamThread-1-producer")).isEqualTo(2);
        assertThat(account.group("kafka-admin-client-thread | adminclient-4")).isEqualTo(3);
        assertThat(account.group("data-plane-kafka-request-handler-0")).isEqualTo(3);
        var perEvent = new CpuAccount.Split(5.0, 2.0, 1.0, 0.3, 0.5, false, 0.8, 0.5).perEvent(1_000_000);
        assertThat(perEvent.get("broker_us").isNull()).as("no broker in this process").isTrue();
        assertThat(perEvent.get("other_threads_us").asDouble()).isEqualTo(0.5);
    }
}
