package org.fraudscorer.app;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.text.Counted;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.scorer.serde.TransactionJson;
import org.fraudscorer.trainer.cli.GivenOptions;
import org.fraudscorer.trainer.data.CreditCardCsv;
import org.fraudscorer.trainer.data.CreditCardRows;
import org.fraudscorer.trainer.data.Dataset;
import org.fraudscorer.trainer.data.Splitter;
import org.fraudscorer.trainer.events.EventPeriod;
import org.fraudscorer.trainer.report.ConsoleReport;
import org.fraudscorer.trainer.retrain.Challenge;
import org.fraudscorer.trainer.retrain.ChallengerGate;
import org.fraudscorer.trainer.retrain.CreditCardRetraining;
import org.fraudscorer.trainer.retrain.InputRead;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import org.fraudscorer.trainer.train.TrainingListener;

/**
 * Creditcard-format rows in the app: replayed as JSON events keyed by their id (the file's id column, else the row
 * number), each scored on its own.
 */
final class CreditCardApp implements AppFamily {
    static final CreditCardApp INSTANCE = new CreditCardApp();

    /** Malformed events the demo mixes in: each must end in the dead-letter topic with its reason. */
    static final List<String> BAD_EVENTS = List.of("{\"Time\": 1, \"V1\": ", "not json at all", "[1,2,3]",
            "{\"Time\":\"yesterday\"}", "{\"Amount\": -5}", "{}", "{\"Time\": NaN}");

    private CreditCardApp() {
    }

    @Override
    public long produce(ProduceCommand c, Producer<String, byte[]> producer) throws Exception {
        GivenOptions.refuse(c.spec, EventFamily.CREDITCARD.description(), "--labels", "--delay-days", "--from",
                "--until");
        return replay(c.data, producer, c.topics().input(), c.rate, c.limit, c.loop, c.withLabels);
    }

