package org.fraudscorer.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.text.Counted;
import org.fraudscorer.trainer.data.RawEventCsv;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.events.EventPeriod;
import org.fraudscorer.trainer.events.FeatureReplay;
import org.fraudscorer.trainer.events.HandbookModels;
import org.fraudscorer.trainer.events.WarmHistory;
import org.fraudscorer.trainer.report.ConsoleReport;
import org.fraudscorer.trainer.train.Provenance;
import org.fraudscorer.trainer.train.TopFeatures;
import org.fraudscorer.trainer.train.TrainerConfig;

/**
 * The raw-event side of {@code train}, {@code evaluate} and {@code score}: chosen by those commands when the data's
 * header names the handbook's event columns. Each reads the whole file and replays its features (labels arriving
 * {@code delay} days after their payment), then works on the rows of the requested period.
 */
final class RawEventCommands implements DataFamily {
    static final RawEventCommands INSTANCE = new RawEventCommands();
    private static final ObjectMapper JSON = JsonOutput.mapper();

    private RawEventCommands() {
    }

    @Override
    public EventFamily family() {
        return EventFamily.RAW_EVENTS;
    }

    @Override
    public TrainerConfig defaults() {
        return TrainerConfig.rawEventDefaults();
    }

    /**
     * A warning when rows of the file repeat an earlier row's {@code TRANSACTION_ID}, or null: the batch commands read
     * the rows as they are (each counts as a payment in its card's and terminal's windows), where the scorer
     * dead-letters a repeat on the same card within its duplicate window.
     */
    static String repeatedIds(RawEvents events) {
        long[] r = events.repeatedIds();
        return r == null ? null : String.format(Locale.ROOT, "%,d row%s of %s repeat%s the TRANSACTION_ID of an "
                + "earlier row (the smallest: %d): each counts as a payment here, in its card's and terminal's "
                + "windows, while the scorer dead-letters a repeat on the same card within --duplicate-window-ms (a day "
                + "by default) as DUPLICATE_EVENT", r[0], r[0] == 1 ? "" : "s", events.source(), r[0] == 1 ? "s" : "", r[1]);
    }

    static void warn(picocli.CommandLine.Model.CommandSpec spec, String... warnings) {
        for (String w : warnings) {
            if (w != null) {
                spec.commandLine().getErr().println("warning: " + w);
            }
        }
    }

    /**
     * A warning when the training period starts before a full window of history ({@link WarmHistory}) lies behind it
     * in the file, or null: its first payments' counts are lower than a live
     * scorer's with warm stores, so the model's monitoring reference differs from live traffic at go-live.
     */
    static String shortHistory(java.time.LocalDate fileFrom, java.time.LocalDate trainFrom, int delayDays) {
        return WarmHistory.warning(fileFrom, trainFrom, delayDays, "the training period", "so their counts are lower "
                + "and the drift gauges may fire at go-live", "--train-from");
    }

    /**
     * A warning when the scored payments start before a full window of history lies behind them in the file, or
     * null: their features are replayed from the file alone, so the first ones are scored as by a scorer with empty
     * stores, not as by the live one with warm stores (a hunt measured AP 0.58 instead of 0.81 on the same payments
     * of a file starting 4 days before them).
     */
    static String shortScoringHistory(java.time.LocalDate fileFrom, java.time.LocalDate scoreFrom, int delayDays) {
        return WarmHistory.warning(fileFrom, scoreFrom, delayDays, "the scored payments", "so they are scored as by a "
                + "scorer whose stores are still filling", "--score-from");
    }

    /** A warning when the protocol's first training week starts before a full window of history, or null. */
    static String shortProtocolHistory(java.time.LocalDate fileFrom, java.time.LocalDate weekFrom, int delayDays) {
        return WarmHistory.warning(fileFrom, weekFrom, delayDays, "the protocol's first training week", "so its "
                + "features and those of its test week are not the ones the handbook's baselines were measured on",
                null);
    }

    /** Events and their replayed features (a payment whose label is not known gets none, as in the scorer). */
    private record Replayed(RawEvents events, double[] features) {
        static Replayed of(RawEvents events, int delayDays, HandbookFeatures.Version version) {
            return new Replayed(events, FeatureReplay.replay(events, delayDays, version));
        }
    }

