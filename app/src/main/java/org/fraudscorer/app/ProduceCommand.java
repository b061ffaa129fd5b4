package org.fraudscorer.app;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.scorer.cli.KafkaOptions;
import org.fraudscorer.scorer.config.ClientSettings;
import org.fraudscorer.scorer.config.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./fraud produce --data creditcard.csv --rate 1000}: replay a creditcard-format CSV into the input topic
 * as JSON events (key and {@code id} = the file's {@code id} column, or the row number without one), at a fixed rate.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Replay a creditcard.csv-format file, or raw payment events (handbook format; --labels for label "
                + "feedback), into the input topic as JSON events at a chosen rate.")
public final class ProduceCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;
    @Option(names = "--input-topic", defaultValue = Topics.DEFAULT_INPUT, description = "Defaults to ${DEFAULT-VALUE}.")
    String inputTopic;
    @Option(names = "--labels-topic", defaultValue = Topics.DEFAULT_LABELS, description = "Raw events with --labels: the label feedback topic. Defaults to ${DEFAULT-VALUE}.")
    String labelsTopic;
    @Option(names = "--data", required = true, description = "creditcard.csv-format rows (each event's id and key: "
            + "the file's id column, else the row number), or raw payment events (the handbook's header: "
            + "TRANSACTION_ID, TX_DATETIME, ...; .gz ok).")
    Path data;
    @Option(names = "--rate", defaultValue = "1000", description = "Events per second (0 = as fast as possible). Defaults to ${DEFAULT-VALUE}.")
    double rate;
    @Option(names = "--limit", defaultValue = "0", description = "Stop after this many events (0 = the whole file, or forever with --loop).")
    long limit;
    @Option(names = "--loop", description = "Start again at the first row after the last.")
    boolean loop;
    @Option(names = "--with-labels", description = "Include the label (Class, or TX_FRAUD for raw events) in each event (the scorer ignores it; consumers may use it).")
    boolean withLabels;
    @Option(names = "--labels", description = "Raw events only: also send each payment's label feedback to the labels topic, "
            + "right before the first event at least --delay-days later in event time. With --from/--until: the labels "
            + "due in those days, the earlier payments' included, so consecutive runs send each label once.")
    boolean labels;
    @Option(names = "--delay-days", defaultValue = "" + HandbookFeatures.DEFAULT_DELAY_DAYS,
            description = "Raw events only: label delay for --labels. Defaults to ${DEFAULT-VALUE}.")
    int delayDays;
    @Option(names = "--from", paramLabel = "DAY", description = "Raw events only: first day of payments to send (UTC, "
            + "YYYY-MM-DD; after a backfill, its --until). Default: the file's first.")
    java.time.LocalDate from;
    @Option(names = "--until", paramLabel = "DAY", description = "Raw events only: the day after the last one sent "
            + "(UTC, exclusive). Default: the file's end.")
    java.time.LocalDate until;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The topics this command writes: the input, and the labels for raw events with {@code --labels}. */
    record Written(String input, String labels) {
    }

    /** The topics this command writes ({@link #checkTopics} checked their names). */
    Written topics() {
        return new Written(inputTopic, labelsTopic);
    }

    /**
     * The names of the topics this command writes, as usage errors: each a valid topic name, and the labels not the
     * payments' topic. The scorer's other topics are not this command's: a name is not checked against them.
     */
    private void checkTopics() {
        for (String withLabels : new String[] {"--labels-topic", "--delay-days"}) {
            if (!labels && spec.commandLine().getParseResult().hasMatchedOption(withLabels)) { // it was ignored
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), withLabels + " goes with --labels "
                        + "(raw events' label feedback)");
            }
        }
        String problem = Topics.nameProblem(inputTopic);
        if (problem == null && labels) {
            problem = Topics.nameProblem(labelsTopic);
            if (problem == null && labelsTopic.equals(inputTopic)) {
                problem = "--labels-topic and --input-topic are both " + inputTopic + ": labels go to a topic of their "
                        + "own";
            }
        }
        if (problem != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), problem);
        }
    }

    /** The producer's settings: a 5 ms linger unless given, acks=all and idempotence always (else exit 2). */
    Properties producerProperties() throws java.io.IOException {
        try {
            return ClientSettings.of(kafka.kafka(), Map.of(ProducerConfig.LINGER_MS_CONFIG, "5",
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, CheckedProducer.MAX_BLOCK_MS),
                    ClientSettings.ACKS_ALL, ClientSettings.IDEMPOTENT);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!(rate >= 0) || Double.isInfinite(rate)) { // NaN passed "rate < 0" and sent unpaced
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rate must be a number ≥ 0, got "
                    + rate);
        }
        if (limit < 0) { // it was taken as "no limit" and sent the whole file
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be ≥ 0 (0 = no limit), "
                    + "got " + limit);
        }
        if (delayDays < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--delay-days must be ≥ 0, got "
                    + delayDays);
        }
        checkTopics();
        Properties p = producerProperties();
        long start = System.nanoTime();
        CheckedProducer producer = CheckedProducer.of(p);
        // Ctrl-C or SIGTERM (the usual end of --loop): stop sending, close the producer (the records it buffers are
        // written), say how far it got; it said nothing and dropped the buffer (found by a hunt). The exit code stays
        // the JVM's for the signal.
        Thread main = Thread.currentThread();
        java.util.concurrent.atomic.AtomicBoolean signalled = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> {
            signalled.set(true);
            main.interrupt();
            try {
                finished.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "produce-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            long sent;
            try {
                sent = producer.sendAll(labels ? inputTopic + " and " + labelsTopic : inputTopic,
                        checked -> AppFamily.forData(data).produce(this, checked));
            } catch (InterruptedException | org.apache.kafka.common.errors.InterruptException e) {
                if (!signalled.get()) {
                    throw e;
                }
                sent = producer.acknowledged() - producer.acknowledged(labelsTopic);
            }
            long labelled = producer.acknowledged(labelsTopic);
            double s = (System.nanoTime() - start) / 1e9;
            System.out.printf(java.util.Locale.ROOT, "%sproduced %,d events to %s%s in %.1f s (%.0f/s)%n",
                    signalled.get() ? "stopped: " : "", sent, inputTopic, labels ? String.format(java.util.Locale.ROOT,
                            " and %,d labels to %s", labelled, labelsTopic) : "", s, sent / s);
            return 0;
        } finally {
            Thread.interrupted(); // a signal that came after the sends: nothing left to stop
            finished.countDown();
            if (!signalled.get()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is stopping anyway
                }
            }
        }
    }
}
