package org.fraudscorer.app;

import java.util.Properties;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.TrustedKeys;
import org.fraudscorer.scorer.cli.PublishCommand;
import org.fraudscorer.scorer.model.TopicChampion;

/**
 * The compacted model topic as a retrain sees it, by the scorers' own rules ({@code ModelWatcher}): the serving
 * champion is the latest record under any key but the challenger's that loads (a record that does not verify is
 * refused by every scorer, so the one before it still serves; a champion's tombstone changes nothing a scorer
 * serves), and a retrained model is published by {@code publish}'s own send (key = name, or the challenger's key;
 * acks=all).
 */
final class ModelTopic {
    private ModelTopic() {
    }

    /** The champion the scorers serve from {@code topic} ({@link TopicChampion#read}), or null when none. */
    static ModelBundle champion(Properties kafka, String topic, TrustedKeys trusted) {
        return TopicChampion.read(kafka, topic, trusted);
    }

    /** Sends the model file under {@code recordKey} as {@code publish} does; returns {@code topic-partition@offset}. */
    static String publish(Properties kafka, String topic, String recordKey, byte[] modelFile) throws Exception {
        RecordMetadata m = PublishCommand.send(kafka, topic, recordKey, modelFile);
        return m.topic() + "-" + m.partition() + "@" + m.offset();
    }
}
