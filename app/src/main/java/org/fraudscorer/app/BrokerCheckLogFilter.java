package org.fraudscorer.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.fraudscorer.scorer.app.BrokerCheck;
import org.slf4j.Marker;

/**
 * Leaves out what Kafka's clients log under the start-up broker check's client id ({@link BrokerCheck#CLIENT_ID}):
 * the check turns that failure into the command's one-line error, and Kafka's network client would print it before,
 * as an ERROR with a stack trace (a refused authentication). Only WARN and above are left out: with
 * {@code FRAUD_KAFKA_LOG_LEVEL=debug} the check's handshake still shows, for a SASL or TLS problem. Every other
 * client's logging is untouched: a scorer whose credentials stop working later still logs it. What Kafka logs at WARN
 * and above while the check creates its client is left out too, with or without the id (a missing trust store file
 * is an ERROR with a stack trace from the SSL engine factory, which names no client). Registered in logback.xml
 * (docs/logging.md).
 */
public final class BrokerCheckLogFilter extends TurboFilter {
    private static final String MARK = "clientId=" + BrokerCheck.CLIENT_ID + "]";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // Kafka's clients put "[AdminClient clientId=...]" at the start of the message format itself (LogContext).
        if (format != null && level != null && level.isGreaterOrEqual(Level.WARN)
                && logger.getName().startsWith("org.apache.kafka.clients") && format.contains(MARK)) {
            return FilterReply.DENY;
        }
        if (level != null && level.isGreaterOrEqual(Level.WARN) && logger.getName().startsWith("org.apache.kafka.")
                && BrokerCheck.creatingClientOnThisThread()) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