    /**
     * Why some scores may be lower than with every label known, or null: payments without a label (an empty
     * {@code TX_FRAUD}, or no such column) within the terminal windows of the scored payments (from the longest window
     * and the delay before the first to the delay before the last), where they count as genuine. Labels of the last
     * {@code delay} days are never read, so a file whose recent verdicts are not in yet scores as the scorer would.
     */
    static String unknownLabels(RawEvents events, int[] rows, int delayDays) {
        if (events.unknownLabels() == 0 || rows.length == 0) {
            return null;
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int i : rows) {
            first = Math.min(first, events.time(i));
            last = Math.max(last, events.time(i));
        }
        long windowsEnd = last - delayDays * HandbookFeatures.DAY; // the latest payment any terminal window holds
        int[] w = HandbookFeatures.WINDOW_DAYS;
        long windowsStart = first - (delayDays + (long) w[w.length - 1]) * HandbookFeatures.DAY; // exclusive
        int unknown = 0;
        for (int i = 0; i < events.size(); i++) {
            long t = events.time(i);
            unknown += events.label(i) == RawEvents.UNKNOWN && t > windowsStart && t <= windowsEnd ? 1 : 0;
        }
        if (unknown == 0) {
            return null;
        }
        return String.format(Locale.ROOT, "%,d payment%s of %s dated up to %s (the %d-day label delay before the "
                + "last scored payment) %s no TX_FRAUD label: the terminal risk features count %s as genuine, as the "
                + "scorer does when a label never arrives, so the scores of later payments at %s terminal%s may be "
                + "lower than with the label%s", unknown, unknown == 1 ? "" : "s", events.source(),
                java.time.LocalDateTime.ofEpochSecond(windowsEnd, 0, java.time.ZoneOffset.UTC), delayDays,
                unknown == 1 ? "has" : "have", unknown == 1 ? "it" : "them", unknown == 1 ? "its" : "their",
                unknown == 1 ? "" : "s", unknown == 1 ? "" : "s");
    }

    @Override
    public int train(TrainCommand c) throws Exception {
        // The test part is the week after the period and the delay, not a share of rows; there are no plots yet.
        refuseGiven(c.spec, "--split", "--train-fraction", "--validation-fraction", "--negative-weight",
                "--export-split", "--false-alarm-cost", "--plots");
        Path data = c.data;
        Path out = c.out;
        EventPeriod period = GivenOptions.parse(c.spec, () -> EventPeriod.parse("train", c.trainFrom, c.trainTo));
        int delayDays = c.delayDays;
        boolean json = c.json;
        ProcedureOptions procedure = c.procedure;
        if (delayDays < 0) {
            throw new picocli.CommandLine.ParameterException(c.spec.commandLine(),
                    "--delay-days must be ≥ 0, got " + delayDays);
        }
        HandbookFeatures.Version version = featureSet(c.spec, c.features);
        var options = procedure.options(c.network.build(this)); // a bad value costs no read of the file
        RawEvents events = RawEventCsv.read(data);
        events.requireLabels("training learns from them, and the terminal features count the frauds among them");
        warn(c.spec, repeatedIds(events));
        Replayed r = Replayed.of(events, delayDays, version);
        PrintStream say = Outputs.say(out); // not into the model file when it is standard output
        PrintStream text = json ? new PrintStream(java.io.OutputStream.nullOutputStream()) : say;
        ConsoleReport report = new ConsoleReport(text, !json && System.console() != null);
        report.line(String.format(Locale.ROOT, "Data: %s (raw payment events, %,d events, %,d frauds; features "
                + "replayed with a %d-day label delay)", data, r.events().size(), r.events().frauds(), delayDays));
        HandbookModels.ProcedureResult t = HandbookModels.trainProcedure(r.events(), r.features(), period, delayDays,
                options, report);
        ModelBundle written = ModelFile.write(t.bundle(), out, c.key);
        warn(c.spec, shortHistory(EventPeriod.firstDay(events), t.period().from(), delayDays));
        var cv = t.selection().selection();
        if (t.test() != null) {
            TrainCommand.warnIfFlagsNothing(c.spec, written, t.test().atThreshold().matrix(), t.test().rows(),
                    "test events");
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", out.toString());
            m.put("modelVersion", written.modelVersion());
            m.put("sha256", written.sha256());
            m.put("signedBy", c.key == null ? null : c.key.keyId());
            m.put("schema", written.schema().name());
            m.put("trainPeriod", t.period().toString());
            m.put("refitPeriod", t.refitPeriod() == null ? null : t.refitPeriod().toString());
            m.put("members", written.members().size());
            m.put("bestEpoch", cv.bestEpoch());
            m.put("foldAveragePrecision", cv.foldPrAuc());
            m.put("threshold", written.threshold());
            m.put("metrics", written.metrics());
            m.put("hyperparameters", written.hyperparameters());
            m.put("provenance", written.provenance());
            say.println(JSON.writeValueAsString(m));
        } else {
            report.line("");
            report.line("Training period " + t.period() + ": " + Counted.of(t.trainRows(), "event") + ", "
                    + Counted.of(t.trainFrauds(), "fraud"));
            report.line(String.format(Locale.ROOT, "Selection: %s; best epoch %d of %d; validation AP %.4f ± %.4f, "
                            + "AUC %.4f ± %.4f (mean ± sd over folds)", t.folds(), cv.bestEpoch(), cv.history().size(), cv.meanPrAuc(), cv.sdPrAuc(), cv.meanRocAuc(), cv.sdRocAuc()));
            report.line("Network: " + TrainCommand.arch(written) + " x " + written.members().size() + " (mean logit)");
            report.line(String.format(Locale.ROOT, "Threshold: %.6f (%s on the out-of-fold scores)",
                    written.threshold().value(), written.threshold().method()));
            if (t.test() != null) {
                var week = t.testWeek();
                int testDays = org.fraudscorer.trainer.events.HandbookProtocol.TEST_DAYS;
                report.line(String.format(Locale.ROOT, "Test: %s (%s of the %d days after the period and the %d-day "
                                + "delay), %,d of their %,d events (cards already known to be compromised left out), "
                                + "%s: AUC %.4f, AP %.4f, CP@100 %.4f", week.held(),
                        week.heldDays() == testDays ? "all"
                                : week.heldDays() + " day" + (week.heldDays() == 1 ? "" : "s"), testDays, delayDays,
                        t.test().rows(), week.payments(), Counted.of(t.test().frauds(), "fraud"), t.test().aucRoc(),
                        t.test().averagePrecision(), t.test().cardPrecision()));
                report.metrics("At the threshold:", t.test().atThreshold());
            } else {
                report.line("Test: none (the data holds no labelled week after the period and the delay)");
            }
            report.line(t.refitPeriod() == null
                    ? "Shipped: the evaluated model (" + (procedure.noRefit ? "--no-refit" : "no labelled days after the period") + ")"
                    : String.format(Locale.ROOT, "Shipped: refit on %s (%s, %s; the last labelled days, "
                            + "the file's last day minus the %d-day delay), %d epochs", t.refitPeriod(),
                            Counted.of(t.refitRows(), "event"), Counted.of(t.refitFrauds(), "fraud"), delayDays,
                            cv.bestEpoch()));
            report.line("Model " + written.modelVersion() + " (schema " + written.schema().name() + ") written to "
                    + out + " (sha256 " + written.sha256() + (c.key == null ? "" : ", signed by key " + c.key.keyId())
                    + ")");
        }
        return 0;
    }

