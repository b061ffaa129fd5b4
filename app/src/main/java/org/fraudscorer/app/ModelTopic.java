package org.fraudscorer.app;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.TrustedKeys;
import org.fraudscorer.scorer.cli.PublishCommand;
import org.fraudscorer.scorer.model.ModelRegistry;

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

    /**
     * The champion the scorers serve from {@code topic}, or null when none was ever published there: the latest model
     * that loads under any key but the challenger's (a {@code publish --name hotfix} serves as the champion too) and
     * fits the models before it (the same feature schema and label delay), tombstones skipped, as the scorers'
     * watcher does. With {@code trusted} (null = any verified model), only models
     * signed by one of those keys count, as for a scorer started with them.
     */
    static ModelBundle champion(Properties kafka, String topic, TrustedKeys trusted) {
        ModelBundle[] latest = {null};
        TopicHistory.readToEnd(kafka, topic, r -> {
            if (r.value() == null || (r.key() != null && ModelRegistry.CHALLENGER_KEY.equals(
                    new String(r.key(), StandardCharsets.UTF_8)))) {
                return; // the challenger, or a tombstone: neither changes what a scorer serves as champion
            }
            try {
                String origin = topic + "-" + r.partition() + "@" + r.offset();
                ModelBundle m = (trusted == null ? ModelFile.load(r.value(), origin, null)
                        : ModelFile.loadTrusted(r.value(), origin, trusted)).bundle();
                // Scorers also refuse a model that does not fit what they serve (another feature schema or label
                // delay, which their stores are built for): judged here against the first champion on the topic.
                if (latest[0] == null || ModelRegistry.misfit(latest[0], m) == null) {
                    latest[0] = m;
                }
            } catch (RuntimeException refused) {
                // scorers refuse it too: the previous model keeps serving
            }
        });
        return latest[0];
    }

    /** Sends the model file under {@code recordKey} as {@code publish} does; returns {@code topic-partition@offset}. */
    static String publish(Properties kafka, String topic, String recordKey, byte[] modelFile) throws Exception {
        RecordMetadata m = PublishCommand.send(kafka, topic, recordKey, modelFile);
        return m.topic() + "-" + m.partition() + "@" + m.offset();
    }
}