    /**
     * Sends a file's rows as events, paced to {@code rate} per second; returns the number sent. Every row is checked
     * before the first is sent (a bad line sends nothing), then the file is streamed (again for each {@code loop}): a
     * file of any length goes in the memory of one row and of its ids.
     */
    static long replay(java.nio.file.Path file, Producer<String, byte[]> producer, String topic, double rate,
                       long limit, boolean loop, boolean withLabels) throws InterruptedException {
        double[] row = new double[Dataset.INPUT_COUNT];
        try (CreditCardRows rows = CreditCardRows.open(file)) {
            while (rows.next(row)) {
                // checked only: a repeated id, a bad value or a malformed line is refused before anything is sent
            }
        }
        long sent = 0;
        long start = System.nanoTime();
        do {
            try (CreditCardRows rows = CreditCardRows.open(file)) {
                while (rows.next(row)) {
                    if (limit > 0 && sent >= limit || Thread.currentThread().isInterrupted()) {
                        return sent;
                    }
                    // the file's id column, else the row number
                    String id = rows.hasIds() ? rows.id() : Integer.toString(rows.rowNumber());
                    Integer label = withLabels && rows.hasLabels() ? rows.label() : null;
                    byte[] json = TransactionJson.write(FeatureSchema.CREDITCARD, id, row, label);
                    producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(), id, json));
                    sent++;
                    Pacing.await(start, sent, rate);
                }
            }
        } while (loop);
        return sent;
    }

    @Override
    public TrainerConfig trainingDefaults() {
        return TrainerConfig.creditcardDefaults();
    }

    @Override
    public String[] retrainOptionsOfOthers() {
        return new String[] {"--from", "--to", "--delay-days", "--window-days"};
    }

    /**
     * Rows from the archive, or the topics' labelled rows joined by id with the console's labels, with their places on
     * the input topic (the challenger records the end offsets read; the champion's tell which window rows it may have
     * been fit on).
     */
    @Override
    public Challenge challenge(RetrainCommand c, EventPeriod period, Properties kafka, FraudModelTrainer.Options options,
                               ModelBundle champion, Map<String, Object> context, ConsoleReport progress) {
        Dataset rows;
        InputRead input = null;
        if (c.data == null) {
            CreditCardTopicHistory.Read read = CreditCardTopicHistory.read(kafka, c.inputTopic, c.labelsTopic,
                    c.readTimeout);
            context.put("read", read.toMap());
            rows = read.rows();
            input = read.input();
            String unapplied = read.unappliedLabels(c.labelsTopic, c.inputTopic);
            if (unapplied != null) {
                c.spec.commandLine().getErr().println("warning: " + unapplied);
            }
            requireGenuineLabels(rows, c.labelsTopic);
        } else {
            rows = CreditCardCsv.read(c.data);
        }
        return CreditCardRetraining.challenge(rows, options, champion, progress, input);
    }

    /**
     * Refuses topic rows whose labels are (nearly) all frauds, saying where genuine labels come from. The console's
     * verdicts label the alerts an analyst reviewed, and a good model's alerts are mostly frauds: a deployment whose
     * only labels were those (a hunt: 118 frauds and 1 genuine payment) got the trainer's "training rows hold 71 frauds
     * out of 71: both classes are needed", which says nothing of what to do.
     */
    static void requireGenuineLabels(Dataset rows, String labelsTopic) {
        int genuine = rows.rows() - rows.positives();
        if (genuine < ChallengerGate.MIN_PER_CLASS) {
            throw new IllegalArgumentException("the labelled events hold " + Counted.of(rows.positives(), "fraud")
                    + " and " + Counted.of(genuine, "genuine payment") + ": a model learns from both, and is judged "
                    + "on at least " + ChallengerGate.MIN_PER_CLASS + " of each. The console's verdicts label "
                    + "reviewed alerts, mostly frauds: send " + labelsTopic + " genuine labels too (a record with the "
                    + "event's id and \"Class\":0, e.g. settled payments; './fraud produce --data FILE --with-labels "
                    + "--input-topic " + labelsTopic + "' sends a file's rows so), or retrain from an archive "
                    + "(--data)");
        }
    }

    @Override
    public DemoStream demo(DemoCommand c, PrintStream out) throws Exception {
        GivenOptions.refuse(c.spec, EventFamily.CREDITCARD.description(), "--input-keyed-by-card"); // it was ignored
        Dataset all = CreditCardCsv.read(c.data);
        ModelBundle bundle;
        if (c.model != null) {
            bundle = ModelFile.read(c.model);
            EventFamily.CREDITCARD.requireModel(bundle.schema(), bundle.modelVersion(), c.data.toString());
            out.println("Model " + bundle.modelVersion() + " loaded from " + c.model);
        } else {
            out.printf(Locale.ROOT, "Training a model on the first 75%% of %s (%,d rows, %d epochs max)...%n", c.data,
                    all.rows(), c.epochs);
            // No refit: the demo streams the test part, which the shipped model must not have learnt from.
            FraudModelTrainer.Options o = FraudModelTrainer.Options.defaults();
            o = o.withConfig(o.config().withEpochsAndSeed(c.epochs, c.seed)).withRefit(false);
            FraudModelTrainer.Result r = FraudModelTrainer.train(all, o, TrainingListener.NONE);
            Path file = Path.of("models", "demo-model.json");
            bundle = ModelFile.write(r.bundle(), file);
            out.printf(Locale.ROOT, "Model %s written to %s: test PR-AUC %.4f, ROC-AUC %.4f, threshold %.4f%n",
                    bundle.modelVersion(), file, r.test().prAuc(), r.test().rocAuc(), bundle.threshold().value());
        }
        // Stream the rows the model was not trained on (the last 25% by time).
        Dataset stream = Splitter.latestAsTest(all, 0.60, 0.15, c.seed).test();
        DemoLedger ledger = new DemoLedger(Topics.defaults().input(), ProducerRecord::key); // the key is the row's id
        return new DemoStream(bundle, String.format(Locale.ROOT, "%,d unseen transactions (looping)", stream.rows()),
                ledger, (bootstrap, running, produced) -> stream(c, ledger, bootstrap, stream,
                        Topics.defaults().input(), running, produced));
    }

    /** The key and id of the demo's event for row {@code r}: the file's id, or {@code row-N} without an id column. */
    static String demoKey(Dataset stream, int r) {
        return stream.hasIds() ? stream.id(r) : "row-" + stream.rowNumber(r);
    }

    /** The demo's stream: the rows in a loop with malformed events mixed in, until {@code running} turns false. */
    private static void stream(DemoCommand c, DemoLedger ledger, String bootstrap, Dataset stream, String topic,
                               AtomicBoolean running, AtomicLong produced) {
        SplittableRandom rng = new SplittableRandom(c.seed);
        double[] row = new double[stream.inputCount()];
        long start = System.nanoTime();
        long sent = 0;
        try (KafkaProducer<String, byte[]> producer = ledger.recording(DemoCommand.producerConfig(bootstrap))) {
            int r = 0;
            while (running.get()) {
                if (rng.nextDouble() < c.badRatio) {
                    producer.send(DemoLedger.malformed(topic, sent,
                            BAD_EVENTS.get(rng.nextInt(BAD_EVENTS.size())).getBytes(StandardCharsets.UTF_8)));
                } else {
                    stream.copyRow(r, row, 0);
                    String key = demoKey(stream, r);
                    byte[] value = TransactionJson.write(FeatureSchema.CREDITCARD, key, row, stream.label(r));
                    r = (r + 1) % stream.rows();
                    producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(), key, value));
                }
                sent++;
                produced.set(sent);
                Pacing.await(start, sent, c.rate);
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
