package org.fraudscorer.trainer.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fraudscorer.common.metrics.BinaryReport;
import org.fraudscorer.common.metrics.RankingMetrics;
import org.fraudscorer.common.metrics.ThresholdChoice;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelScorer;
import org.fraudscorer.common.model.ThresholdInfo;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.train.Ensembles;
import org.fraudscorer.trainer.train.FraudModelTrainer;
import org.fraudscorer.trainer.train.ProcedureModels;
import org.fraudscorer.trainer.train.Provenance;
import org.fraudscorer.trainer.train.TrainingSet;
import org.fraudscorer.trainer.train.ThresholdPolicy;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.fraudscorer.trainer.train.TrainingListener;

/**
 * Models of the handbook schema from raw events: train on a period, score and measure a period. Features always
 * come from a replay of the whole file ({@link FeatureReplay}), so payments before a period serve as its history,
 * exactly as the live scorer's stores would hold them.
 */
public final class HandbookModels {
    private HandbookModels() {
    }

    /**
     * What the raw-event procedure produced.
     *
     * @param evaluated    the ensemble trained on {@code period} (its held-out metrics are {@code test})
     * @param test         the evaluated model on the test week after the period and the label delay, or null when
     *                     the data holds no such week
     * @param refitPeriod  the period of the shipped model (null when it is the evaluated one)
     */
    public record ProcedureResult(ModelBundle bundle, ModelBundle evaluated, HandbookProtocol.Procedure selection,
                                  EventPeriod period, int trainRows, int trainFrauds, ThresholdChoice threshold,
                                  BinaryReport validation, Evaluation test, int testRows, EventPeriod refitPeriod,
                                  int refitRows, int refitFrauds, String folds, TestWeek testWeek) {
    }

    /**
     * The test week as the file holds it: the days of the {@value HandbookProtocol#TEST_DAYS} after the period and the
     * delay that it has payments on ({@code held}, null when none), and how many payments those days have before the
     * cards already known to be compromised are left out.
     */
    public record TestWeek(EventPeriod held, int heldDays, int payments) {
        static TestWeek of(RawEvents events, java.time.LocalDate firstDay) {
            long first = firstDay.toEpochDay();
            long last = first + HandbookProtocol.TEST_DAYS - 1;
            java.util.BitSet days = new java.util.BitSet();
            int payments = 0;
            for (int i = 0; i < events.size(); i++) {
                long d = HandbookSplit.day(events, i);
                if (d >= first && d <= last) {
                    days.set((int) (d - first));
                    payments++;
                }
            }
            if (days.isEmpty()) {
                return new TestWeek(null, 0, 0);
            }
            return new TestWeek(new EventPeriod(firstDay.plusDays(days.nextSetBit(0)),
                    firstDay.plusDays(days.length() - 1)), days.cardinality(), payments);
        }
    }

