package org.fraudscorer.scorer.model;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.TrustedKeys;
import org.fraudscorer.scorer.broker.TopicReader;

/**
 * The champion the scorers serve from a model topic, by their watcher's rules, read once from the topic's beginning:
 * for {@code retrain} (the model to beat) and {@code publish} (the model a new one must fit).
 */
public final class TopicChampion {
    /**
     * The header of a champion record sent by {@code publish --replace-misfit-champion}: the champion before it was the
     * mistake (another schema or label delay, refused by the scorers), so this one is what later models must fit.
     */
    public static final String REPLACES_MISFIT_HEADER = "fraud-replaces-misfit-champion";

    /** How long the read of the model topic may take. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(120);

    private TopicChampion() {
    }

    /**
     * The champion the scorers serve from {@code topic}, or null when none was ever published there (or the topic
     * does not exist): the latest model that loads under any key but the challenger's (a {@code publish --name
     * hotfix} serves as the champion too) and fits the models before it (the same feature schema and label delay),
     * tombstones skipped, as the scorers' watcher does; a record marked {@link #REPLACES_MISFIT_HEADER} is taken
     * whatever came before it, and the models after it are judged against it. With {@code trusted} (null = any verified model), only models
     * signed by one of those keys count, as for a scorer started with them.
     */
    public static ModelBundle read(Properties kafka, String topic, TrustedKeys trusted) {
        return read(kafka, topic, trusted, READ_TIMEOUT);
    }

    /** As {@link #read(Properties, String, TrustedKeys)}, giving up after {@code timeout}. */
    public static ModelBundle read(Properties kafka, String topic, TrustedKeys trusted, Duration timeout) {
        ModelFile.Loaded loaded = readLoaded(kafka, topic, trusted, timeout);
        return loaded == null ? null : loaded.bundle();
    }

    /**
     * As {@link #read(Properties, String, TrustedKeys, Duration)}, with what loading the champion's record found (its
     * signer, for {@code publish}'s check of a model that replaces a signed champion).
     */
    public static ModelFile.Loaded readLoaded(Properties kafka, String topic, TrustedKeys trusted, Duration timeout) {
        ModelFile.Loaded[] latest = {null};
        try {
            TopicReader.readToEnd(kafka, topic, timeout, r -> {
                if (r.value() == null || (r.key() != null && ModelRegistry.CHALLENGER_KEY.equals(
                        new String(r.key(), StandardCharsets.UTF_8)))) {
                    return; // the challenger, or a tombstone: neither changes what a scorer serves as champion
                }
                try {
                    String origin = topic + "-" + r.partition() + "@" + r.offset();
                    ModelFile.Loaded m = trusted == null ? ModelFile.load(r.value(), origin, null)
                            : ModelFile.loadTrusted(r.value(), origin, trusted);
                    // Scorers also refuse a model that does not fit what they serve (another feature schema or label
                    // delay, which their stores are built for): judged here against the first champion on the topic,
                    // or the latest publish --replace-misfit-champion sent
                    if (latest[0] == null || r.headers().lastHeader(REPLACES_MISFIT_HEADER) != null
                            || ModelRegistry.misfit(latest[0].bundle(), m.bundle()) == null) {
                        latest[0] = m;
                    }
                } catch (RuntimeException refused) {
                    // scorers refuse it too: the previous model keeps serving
                }
            });
        } catch (TopicReader.NoSuchTopic none) {
            return null;
        }
        return latest[0];
    }

    /** Whether {@code topic}'s latest challenger record is a model, not a tombstone (false without a topic). */
    public static boolean challengerHeld(Properties kafka, String topic) {
        return challengerRecord(kafka, topic) != null;
    }

    /**
     * The value of {@code topic}'s latest challenger record: the model file held, or null when none is (a tombstone,
     * no challenger record, no topic).
     */
    public static byte[] challengerRecord(Properties kafka, String topic) {
        byte[][] held = {null};
        try {
            TopicReader.readToEnd(kafka, topic, READ_TIMEOUT, r -> {
                if (r.key() != null
                        && ModelRegistry.CHALLENGER_KEY.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                    held[0] = r.value();
                }
            });
        } catch (TopicReader.NoSuchTopic none) {
            return null;
        }
        return held[0];
    }
}
