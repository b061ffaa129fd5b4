package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;

/**
 * What the demo leaves out of Kafka's producer logging, on a logback context of its own, logged with the format and
 * parameters Kafka's {@code Sender} uses: only the retried CONCURRENT_TRANSACTIONS and OUT_OF_ORDER_SEQUENCE_NUMBER
 * warnings, and not when the producer's logger is set to show more.
 */
class TransactionRetryLogFilterTest {
    private static final String RETRY = "[Producer clientId=demo-StreamThread-1-producer, transactionalId=demo-1] Got "
            + "error produce response with correlation id {} on topic-partition {}, retrying ({} attempts left). "
            + "Error: {}";

    @Test
    void onlyTheRetriedTransactionWarningsAreLeftOut() {
        LoggerContext context = new LoggerContext();
        TransactionRetryLogFilter filter = new TransactionRetryLogFilter();
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.setContext(context);
        seen.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(seen);
        org.slf4j.Logger sender = context.getLogger(TransactionRetryLogFilter.SENDER);

        sender.warn(RETRY, 47, "transactions.clean-0", 2147483646, "CONCURRENT_TRANSACTIONS");
        sender.warn(RETRY, 48, "transactions.clean-0", 2147483646, "OUT_OF_ORDER_SEQUENCE_NUMBER");
        assertThat(seen.list).as("left out").isEmpty();

        sender.warn(RETRY, 49, "transactions.clean-0", 3, "NOT_LEADER_OR_FOLLOWER");
        sender.warn(RETRY, 50, "transactions.clean-0", 3, "REQUEST_TIMED_OUT. Error Message: Disconnected");
        sender.error(RETRY, 51, "transactions.clean-0", 0, "CONCURRENT_TRANSACTIONS");
        context.getLogger("org.apache.kafka.clients.producer.internals.TransactionManager").warn(RETRY, 52, "t-0", 1,
                "CONCURRENT_TRANSACTIONS");
        assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage).hasSize(4)
                .anyMatch(m -> m.endsWith("Error: NOT_LEADER_OR_FOLLOWER"))
                .anyMatch(m -> m.contains("correlation id 51"))
                .anyMatch(m -> m.contains("correlation id 52"));

        seen.list.clear();
        context.getLogger("org.apache.kafka").setLevel(Level.DEBUG); // FRAUD_KAFKA_LOG_LEVEL=debug: show everything
        sender.warn(RETRY, 53, "transactions.clean-0", 2147483646, "CONCURRENT_TRANSACTIONS");
        assertThat(seen.list).hasSize(1);
    }
}
