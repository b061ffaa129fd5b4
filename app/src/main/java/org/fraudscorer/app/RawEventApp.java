package org.fraudscorer.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.scorer.config.Topics;
import org.fraudscorer.trainer.cli.GivenOptions;
import org.fraudscorer.trainer.data.RawEventCsv;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.events.EventPeriod;
import org.fraudscorer.trainer.report.ConsoleReport;
import org.fraudscorer.trainer.retrain.Challenge;
import org.fraudscorer.trainer.retrain.RawEventRetraining;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import org.fraudscorer.trainer.train.TrainerConfig;

/**
 * Raw payment events in the app: replayed in time order with label feedback ({@link RawEventReplay}, {@link RawDemo}),
 * retrained on a period of payments whose labels have arrived.
 */
final class RawEventApp implements AppFamily {
    static final RawEventApp INSTANCE = new RawEventApp();

    private RawEventApp() {
    }

    @Override
    public long produce(ProduceCommand c, Producer<String, byte[]> producer) throws Exception {
        // Time order is what the card and terminal histories need: the replay does not start again.
        GivenOptions.refuse(c.spec, EventFamily.RAW_EVENTS.description(), "--loop");
        Days days = new Days(c.from, c.until).checked(c.spec);
        RawEvents all = RawEventCsv.read(c.data);
        RawEvents events = days.of(all);
        if (events.size() == 0) {
            throw new IllegalArgumentException(c.data + ": no payment in " + days);
        }
        // the labels due in these days include those of the delay's days before --from: read from the whole file
        if (c.labels && all.unknownLabels() == all.size()) {
            throw new IllegalArgumentException("--labels needs a TX_FRAUD column in " + c.data
                    + (all.hasLabelColumn() ? " with labels (every cell is empty)" : ""));
        }
        RawEventReplay replay = (c.labels ? labelledReplay(all, c.from, c.until, c.delayDays, c.topics().input(),
                c.topics().labels()) : RawEventReplay.of(events, c.topics().input())).paced(c.rate, c.limit);
        if (c.withLabels) {
            replay = replay.withEventLabels();
        }
        return replay.send(producer, new AtomicBoolean(true), new AtomicLong());
    }

    /**
     * {@code produce --labels}' replay of the days [from, until) of {@code all} (null: the file's first, or its end):
     * their payments, and the labels that become known during those days, i.e. also those of the payments of the
     * {@code delayDays} days before {@code from}, and, with {@code until}, those due before it after the last payment.
     * So runs over consecutive days send every label once, where one run over all of them would
     * (RawEventReplayTest).
     */
    static RawEventReplay labelledReplay(RawEvents all, java.time.LocalDate from, java.time.LocalDate until,
                                         int delayDays, String inputTopic, String labelsTopic) {
        RawEvents withEarlier = new Days(from == null ? null : from.minusDays(delayDays), until).of(all);
        return RawEventReplay.of(withEarlier, inputTopic).withLabelFeedback(labelsTopic, delayDays)
                .within(epoch(from, Long.MIN_VALUE), epoch(until, Long.MIN_VALUE));
    }

    private static long epoch(java.time.LocalDate day, long none) {
        return day == null ? none : day.atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
    }

    @Override
    public TrainerConfig trainingDefaults() {
        return TrainerConfig.rawEventDefaults();
    }

    @Override
    public String[] retrainOptionsOfOthers() {
        return new String[] {"--split", "--train-fraction", "--validation-fraction", "--negative-weight"};
    }

