package org.fraudscorer.app;

import java.util.Properties;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.fraudscorer.scorer.cli.PublishCommand;

/**
 * The compacted model topic as a retrain writes it: a retrained model is published by {@code publish}'s own send
 * (key = name, or the challenger's key; acks=all). The champion it is compared with is read by
 * {@link org.fraudscorer.scorer.model.TopicChampion}, by the scorers' own rules.
 */
final class ModelTopic {
    private ModelTopic() {
    }

    /** Sends the model file under {@code recordKey} as {@code publish} does; returns {@code topic-partition@offset}. */
    static String publish(Properties kafka, String topic, String recordKey, byte[] modelFile) throws Exception {
        RecordMetadata m = PublishCommand.send(kafka, topic, recordKey, modelFile);
        return m.topic() + "-" + m.partition() + "@" + m.offset();
    }
}
