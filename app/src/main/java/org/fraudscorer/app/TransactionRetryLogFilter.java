package org.fraudscorer.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Leaves out the Kafka producer's warnings of a send it retries because the broker had not yet written the previous
 * transaction's markers: "Got error produce response … retrying … Error: CONCURRENT_TRANSACTIONS", and the
 * {@code OUT_OF_ORDER_SEQUENCE_NUMBER} of the sends in flight behind it. Under exactly-once they lose nothing
 * (docs/logging.md); in the demo, on a busy machine, a few of them came in a row at start-up and at the stop, beside
 * its summary. Only these two retried errors, only at WARN, and not when the producer's logger is set to show more
 * (e.g. {@code FRAUD_KAFKA_LOG_LEVEL=debug}). Installed by the demo ({@link LoggingSettings#quietTransactionRetries});
 * the scorer command keeps logging them.
 */
final class TransactionRetryLogFilter extends TurboFilter {
    static final String SENDER = "org.apache.kafka.clients.producer.internals.Sender";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.WARN || format == null || !SENDER.equals(logger.getName())
                || !logger.getEffectiveLevel().isGreaterOrEqual(Level.WARN) || !format.contains("retrying")
                || params == null || params.length == 0) {
            return FilterReply.NEUTRAL;
        }
        String error = String.valueOf(params[params.length - 1]);
        return error.startsWith("CONCURRENT_TRANSACTIONS") || error.startsWith("OUT_OF_ORDER_SEQUENCE_NUMBER")
                ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