    /**
     * The trainer's procedure on raw events: {@link HandbookProtocol#procedure} on the period's payments (validation
     * folds laid out as the handbook's, one week each, the label delay before each, choose the epoch count; the
     * threshold comes from their out-of-fold scores), evaluated on the 7 days that
     * follow the period after the label delay (known compromised cards left out, as the handbook's test weeks) when
     * the data holds them; then, unless {@code refit} is false, the same procedure is refit on a window of the same
     * length that ends on the last day whose labels have arrived (the file's last day minus the delay): the most
     * recent labelled payments, with earlier events still replayed as history.
     */
    public static ProcedureResult trainProcedure(RawEvents events, double[] features, EventPeriod period, int delayDays,
                                                 FraudModelTrainer.Options options, TrainingListener listener) {
        events.requireLabels("the procedure learns from them"); // every caller's: the demo's, train's, retrain's
        TrainerConfig config = options.config();
        ThresholdPolicy policy = options.threshold();
        int folds = options.folds();
        int ensemble = options.ensemble();
        boolean refit = options.refit();
        int threads = options.threads();
        java.time.LocalDate firstDay = EventPeriod.firstDay(events);
        java.time.LocalDate lastDay = EventPeriod.lastDay(events);
        java.time.LocalDate from = period.from() != null ? period.from() : firstDay;
        if (from.isAfter(lastDay)) { // it read "period ends (last day) before it starts (--train-from)"
            throw new IllegalArgumentException("no training events from " + from + " in " + events.source()
                    + " (its events run from " + firstDay + " to " + lastDay + ")");
        }
        // Without --train-to the period ends on the last day whose labels have all arrived (the refit's rule): the
        // labels of the file's last delay days may still be due, and a fraud not reported yet would train as genuine.
        java.time.LocalDate to = period.to() != null ? period.to() : EventPeriod.lastLabelledDay(events, delayDays);
        if (period.to() == null && to.isBefore(from)) {
            throw new IllegalArgumentException("no day of " + new EventPeriod(from, lastDay) + " has all its labels: "
                    + "the last " + delayDays + " days (--delay-days) before the last payment may still have frauds to"
                    + " report; give --train-to to train on them anyway");
        }
        EventPeriod p = new EventPeriod(from, to);
        int[] rows = p.rows(events, "training");
        int frauds = HandbookProtocol.frauds(labels(events, rows));
        if (frauds == 0) {
            throw new IllegalArgumentException("no fraud among the " + rows.length + " training events of "
                    + p + ": a model cannot learn fraud from them");
        }
        HandbookProtocol protocol = new HandbookProtocol(events, features, delayDays, config);
        int days = p.days();
        // At most --folds weekly folds: as many as the file holds before the period's end. A short file or a period
        // that starts with the file still trains, with fewer folds; where none fits, on the one fold inside the period
        // (its last week, no delay gap). The report and the model file say which.
        int fit = protocol.validationFoldsThatFit(from, days, folds);
        List<HandbookProtocol.ValidationFold> foldList = fit > 0 ? protocol.validationFolds(from, days, fit)
                : List.of(protocol.lastWeekFold(from, days));
        int used = foldList.size();
        String layout;
        if (fit > 0) {
            // a fold's window reaches back before the period; where the file starts later it holds fewer days
            List<Long> held = foldList.stream().map(protocol::heldTrainingDays).toList();
            String trained = held.stream().allMatch(h -> h == days) ? days + " days"
                    : "a " + days + "-day window (" + held.stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(", ")) + " days of it in the file, earliest fold first)";
            layout = used + " weekly fold(s)" + (used < folds ? " (of --folds " + folds + ": the file holds no more)" : "")
                    + ", each trained on " + trained + " that ends the " + delayDays + "-day label delay before its week";
        } else {
            layout = "1 fold inside the period (of --folds " + folds + ": " + protocol.noWeeklyFold(from, days)
                    + "), its last " + HandbookProtocol.VALIDATION_DAYS + " days validating a model trained on its first "
                    + (days - HandbookProtocol.VALIDATION_DAYS) + ", with no label-delay gap between them";
        }
        HandbookProtocol.Procedure proc = protocol.procedure(from, days, foldList, ensemble, threads, listener);
        int[] oofY = labels(events, proc.oofRows());
        ThresholdChoice choice = policy.choose(proc.oofScores(), oofY, null, amounts(events, proc.oofRows()));
        double threshold = FraudModelTrainer.modelThreshold(choice);
        BinaryReport validation = BinaryReport.of(proc.oofScores(), oofY, null, threshold);