    /** The names {@code --features} accepts, newest first: its help's {@code ${COMPLETION-CANDIDATES}}. */
    public static final class FeatureSets implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return HandbookFeatures.Version.newestFirst().stream().map(HandbookFeatures.Version::schemaName).iterator();
        }
    }

    /** {@code --features}: null = the newest set; an unknown name is a command-line error (exit 2). */
    static HandbookFeatures.Version featureSet(picocli.CommandLine.Model.CommandSpec spec, String name) {
        if (name == null) {
            return HandbookFeatures.Version.NEWEST;
        }
        try {
            return HandbookFeatures.Version.ofSchemaName(name);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--features: " + e.getMessage());
        }
    }

    /** The feature set a raw-event model reads: its rows are replayed with exactly that set. */
    static HandbookFeatures.Version versionOf(ModelBundle m) {
        return m.schema().handbookVersion().orElseThrow(() -> new IllegalArgumentException("model "
                + m.modelVersion() + " (schema " + m.schema().name() + ") is not a raw-event model"));
    }

    @Override
    public int evaluate(EvaluateCommand c) throws Exception {
        refuseGiven(c.spec, "--negative-weight", "--false-alarm-cost");
        Path data = c.data;
        EventPeriod period = GivenOptions.parse(c.spec, () -> EventPeriod.parse("score", c.scoreFrom, c.scoreTo));
        boolean json = c.json;
        ModelBundle m = model(c.model, data);
        double t = c.threshold(m);
        RawEvents events = RawEventCsv.read(data);
        int[] rows = period.rows(events, "scoring");
        events.requireLabels(rows, "scored ", "evaluate measures the scores against them (score needs none)");
        Replayed r = Replayed.of(events, m.labelDelayDays().getAsInt(), versionOf(m));
        double[] p = HandbookModels.probabilities(m, r.events(), r.features(), rows);
        HandbookModels.Evaluation e = HandbookModels.evaluate(r.events(), rows, p, t);
        warn(c.spec, inSample(m, events, rows), unknownLabels(events, rows, m.labelDelayDays().getAsInt()),
                repeatedIds(events), shortScoringHistory(events, rows, m));
        var cm = e.atThreshold().matrix();
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("model", m.modelVersion());
            j.put("data", data.toString());
            j.put("period", period.toString());
            j.put("rows", e.rows());
            j.put("frauds", e.frauds());
            j.put("roc_auc", e.aucRoc());
            j.put("average_precision", e.averagePrecision());
            j.put("card_precision_at_100", e.cardPrecision());
            j.put("threshold", t);
            j.put("precision", e.atThreshold().precision());
            j.put("recall", e.atThreshold().recall());
            j.put("f1", e.atThreshold().f1());
            j.put("confusion", cm.counts());
            System.out.println(JSON.writeValueAsString(j));
        } else {
            ConsoleReport report = new ConsoleReport(System.out, false);
            report.line("Model " + m.modelVersion() + " on " + data + ", period " + period + ": "
                    + Counted.of(e.rows(), "event") + ", " + Counted.of(e.frauds(), "fraud"));
            report.line(String.format(Locale.ROOT, "  AUC ROC %.4f   AP %.4f   CP@100 %.4f", e.aucRoc(),
                    e.averagePrecision(), e.cardPrecision()));
            report.metrics("At the threshold:", e.atThreshold());
        }
        return 0;
    }

    /**
     * Why these figures are not held out, or null: the model file says it was fitted on payments from one day to
     * another ({@code provenance.trainFrom..trainTo}: the refit's days by default, after any earlier week one may
     * evaluate on), and some scored payments are of those days (days before them were not learnt from either).
     */
    static String inSample(ModelBundle m, org.fraudscorer.trainer.data.RawEvents events, int[] rows) {
        java.time.LocalDate to = Provenance.trainTo(m.provenance());
        if (to == null) {
            return null;
        }
        java.time.LocalDate from = Provenance.trainFrom(m.provenance());
        long fitStart = from == null ? Long.MIN_VALUE : from.toEpochDay();
        long fitEnd = to.toEpochDay();
        int seen = 0;
        for (int i : rows) {
            long day = org.fraudscorer.trainer.events.HandbookSplit.day(events, i);
            if (day >= fitStart && day <= fitEnd) {
                seen++;
            }
        }
        if (seen == 0) {
            return null;
        }
        return String.format(Locale.ROOT, "model %s was fitted on payments from %s to %s (its provenance); %,d of the "
                + "%,d scored payments are from those days, so these figures are not held out (%s)", m.modelVersion(),
                from == null ? m.provenance().get(Provenance.TRAIN_FROM) : from, to, seen, rows.length,
                Provenance.isRefit(m.provenance())
                        ? "to evaluate on a week after training, train with --no-refit and a --train-to before it"
                        : "score the days after " + to + " to evaluate it");
    }

    @Override
    public int score(ScoreCommand c) throws Exception {
        Path data = c.data;
        Path out = c.out;
        EventPeriod period = GivenOptions.parse(c.spec, () -> EventPeriod.parse("score", c.scoreFrom, c.scoreTo));
        ModelBundle m = model(c.model, data);
        RawEvents events = RawEventCsv.read(data);
        int[] rows = period.rows(events, "scoring");
        warn(c.spec, unknownLabels(events, rows, m.labelDelayDays().getAsInt()), repeatedIds(events),
                shortScoringHistory(events, rows, m));
        Replayed r = Replayed.of(events, m.labelDelayDays().getAsInt(), versionOf(m));
        double[] p = HandbookModels.probabilities(m, r.events(), r.features(), rows);
        double t = m.threshold().value();
        try (ScoreOutput o = ScoreOutput.open(out)) {
            Writer bw = o.writer();
            bw.write(c.header("TRANSACTION_ID"));
            TopFeatures explainer = c.explainer(m);
            int f = m.schema().featureCount();
            double[] inputs = new double[f];
            StringBuilder line = new StringBuilder(64);
            for (int k = 0; k < rows.length; k++) {
                line.setLength(0);
                line.append(r.events().id(rows[k]));
                System.arraycopy(r.features(), rows[k] * f, inputs, 0, f);
                ScoreCommand.appendScore(line, p[k], t, explainer, inputs);
                bw.write(line.toString());
            }
            o.commit();
        }
        if (out != null) {
            System.err.println("scored " + rows.length + " events of " + period + " with model " + m.modelVersion()
                    + " → " + out);
        }
        return 0;
    }

    private static String shortScoringHistory(RawEvents events, int[] rows, ModelBundle m) {
        long first = Long.MAX_VALUE;
        for (int i : rows) {
            first = Math.min(first, events.time(i));
        }
        return shortScoringHistory(EventPeriod.firstDay(events), java.time.LocalDate.ofEpochDay(
                HandbookFeatures.day(first)), m.labelDelayDays().getAsInt());
    }

    /** The model file, refused unless it reads raw events' features. */
    private static ModelBundle model(Path file, Path data) throws java.io.IOException {
        ModelBundle m = ModelFile.read(file);
        EventFamily.RAW_EVENTS.requireModel(m.schema(), m.modelVersion(), data.toString());
        return m;
    }
}