    /** The period's payments, from the archive or the input topic with the labels topic's feedback. */
    @Override
    public Challenge challenge(RetrainCommand c, EventPeriod period, Properties kafka, FraudModelTrainer.Options options,
                               ModelBundle champion, Map<String, Object> context, ConsoleReport progress) {
        context.put("period", period.toString());
        // Scorers keep one label delay for the life of their stores and refuse a model with another: without
        // --delay-days the challenger takes the champion's; a different one given is refused by the challenge.
        int delayDays = c.delayDays;
        if (champion != null && champion.labelDelayDays().isPresent()
                && !c.spec.commandLine().getParseResult().hasMatchedOption("--delay-days")) {
            delayDays = champion.labelDelayDays().getAsInt();
        }
        context.put("delay_days", delayDays);
        context.put("window_days", c.windowDays);
        // The days before --from are read as history: they fill the card and terminal windows of the first training
        // days (as the scorer's stores hold them) and are not trained on. Without them those days would train on
        // features that start empty, which no scorer with full stores computes.
        EventPeriod withHistory = period.withDaysBefore(HandbookFeatures.historyDays(delayDays));
        context.put("history_from", withHistory.from() == null ? "start" : withHistory.from().toString());
        RawEvents events;
        String labelsBehind = null;
        if (c.data == null) {
            TopicHistory.Read read = TopicHistory.read(kafka, c.inputTopic, c.labelsTopic, withHistory,
                    c.readTimeout, period);
            context.put("read", read.toMap());
            events = read.events();
            // Payments of the history days only (a --from weeks after the last payment, whose history days hold
            // payments with no label due yet) said "no label on topic …" of a topic full of them (a hands-on week)
            // (and said "too short for training days, a 7-day delay, ..." of a period running from --from back to the
            // last payment, before it: found by a hunt)
            period.rows(events, "payment");
            if (events.frauds() == 0 && read.labels() == 0) {
                // it said "the latest labelled window ... holds no fraud", as if labels had come and held none
                long others = read.labelsForUnknownPayments();
                throw new IllegalArgumentException("no label on topic " + c.labelsTopic + " for the payments read ("
                        + read.rejectedLabels() + " records that are not labels" + (others == 0 ? "" : ", " + others
                        + (others == 1 ? " label of a payment" : " labels of payments") + " not read: first "
                        + "TRANSACTION_ID " + read.firstUnknownPayment()) + ") and no fraud among the labels of "
                        + "backfilled payments on " + c.inputTopic + ": every payment counts as genuine, and a "
                        + "challenger learns fraud from labels");
            }
            labelsBehind = labelsBehind(events, read.lastLabelledPayment(), delayDays, c.windowDays, c.labelsTopic);
        } else {
            RawEvents all = RawEventCsv.read(c.data);
            period.rows(all, "payment"); // named with the days asked for, not those read as history before them
            events = restrict(all, withHistory);
        }
        context.put("labels_behind", labelsBehind);
        context.put("events_read", events.size()); // history included
        String shortHistory = shortHistory(events, period, delayDays, c.windowDays);
        context.put("short_history", shortHistory);
        Challenge challenge = RawEventRetraining.challenge(events, delayDays, c.windowDays, options, champion,
                progress, period.from());
        if (shortHistory != null) { // said once trained: a run that fails before stays one line
            c.spec.commandLine().getErr().println("warning: " + shortHistory);
        }
        if (labelsBehind != null) {
            c.spec.commandLine().getErr().println("warning: " + labelsBehind);
        }
        return challenge;
    }

