package org.fraudscorer.scorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.fraudscorer.devkafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A broker that goes away is seen by the scorer within its warning delay, and its return too: Kafka Streams reports
 * RUNNING through an outage, so without this a scorer deciding nothing looked healthy (a walkthrough's finding).
 */
@Timeout(180)
class BrokerWatchTest {
    @TempDir
    Path dir;

    @Test
    void anOutageIsLoggedAndReportedUntilTheBrokerAnswersAgain() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(
                BrokerWatch.class);
        logger.addAppender(log);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0)) {
            Properties p = new Properties();
            p.put("bootstrap.servers", broker.bootstrapServers());
            try (BrokerWatch watch = new BrokerWatch(p, Duration.ofMillis(300), Duration.ofSeconds(2))) {
                Thread.sleep(1_500);
                assertThat(watch.unreachableSince()).as("the broker answers").isNull();

                // When the broker stops
                broker.stop();
                await(() -> watch.unreachableSince() != null);

                // Then the outage is reported, once, with the servers and the reason
                assertThat(log.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
                        .extracting(ILoggingEvent::getFormattedMessage).asString()
                        .startsWith("Kafka at " + broker.bootstrapServers() + " has not answered for ")
                        .contains("decisions wait until it does");
                assertThat(watch.lastReason()).isNotBlank() // a reason, not the bare name of the wait's timeout
                        .doesNotContain("java.util.concurrent.TimeoutException").isNotEqualTo("TimeoutException");

                // When it is back
                broker.restart();
                await(() -> watch.unreachableSince() == null);
                assertThat(log.list).filteredOn(e -> e.getLevel() == Level.INFO).last()
                        .extracting(ILoggingEvent::getFormattedMessage).asString()
                        .startsWith("Kafka at " + broker.bootstrapServers() + " answers again, after ");
            }
        } finally {
            logger.detachAppender(log);
        }
    }

    /**
     * The silence is dated from the first question left unanswered, not from the end of its wait: dated from the end,
     * {@code /health} said DEGRADED 26-31 s into an outage where 15 s are documented.
     */
    @Test
    void theSilenceStartsWhenTheFirstUnansweredQuestionWasAsked() throws Exception {
        // A server that accepts connections and never answers: every question waits its full second
        try (java.net.ServerSocket mute = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
                try {
                    while (true) {
                        held.add(mute.accept());
                    }
                } catch (java.io.IOException closed) {
                    held.forEach(sock -> {
                        try {
                            sock.close();
                        } catch (java.io.IOException ignored) {
                            // closing anyway
                        }
                    });
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Properties p = new Properties();
            p.put("bootstrap.servers", "127.0.0.1:" + mute.getLocalPort());
            try (BrokerWatch watch = new BrokerWatch(p, Duration.ofMillis(300), Duration.ofSeconds(2))) {
                java.time.Instant started = java.time.Instant.now(); // its first question is 300 ms from here
                await(() -> watch.unreachableSince() != null);
                // the first question waits 1 s: its end is at least 1.3 s in
                assertThat(Duration.between(started, watch.unreachableSince()).toMillis()).isLessThan(1_000);
            }
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
