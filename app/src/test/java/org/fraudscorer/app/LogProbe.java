package org.fraudscorer.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Child-JVM main of {@link LoggingConfigTest}: logs one line per level to the loggers the configuration names. */
public final class LogProbe {
    private LogProbe() {
    }

    public static void main(String[] args) {
        Logger product = LoggerFactory.getLogger("org.fraudscorer.scorer.app.ScorerApp");
        Logger kafka = LoggerFactory.getLogger("org.apache.kafka.streams.KafkaStreams");
        Logger other = LoggerFactory.getLogger("com.example.Library");
        product.debug("product debug");
        product.info("product info {} ünïcode", "\"quoted\"");
        kafka.info("kafka info");
        kafka.warn("kafka warn");
        other.info("other info");
        other.warn("other warn");
        // Kafka's server logs partly through log4j-api: it must reach the same appender.
        org.apache.logging.log4j.LogManager.getLogger("org.apache.kafka.server.logger.LoggingController")
                .warn("log4j-api warn");
        // Kafka's clients prefix each message with their id (LogContext): the start-up broker check's is left out.
        for (String id : java.util.List.of(org.fraudscorer.scorer.app.BrokerCheck.CLIENT_ID, "adminclient-1")) {
            new org.apache.kafka.common.utils.internals.LogContext("[AdminClient clientId=" + id + "] ")
                    .logger(org.apache.kafka.clients.NetworkClient.class).error("failed authentication");
        }
        product.error("product error", new IllegalStateException("boom"));
        System.out.println("probe done");
    }
}