        HandbookSplit split = HandbookSplit.of(events, from, days, delayDays, HandbookProtocol.TEST_DAYS);
        Evaluation test = null;
        if (split.test().length > 0 && HandbookProtocol.frauds(labels(events, split.test())) > 0) {
            test = evaluate(events, split.test(), proc.scores(protocol, split.test()), threshold);
        }
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        metrics.put("cross_validation", FraudModelTrainer.cvMap(proc.selection(), used));
        metrics.put("validation", FraudModelTrainer.metricMap(validation));
        if (test != null) {
            Map<String, Double> t = FraudModelTrainer.metricMap(test.atThreshold());
            t.put("average_precision", test.averagePrecision());
            t.put("card_precision_at_100", test.cardPrecision());
            metrics.put("test", t);
        }
        Map<String, Object> hyper = FraudModelTrainer.configParameters(config);
        hyper.put("selectedEpochs", proc.selection().bestEpoch());
        hyper.put("folds", layout);
        hyper.put("ensemble", ensemble);
        hyper.put("combination", ModelBundle.COMBINATION);
        hyper.put("refit", refit);
        hyper.put("thresholdPolicy", FraudModelTrainer.describe(policy));
        Provenance provenance = Provenance.of(events.source()).put("events", events.size())
                .put("features", protocol.schema().name()
                        + ", replayed over all events of " + events.source() + " (earlier ones as history)")
                .labelDelayDays(delayDays).put("evaluatedFrom", from.toString()).put("evaluatedTo", to.toString())
                .put("evaluatedRows", rows.length).put("testRows", split.test().length)
                .put("bestEpoch", proc.selection().bestEpoch());
        ProcedureModels models = new ProcedureModels(protocol.schema(), new ThresholdInfo(threshold, choice.method()),
                config.seed(), metrics, hyper, provenance);
        ModelBundle evaluated = models.model(proc.preprocessing(), proc.members(), Provenance.EVALUATED,
                protocol.rows(rows), rows.length, frauds, Provenance.period(from, to), "training-period events");
        ModelBundle shipped = evaluated;
        EventPeriod refitPeriod = null;
        int refitRows = rows.length;
        int refitFrauds = frauds;
        java.time.LocalDate lastLabelled = EventPeriod.lastLabelledDay(events, delayDays);
        if (refit && lastLabelled.isAfter(to)) {
            java.time.LocalDate refitFrom = lastLabelled.minusDays(days - 1L);
            if (refitFrom.isBefore(firstDay)) {
                refitFrom = firstDay;
            }
            refitPeriod = new EventPeriod(refitFrom, lastLabelled);
            int[] refitIdx = refitPeriod.rows(events, "refit");
            // The refit keeps the evaluated procedure's epoch count and threshold; scaler and members are refit.
            double[] refitX = protocol.rows(refitIdx); // raw features: applyBatch writes a new array
            var refitPre = config.preprocessing(protocol.schema(), refitX, refitIdx.length);
            var members = Ensembles.train(config, new TrainingSet(refitPre.applyBatch(
                    refitX, refitIdx.length), labels(events, refitIdx), protocol.version().count()),
                    proc.selection().bestEpoch(), ensemble, threads);
            refitRows = refitIdx.length;
            refitFrauds = HandbookProtocol.frauds(labels(events, refitIdx));
            shipped = models.model(refitPre, members, Provenance.REFIT, refitX, refitRows, refitFrauds,
                    Provenance.period(refitFrom, lastLabelled), "training events of the refit");
        }
        return new ProcedureResult(shipped, evaluated, proc, p, rows.length, frauds, choice, validation, test,
                split.test().length, refitPeriod, refitRows, refitFrauds, layout,
                TestWeek.of(events, from.plusDays(days + delayDays)));
    }


    /**
     * Probabilities of the given rows through {@link ModelScorer}, one event at a time: the very code the
     * streaming scorer runs, so batch and live probabilities agree to the last bit.
     */
    public static double[] probabilities(ModelBundle m, RawEvents events, double[] features, int[] rows) {
        ModelScorer scorer = m.newScorer();
        int f = m.schema().featureCount();
        if (features.length != (long) events.size() * f) {
            throw new IllegalArgumentException("model " + m.modelVersion() + " reads " + f + " features ("
                    + m.schema().name() + "), but the replayed rows of " + events.size() + " events are "
                    + (double) features.length / events.size() + " wide");
        }
        double[] x = new double[f];
        double[] p = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(features, rows[r] * f, x, 0, f);
            try {
                p[r] = scorer.probability(x);
            } catch (ModelScorer.NoProbabilityException e) {
                throw e.at("TRANSACTION_ID " + events.id(rows[r]));
            }
        }
        return p;
    }

    /** Ranking and decision metrics of scored rows: AUC ROC, AP, CP@100 and the confusion at the threshold. */
    public record Evaluation(int rows, int frauds, double aucRoc, double averagePrecision, double cardPrecision,
                             BinaryReport atThreshold) {
    }

    public static Evaluation evaluate(RawEvents events, int[] rows, double[] p, double threshold) {
        int[] y = labels(events, rows);
        long[] days = new long[rows.length];
        long[] cards = new long[rows.length];
        int frauds = 0;
        for (int r = 0; r < rows.length; r++) {
            days[r] = HandbookSplit.day(events, rows[r]);
            cards[r] = events.customer(rows[r]);
            frauds += y[r];
        }
        return new Evaluation(rows.length, frauds, RankingMetrics.rocAuc(p, y, null),
                RankingMetrics.averagePrecision(p, y, null),
                CardPrecision.meanTopK(days, cards, p, y, HandbookProtocol.TOP_K), BinaryReport.of(p, y, null, threshold));
    }

    private static double[] amounts(RawEvents events, int[] rows) {
        double[] a = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            a[r] = events.amount(rows[r]);
        }
        return a;
    }

    static int[] labels(RawEvents events, int[] rows) {
        int[] y = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            y[r] = events.label(rows[r]);
            if (y[r] == RawEvents.UNKNOWN) { // never a target nor a truth: callers require the labels first
                throw new IllegalArgumentException(events.source() + ": payment " + events.id(rows[r])
                        + " has no TX_FRAUD label");
            }
        }
        return y;
    }
}
