package org.fraudscorer.app;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.scorer.app.BrokerCheck;
import org.fraudscorer.scorer.cli.CliErrors;
import org.fraudscorer.scorer.cli.KafkaOptions;
import org.fraudscorer.scorer.config.Backfill;
import org.fraudscorer.scorer.config.ClientSettings;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.trainer.data.RawEventCsv;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.events.EventPeriod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./fraud backfill --data history.csv --until 2018-05-01}: warm start. Sends past payments (a handbook-format
 * file) to the scorer's input topic, in time order, each record marked with the {@link Backfill} header and carrying
 * its TX_FRAUD label in another: the scorers put them into the card and terminal stores through the same stages
 * as live events (same keys, same repartitions, so every instance and partition gets its own cards and terminals)
 * and emit no decision for them. Run it once per application id, before the live events of the period after
 * {@code --until}; a second run over the same days stores nothing twice (its run id, {@link Backfill#RUN_HEADER}). See
 * docs/operations.md, "Warm start".
 */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = "Warm start: load past payments and their labels (handbook-format file) into the scorers' card "
                + "and terminal stores, through the input topic marked as history (header " + Backfill.HEADER
                + ": 1, the label in " + Backfill.LABEL_HEADER + "): stored, never scored. Run again over the same "
                + "days, each card's payments already stored are dead letters (DUPLICATE_EVENT), not stored twice.")
public final class BackfillCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;
    @Option(names = "--input-topic", defaultValue = Topics.DEFAULT_INPUT, description = "Defaults to ${DEFAULT-VALUE}.")
    String inputTopic;
    @Option(names = "--data", description = "Past payments, handbook format (TRANSACTION_ID, TX_DATETIME, "
            + "CUSTOMER_ID, TERMINAL_ID, TX_AMOUNT, TX_FRAUD), .csv or .csv.gz.")
    Path data;
    @Option(names = "--events-from", paramLabel = "TOPIC", description = "Instead of --data: read past payments "
            + "(raw-event JSON) from this topic, earliest offset to its end now (an archive, not the input topic).")
    String eventsFrom;
    @Option(names = "--labels-from", paramLabel = "TOPIC", description = "With --events-from: their labels "
            + "(label JSON, as on transactions.labels), joined by TRANSACTION_ID.")
    String labelsFrom;
    @Option(names = "--read-timeout", defaultValue = "PT5M", description = "With --events-from: longest time to "
            + "read each topic (ISO-8601). Defaults to ${DEFAULT-VALUE}.")
    java.time.Duration readTimeout;
    @Option(names = "--from", description = "First day of history to send (UTC, yyyy-mm-dd). Defaults to the file's first.")
    LocalDate from;
    @Option(names = "--until", description = "Day after the last day of history to send (UTC, exclusive): the first "
            + "live day. Defaults to the end of the file.")
    LocalDate until;
    @Option(names = "--model-topic", defaultValue = Topics.DEFAULT_MODELS, description = "The deployment's model "
            + "topic: a backfill is refused when the champion it serves is not a raw-event model (its scorers would "
            + "dead-letter every payment). Defaults to ${DEFAULT-VALUE}.")
    String modelTopic;
    @Option(names = "--no-labels", description = "Send payments only (a file without TX_FRAUD): card features and "
            + "terminal counts warm up, terminal fraud rates do not.")
    boolean noLabels;
    @Option(names = "--wait", paramLabel = "DURATION", description = "After sending, wait up to this long (ISO-8601, "
            + "e.g. PT10M) until the scorers of --application-id have stored the history: their consumer group has "
            + "consumed it from the input topic and both repartition topics. Exit 1 if not by then (the history stays "
            + "sent). Default: do not wait.")
    java.time.Duration waitFor;
    @Option(names = "--application-id",
            defaultValue = org.fraudscorer.scorer.config.ScorerConfig.DEFAULT_APPLICATION_ID,
            description = "With --wait: the scorers' application id. Defaults to ${DEFAULT-VALUE}.")
    String applicationId;

    @Spec
    CommandSpec spec;

    /**
     * The producer's settings: batched for a bulk load (20 ms linger, 256 KiB batches, lz4) unless given, acks=all and
     * idempotence always (else exit 2).
     */
    Properties producerProperties() throws java.io.IOException {
        try {
            return ClientSettings.of(kafka.kafka(), Map.of(ProducerConfig.LINGER_MS_CONFIG, "20",
                    ProducerConfig.BATCH_SIZE_CONFIG, "262144", ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, CheckedProducer.MAX_BLOCK_MS),
                    ClientSettings.ACKS_ALL, ClientSettings.IDEMPOTENT);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        Days days = new Days(from, until).checked(spec);
        if ((data == null) == (eventsFrom == null)) {
            throw new ParameterException(spec.commandLine(), "give the history as --data FILE or --events-from TOPIC");
        }
        if (data != null && labelsFrom != null) {
            throw new ParameterException(spec.commandLine(), "--labels-from goes with --events-from (a file's labels "
                    + "are its TX_FRAUD column)");
        }
        if (noLabels && labelsFrom != null) { // the labels were not read, and the history went without them
            throw new ParameterException(spec.commandLine(), "--no-labels sends payments only: it cannot be combined "
                    + "with --labels-from " + labelsFrom);
        }
        if (eventsFrom != null && labelsFrom == null && !noLabels) {
            throw new ParameterException(spec.commandLine(), "--events-from needs --labels-from TOPIC, or --no-labels");
        }
        CliErrors.requireTopicName(spec, "--input-topic", inputTopic);
        CliErrors.requireTopicName(spec, "--events-from", eventsFrom);
        CliErrors.requireTopicName(spec, "--labels-from", labelsFrom);
        CliErrors.requireApplicationId(spec, "--application-id", applicationId);
        if (inputTopic.equals(eventsFrom)) {
            throw new ParameterException(spec.commandLine(), "--events-from must differ from --input-topic ("
                    + inputTopic + "): the history would be sent back to the topic it is read from");
        }
        if (labelsFrom != null && (labelsFrom.equals(eventsFrom) || labelsFrom.equals(inputTopic))) {
            // accepted before: payments read as labels found none, and the history went without them (a warning)
            throw new ParameterException(spec.commandLine(), "--labels-from " + labelsFrom + " must differ from "
                    + (labelsFrom.equals(eventsFrom) ? "--events-from" : "--input-topic") + ": labels have a topic "
                    + "of their own");
        }
        if (waitFor != null && (waitFor.isNegative() || waitFor.toMillis() < 1)) {
            throw new ParameterException(spec.commandLine(), "--wait must be positive, got " + waitFor);
        }
        if (waitFor == null && spec.commandLine().getParseResult().hasMatchedOption("--application-id")) {
            throw new ParameterException(spec.commandLine(), "--application-id goes with --wait (the scorers to wait "
                    + "for; the history goes to --input-topic whatever the application id)");
        }
        if (data != null && spec.commandLine().getParseResult().hasMatchedOption("--read-timeout")) {
            throw new ParameterException(spec.commandLine(), "--read-timeout goes with --events-from (a file is read "
                    + "whole)");
        }
        if (readTimeout.isNegative() || readTimeout.toMillis() < 1) { // 0 said "cannot reach Kafka"
            throw new ParameterException(spec.commandLine(), "--read-timeout must be positive, got " + readTimeout);
        }
        CliErrors.requireTopicName(spec, "--model-topic", modelTopic);
        Properties p = producerProperties();
        if (eventsFrom != null) { // the history comes from the cluster
            BrokerCheck.await(kafka.kafka(), BrokerCheck.DEFAULT_TIMEOUT);
        }
        // Everything is read and checked before the first record is sent: bad history sends nothing.
        RawEvents history = days.of(data != null ? readFile() : readTopics());
        if (history.size() == 0) {
            throw new IllegalArgumentException((data != null ? data.toString() : eventsFrom) + ": no payment in "
                    + days);
        }
        if (!noLabels && !history.hasLabelColumn()) {
            throw new IllegalArgumentException(data + " has no TX_FRAUD column: add the labels, or pass --no-labels "
                    + "to warm card features and terminal counts only"); // topics: labels is never null here
        }
        if (eventsFrom == null) { // a file's history is checked: now the cluster
            BrokerCheck.await(kafka.kafka(), BrokerCheck.DEFAULT_TIMEOUT);
        }
        refuseOtherDeployment();
        RawEventReplay replay = RawEventReplay.of(noLabels ? history.withoutLabels() : history, inputTopic).asHistory();
        long start = System.nanoTime();
        long sent = CheckedProducer.of(p).sendAll(inputTopic,
                producer -> replay.send(producer, new AtomicBoolean(true), new AtomicLong()));
        double s = (System.nanoTime() - start) / 1e9;
        spec.commandLine().getOut().printf(Locale.ROOT, "backfilled %,d payments%s (%s) to %s in %.1f s (%.0f/s), "
                        + "marked %s: 1; the scorers store them without decisions (done when their consumer group's "
                        + "lag is 0, docs/operations.md)%n", sent,
                labelsText(noLabels ? history.size() : history.unknownLabels(), history.size()), describe(history),
                inputTopic, s, sent / s,
                Backfill.HEADER);
        if (waitFor != null) {
            awaitStored();
        }
        return 0;
    }

    /** {@code --wait}: until the scorers have consumed the history ({@link BackfillWait}), or exit 1 saying why. */
    private void awaitStored() throws Exception {
        long start = System.nanoTime();
        var err = spec.commandLine().getErr();
        String problem;
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                org.fraudscorer.scorer.config.ClientSettings.forAdmin(kafka.kafka()))) {
            problem = BackfillWait.await(admin, applicationId, inputTopic, waitFor,
                    p -> err.println("waiting for the scorers of " + applicationId + ": " + p));
        }
        if (problem != null) {
            throw new IllegalStateException("the scorers of application id " + applicationId + " had not stored the "
                    + "history after " + waitFor + " (" + problem + "; is a scorer running with --application-id "
                    + applicationId + "?); the history was sent");
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "stored: the scorers of %s consumed the history from %s and "
                + "their repartition topics in %.1f s%n", applicationId, inputTopic, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Refuses a deployment whose model topic serves a champion that does not read raw events (a creditcard scorer
     * dead-letters each backfilled payment, which then only fills its dead-letter topic). Without a champion on the
     * topic (scorers serving their start-up --model, the usual case before a first publish) there is nothing to
     * compare and the backfill goes on, silently; so it does when the topic is not visible to this principal (without
     * DESCRIBE, Kafka lists no such topic). A topic it sees but cannot read goes on with a warning.
     */
    private void refuseOtherDeployment() throws java.io.IOException {
        org.fraudscorer.common.model.ModelBundle champion;
        try {
            champion = org.fraudscorer.scorer.model.TopicChampion.read(kafka.kafka(), modelTopic, null,
                    java.time.Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("warning: the champion on " + modelTopic + " was not read ("
                    + e.getMessage() + "): not checked that the deployment scores raw payment events");
            return;
        }
        if (champion != null && champion.family() != EventFamily.RAW_EVENTS) {
            throw new IllegalArgumentException(modelTopic + " serves champion " + champion.modelVersion() + ", a "
                    + champion.family().description() + " model: its scorers would dead-letter every backfilled payment "
                    + "(give the --model-topic of the raw-event deployment); nothing sent");
        }
    }

    /** " with their labels", or how many go without one (an empty TX_FRAUD: a verdict not in yet). */
    static String labelsText(int withoutLabel, int payments) {
        return withoutLabel == 0 ? " with their labels" : withoutLabel == payments ? " without labels"
                : String.format(Locale.ROOT, " with their labels (%,d without one: not known yet)", withoutLabel);
    }

    private RawEvents readFile() {
        if (RawEventCsv.family(data) != EventFamily.RAW_EVENTS && java.nio.file.Files.isReadable(data)) {
            throw new IllegalArgumentException(data + ": not raw payment events in the handbook's format "
                    + "(needs " + String.join(", ", EventFamily.RAW_EVENT_COLUMNS) + ")");
        }
        RawEvents rows = RawEventCsv.read(data);
        RawEvents once = rows.firstOfEachId(rows.source());
        if (once.size() < rows.size()) { // as from topics: the scorer would dead-letter or double-count a repeat
            int repeats = rows.size() - once.size();
            spec.commandLine().getErr().printf(Locale.ROOT, "warning: %,d row%s of %s repeat%s the TRANSACTION_ID of "
                    + "an earlier row: sent once%n", repeats, repeats == 1 ? "" : "s", data, repeats == 1 ? "s" : "");
        }
        return once;
    }

    /** The topics' payments and labels; what cannot be used is reported in one line each, and stays on its topic. */
    private RawEvents readTopics() throws java.io.IOException {
        // a payment without a label is stored without one (it counted as a genuine label before)
        TopicHistory.Read t = TopicHistory.read(kafka.kafka(), eventsFrom, noLabels ? null : labelsFrom,
                new EventPeriod(null, null), readTimeout, true);
        var err = spec.commandLine().getErr();
        if (t.rejectedEvents() > 0) {
            err.printf(Locale.ROOT, "warning: %,d records on %s are not raw payment events: skipped (they stay on "
                    + "%s; the scorer's dead-letter reasons say why)%n", t.rejectedEvents(), eventsFrom, eventsFrom);
        }
        if (t.futureDatedEvents() > 0) {
            err.printf(Locale.ROOT, "warning: %,d payments on %s are dated after their own record by more than the "
                    + "scorer's default clock skew and 14 h: skipped, as the scorer dead-letters them "
                    + "(FUTURE_EVENT_TIME)%n", t.futureDatedEvents(), eventsFrom);
        }
        if (t.duplicateEvents() > 0) {
            err.printf(Locale.ROOT, "warning: %,d payments on %s repeat a TRANSACTION_ID read before: sent once%n",
                    t.duplicateEvents(), eventsFrom);
        }
        if (t.rejectedLabels() > 0) {
            err.printf(Locale.ROOT, "warning: %,d records on %s are not labels: skipped (they stay on %s)%n",
                    t.rejectedLabels(), labelsFrom, labelsFrom);
        }
        if (t.labelsForUnknownPayments() > 0) {
            err.printf(Locale.ROOT, "warning: %,d labels on %s are for payments not on %s (first: TRANSACTION_ID "
                    + "%d): not applied (they stay on %s)%n", t.labelsForUnknownPayments(), labelsFrom, eventsFrom,
                    t.firstUnknownPayment(), labelsFrom);
        }
        return t.events();
    }

    private static String describe(RawEvents h) {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (int i = 0; i < h.size(); i++) {
            lo = Math.min(lo, h.time(i));
            hi = Math.max(hi, h.time(i));
        }
        return java.time.Instant.ofEpochSecond(lo) + " .. " + java.time.Instant.ofEpochSecond(hi);
    }
}
