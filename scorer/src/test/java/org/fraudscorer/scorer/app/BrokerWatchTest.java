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

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
