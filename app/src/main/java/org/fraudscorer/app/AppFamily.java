package org.fraudscorer.app;

import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.kafka.clients.producer.Producer;
import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.trainer.data.RawEventCsv;

/**
 * The app's half of an {@link EventFamily}: what {@code produce} replays and what {@code demo} streams. The app
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

    /**
     * What the demo serves and streams.
     *
     * @param ledger what the task sends, by identity, for the demo's exact accounting
     * @param what   a description of the stream for the console
     */
    record DemoStream(ModelBundle model, String what, DemoLedger ledger, DemoCommand.ProducerTask task) {
    }
}
