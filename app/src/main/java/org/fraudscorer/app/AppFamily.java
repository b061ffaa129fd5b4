package org.fraudscorer.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.Producer;
import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.trainer.data.RawEventCsv;
import org.fraudscorer.trainer.events.EventPeriod;
import org.fraudscorer.trainer.report.ConsoleReport;
import org.fraudscorer.trainer.retrain.Challenge;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import org.fraudscorer.trainer.train.TrainerConfig;

/**
 * The app's half of an {@link EventFamily}: what {@code produce} replays, what {@code demo} streams and what
 * {@code retrain} reads and trains. The app
 * module's one dispatch on the family is {@link #of}.
 */
interface AppFamily {

    static AppFamily of(EventFamily family) {
        return switch (family) {
            case CREDITCARD -> CreditCardApp.INSTANCE;
            case RAW_EVENTS -> RawEventApp.INSTANCE;
        };
    }

    /** The family of a data file, told from its header. */
    static AppFamily forData(Path data) {
        return of(RawEventCsv.family(data));
    }

    /** Replays {@code c.data} into the input topic (and, where the family has them, label feedback); events sent. */
    long produce(ProduceCommand c, Producer<String, byte[]> producer) throws Exception;

    /** The demo's model (trained or loaded) and the stream of events it never saw. */
    DemoStream demo(DemoCommand c, PrintStream out) throws Exception;

    /** The network and training defaults {@code retrain}'s options start from. */
    TrainerConfig trainingDefaults();

    /** {@code retrain}'s options that only the other families use: refused with this one, so none is ignored. */
    String[] retrainOptionsOfOthers();

    /**
     * {@code retrain}'s challenger: this family's payments and labels read from {@code c.data} or from the topics,
     * trained with {@code options}, and scored beside {@code champion} (null: none serves) on the latest labelled
     * window. What was read is added to {@code context} (the run's report).
     *
     * @param period the payments the run may see (raw events; the creditcard family refuses --from/--to)
     */
    Challenge challenge(RetrainCommand c, EventPeriod period, Properties kafka, FraudModelTrainer.Options options,
                        ModelBundle champion, Map<String, Object> context, ConsoleReport progress) throws Exception;

    /**
     * What the demo serves and streams.
     *
     * @param ledger what the task sends, by identity, for the demo's exact accounting
     * @param what   a description of the stream for the console
     */
    record DemoStream(ModelBundle model, String what, DemoLedger ledger, DemoCommand.ProducerTask task) {
    }
}
