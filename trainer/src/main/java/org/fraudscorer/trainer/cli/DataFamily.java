package org.fraudscorer.trainer.cli;

import java.nio.file.Path;
import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.trainer.data.RawEventCsv;
import org.fraudscorer.trainer.train.TrainerConfig;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The trainer's half of an {@link EventFamily}: how {@code train}, {@code evaluate} and {@code score} work on its
 * data. The commands parse their options, then hand themselves to the family of their data ({@link #forData}): this
 * is the trainer's only dispatch on the family.
 */
interface DataFamily {

    /** The one dispatch point of the trainer module. */
    static DataFamily of(EventFamily family) {
        return switch (family) {
            case CREDITCARD -> CreditCardCommands.INSTANCE;
            case RAW_EVENTS -> RawEventCommands.INSTANCE;
        };
    }

    /** The family of a data file, told from its header. */
    static DataFamily forData(Path data) {
        return of(RawEventCsv.family(data));
    }

    EventFamily family();

    /** The network and training defaults of this family ({@code --hidden}, {@code --dropout}, … start from them). */
    TrainerConfig defaults();

    int train(TrainCommand c) throws Exception;

    int evaluate(EvaluateCommand c) throws Exception;

    int score(ScoreCommand c) throws Exception;

    /** Refuses {@code ./fraud tune} unless this family supports the search (it searches creditcard data). */
    default void requireTunable(Path data) {
        throw new IllegalArgumentException(data + " holds " + family().description() + ": tune searches "
                + "creditcard-format data; for this data use 'train' with its options");
    }

    /** Refuses options the user gave that this family does not use, so no option is silently ignored. */
    default void refuseGiven(CommandSpec spec, String... options) {
        GivenOptions.refuse(spec, family().description(), options);
    }
}