    /**
     * Whether the labels on the topic stop before the end of the latest labelled window, which is laid out from the
     * last payment and the delay as if every label came on time: null when they reach it. A window none of whose
     * payments has a label cannot be judged (thrown: it said "the latest labelled window … holds no fraud", as if its
     * labels had come); a window whose labels stop inside it is judged with its later frauds counted as genuine
     * (returned, a warning). Found by a hands-on week whose label feed stopped.
     */
    static String labelsBehind(RawEvents events, long lastLabelledPayment, int delayDays, int windowDays,
                               String labelsTopic) {
        java.time.LocalDate windowTo = EventPeriod.lastLabelledDay(events, delayDays);
        java.time.LocalDate windowFrom = windowTo.minusDays(windowDays - 1L);
        java.time.LocalDate lastLabelled = lastLabelledPayment == Long.MIN_VALUE ? null
                : java.time.LocalDate.ofEpochDay(Math.floorDiv(lastLabelledPayment, 86_400L));
        if (lastLabelled != null && !lastLabelled.isBefore(windowTo)) {
            return null;
        }
        String behind = "the labels on " + labelsTopic + (lastLabelled == null ? " are for no payment read"
                : " end with payments of " + lastLabelled) + ", and the latest labelled window, laid out from the last "
                + "payment (" + EventPeriod.lastDay(events) + ") and the " + delayDays + "-day delay, is " + windowFrom
                + ".." + windowTo;
        if (lastLabelled == null || lastLabelled.isBefore(windowFrom)) {
            throw new IllegalArgumentException("the gate cannot be evaluated: " + behind + ", of whose payments none "
                    + "has a label: is the label feed behind?");
        }
        return behind + ": its payments after " + lastLabelled + " count as genuine, frauds among them too (is the "
                + "label feed behind?)";
    }

    /**
     * Why the first training days learn from features no warm scorer computes, or null: they start less than the
     * history the features need after the first payment read, as without --from (the whole topics: a weekly run on
     * them trained its first 38 days so, every week) or with a --from the topics or the archive hold no history
     * before. The rule and the words are {@code train}'s.
     */
    static String shortHistory(RawEvents events, EventPeriod period, int delayDays, int windowDays) {
        java.time.LocalDate first = EventPeriod.firstDay(events);
        java.time.LocalDate trainFrom = period.from() == null || period.from().isBefore(first) ? first : period.from();
        // The --from the warning advises (the first day with whole windows) must leave the gate its days before the
        // last payment: one run advised 2018-05-08 of a file ending 05-10, and the run so advised was "too short"
        int[] w = HandbookFeatures.WINDOW_DAYS;
        java.time.LocalDate warm = first.plusDays(w[w.length - 1] + delayDays);
        java.time.LocalDate last = EventPeriod.lastDay(events);
        long needed = windowDays + 2L * delayDays + 2;
        boolean room = java.time.temporal.ChronoUnit.DAYS.between(warm, last) + 1 >= needed;
        String warning = org.fraudscorer.trainer.events.WarmHistory.warning(first, trainFrom, delayDays,
                "the training days", "so the first training days learn from features no scorer with warm stores "
                        + "computes", room ? "--from" : null);
        return warning == null || room ? warning : warning + " (a --from of " + warm + ", when the history is whole, "
                + "leaves fewer days before the last payment, " + last + ", than the " + needed + " the gate needs)";
    }

    /** The events of the period only (nothing outside it is read: the period is what the run may see). */
    static RawEvents restrict(RawEvents e, EventPeriod period) {
        if (period.from() == null && period.to() == null) {
            return e;
        }
        return e.subset(period.rows(e, "payment"), e.source() + " " + period);
    }

    @Override
    public DemoStream demo(DemoCommand c, PrintStream out) throws Exception {
        RawDemo.Prepared p = RawDemo.prepare(out, c.data, c.model, c.epochs, c.seed);
        RawEventReplay replay = RawEventReplay.of(p.events(), Topics.defaults().input())
                .withLabelFeedback(Topics.defaults().labels(), p.delayDays())
                .withEventLabels().paced(c.rate, 0).withBadEvents(c.badRatio, c.seed);
        ObjectMapper json = new ObjectMapper();
        DemoLedger ledger = new DemoLedger(Topics.defaults().input(), r -> DemoCommand.transactionId(json, r.value()));
        return new DemoStream(p.model(), String.format(Locale.ROOT, "%,d raw payment events with label feedback "
                + "(time order, each label %d days after its payment in event time)", p.events().size(), p.delayDays()),
                ledger, (bootstrap, running, produced) -> {
                    try (KafkaProducer<String, byte[]> producer = ledger.recording(
                            DemoCommand.producerConfig(bootstrap))) {
                        replay.send(producer, running, produced);
                    }
                });
    }
}
