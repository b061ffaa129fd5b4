package org.fraudscorer.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;
import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.trainer.data.RawEventCsv;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.events.EventPeriod;
import org.fraudscorer.trainer.events.FeatureReplay;
import org.fraudscorer.trainer.events.HandbookModels;
import org.fraudscorer.trainer.events.TransactionSimulator;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.fraudscorer.trainer.train.TrainingListener;

/**
 * The raw-event demo's data and model. Without a file: the model is trained on one simulated history (seed + 1,
 * its weeks 3 to 6, features replayed over the whole history) and the stream is another one (seed) from its first
 * day, so the scorer never sees a payment it was trained on and its stores fill exactly as in a fresh deployment.
 * With a handbook-format file: trained on its days up to 60% of its span (after a first week of history), streamed
 * from the next day on; the scorer's histories then start empty, so the first 30 + delay days of the stream have
 * thinner card and terminal windows than training had.
 */
final class RawDemo {
    static final int CUSTOMERS = 400;
    static final int TERMINALS = 800;
    static final int DAYS = 60;

    record Prepared(RawEvents events, ModelBundle model, int delayDays) {
    }

    private RawDemo() {
    }

    static Prepared prepare(PrintStream out, Path data, Path modelFile, int epochs, long seed) throws Exception {
        int delay = HandbookFeatures.DEFAULT_DELAY_DAYS;
        RawEvents history;
        RawEvents stream;
        EventPeriod train;
        if (data == null) {
            LocalDate start = LocalDate.of(2018, 4, 1);
            out.printf(Locale.ROOT, "No --data: simulating raw payment events (%d cards, %d terminals, %d days, seed %d)...%n",
                    CUSTOMERS, TERMINALS, DAYS, seed);
            history = TransactionSimulator.simulate(new TransactionSimulator.Config(CUSTOMERS, TERMINALS, DAYS, start, 5,
                    seed + 1)).events();
            stream = TransactionSimulator.simulate(new TransactionSimulator.Config(CUSTOMERS, TERMINALS, DAYS, start, 5,
                    seed)).events();
            train = new EventPeriod(start.plusDays(14), start.plusDays(41));
        } else {
            history = RawEventCsv.read(data);
            long first = Arrays.stream(timesOf(history)).min().orElseThrow() / HandbookFeatures.DAY;
            long last = Arrays.stream(timesOf(history)).max().orElseThrow() / HandbookFeatures.DAY;
            LocalDate to = LocalDate.ofEpochDay(first + (long) ((last - first) * 0.6));
            train = new EventPeriod(LocalDate.ofEpochDay(Math.min(first + 7, to.toEpochDay())), to);
            long from = (to.toEpochDay() + 1) * HandbookFeatures.DAY;
            stream = history.subset(IntStream.range(0, history.size()).filter(i -> history.time(i) >= from).toArray(),
                    history.source());
            if (stream.size() == 0) {
                throw new IllegalArgumentException(data + ": no events after the training period " + train);
            }
        }
        ModelBundle model;
        if (modelFile != null) {
            model = ModelFile.read(modelFile);
            EventFamily.RAW_EVENTS.requireModel(model.schema(), model.modelVersion(),
                    data == null ? "the simulator" : data.toString());
            delay = model.labelDelayDays().orElseThrow();
            out.println("Model " + model.modelVersion() + " loaded from " + modelFile);
        } else {
            out.printf(Locale.ROOT, "Training a handbook-schema model on %s (features replayed over %,d events, %d epochs max)...%n",
                    train, history.size(), epochs);
            HandbookModels.ProcedureResult t = HandbookModels.trainProcedure(history,
                    FeatureReplay.replay(history, delay), train, delay, trainingOptions(epochs, seed),
                    TrainingListener.NONE);
            Path file = Path.of("models", "demo-raw-model.json");
            model = ModelFile.write(t.bundle(), file);
            out.printf(Locale.ROOT, "Model %s written to %s: out-of-fold AP %.4f, ROC-AUC %.4f, threshold %.4f%n",
                    model.modelVersion(), file, t.validation().prAuc(), t.validation().rocAuc(), model.threshold().value());
        }
        return new Prepared(stream, model, delay);
    }

    /**
     * The trainer's raw-event procedure, sized for a demo: 2 weekly folds choose the epoch count, one network,
     * and no refit (the refit would learn from the days the demo streams).
     */
    static FraudModelTrainer.Options trainingOptions(int epochs, long seed) {
        TrainerConfig config = TrainerConfig.rawEventDefaults().withEpochsAndSeed(epochs, seed);
        return FraudModelTrainer.Options.defaults().withConfig(config).withFolds(2).withEnsemble(1).withRefit(false);
    }

    private static long[] timesOf(RawEvents e) {
        return IntStream.range(0, e.size()).mapToLong(e::time).toArray();
    }
}
