package org.fraudscorer.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.events.EventPeriod;
import org.fraudscorer.trainer.events.FeatureReplay;
import org.fraudscorer.trainer.events.HandbookModels;
import org.fraudscorer.trainer.events.TransactionSimulator;
import org.junit.jupiter.api.BeforeAll;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train / evaluate / score on raw payment events (a small simulated file), through the real command classes. */
class RawEventCliTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path model;
    static RawEvents events;
    static Cli train;

    @BeforeAll
    static void trainOnce() throws IOException {
        TransactionSimulator.Simulated s = TransactionSimulator.simulate(
                new TransactionSimulator.Config(300, 600, 50, LocalDate.of(2018, 4, 1), 5, 11));
        events = s.events();
        data = dir.resolve("events.csv");
        try (Writer w = Files.newBufferedWriter(data)) {
            s.writeCsv(w);
        }
        model = dir.resolve("raw-model.json");
        train = Cli.run(new TrainCommand(), "--data", data.toString(), "--out", model.toString(),
                "--train-from", "2018-05-01", "--train-to", "2018-05-07", "--epochs", "6", "--seed", "5");
    }

    /** A threshold no test event reaches: the model is written, as asked, with a warning that it raises no alert. */
    @Test
    void trainWarnsWhenTheModelFlagsNoTestEvent() {
        Cli silent = Cli.run(new TrainCommand(), "--data", data.toString(), "--out",
                dir.resolve("silent.json").toString(), "--train-from", "2018-05-01", "--train-to", "2018-05-07",
                "--epochs", "2", "--folds", "2", "--ensemble", "1", "--threshold", "1");
        assertThat(silent.exitCode()).as(silent.error()).isZero();
        assertThat(silent.err()).contains("warning: at its threshold 1.000000 (fixed) the model flags none of the ")
                .contains(" test events: it would raise no alert");
        assertThat(train.err()).doesNotContain("flags none");
    }

    @Test
    void trainEvaluatesOnThePeriodAndRefitsOnTheLastLabelledDays() throws IOException {
        assertThat(train.exitCode()).as(train.error()).isZero();
        ModelBundle m = ModelFile.read(model);
        assertThat(m.schema()).isEqualTo(FeatureSchema.HANDBOOK_V2);
        assertThat(m.network().sizes()[0]).isEqualTo(17);
        assertThat(m.members()).hasSize(5);
        // the procedure was evaluated on the requested period...
        int[] period = new EventPeriod(LocalDate.of(2018, 5, 1), LocalDate.of(2018, 5, 7)).rows(events, "x");
        assertThat(m.provenance()).containsEntry("evaluatedFrom", "2018-05-01").containsEntry("evaluatedTo", "2018-05-07")
                .containsEntry("evaluatedRows", period.length).containsEntry("delayDays", 7);
        // ...and the shipped model refit on the 7 days ending on the last day whose every payment is at least the
        // 7-day delay older than the last payment (all its labels are in)
        long lastTime = 0;
        for (int i = 0; i < events.size(); i++) {
            lastTime = Math.max(lastTime, events.time(i));
        }
        long day = Math.floorDiv(lastTime, 86_400L);
        while ((day + 1) * 86_400L - 1 > lastTime - 7 * 86_400L) { // the day's last second is within the delay
            day--;
        }
        LocalDate refitTo = LocalDate.ofEpochDay(day);
        LocalDate refitFrom = refitTo.minusDays(6);
        int[] refit = new EventPeriod(refitFrom, refitTo).rows(events, "x");
        int refitFrauds = 0;
        for (int i : refit) {
            refitFrauds += events.label(i);
        }
        assertThat(m.provenance()).containsEntry("fit", "refit").containsEntry("trainFrom", refitFrom.toString())
                .containsEntry("trainTo", refitTo.toString()).containsEntry("fitRows", refit.length)
                .containsEntry("fitPositives", refitFrauds);
        assertThat(m.threshold().method()).contains("f1");
        assertThat(m.threshold().value()).isBetween(0.0, 1.0);
        // the raw-event defaults, as the model file records them
        assertThat(m.hyperparameters()).containsEntry("l2", 1e-4)
                .containsEntry("epochNegatives", TrainerConfig.RAW_EVENT_EPOCH_NEGATIVES);
        assertThat(m.metrics().get("validation").get("pr_auc")).isGreaterThan(0.3);
        // the file starts on April 1st: of at most 5 weekly folds before May 7th, those whose training days it holds
        assertThat(m.metrics().get("cross_validation").get("folds")).isBetween(2.0, 4.0);
        assertThat(train.out()).contains("(of --folds 5: the file holds no more)");
        assertThat(m.metrics().get("test").get("average_precision")).isBetween(0.0, 1.0);
        assertThat(train.out()).contains("Training period 2018-05-01..2018-05-07", "handbook-v2", "Threshold:",
                "Shipped: refit on " + refitFrom + ".." + refitTo);
        // the test line says which of the week's days the file holds, and how many of their payments were scored
        // (this file ends within that week: 2018-05-20 is its last day)
        LocalDate fileEnd = LocalDate.ofEpochDay(Math.floorDiv(lastTime, 86_400L));
        assertThat(fileEnd).isEqualTo(LocalDate.of(2018, 5, 20));
        int week = new EventPeriod(LocalDate.of(2018, 5, 15), fileEnd).rows(events, "x").length;
        assertThat(train.out()).contains(String.format(java.util.Locale.ROOT, "Test: 2018-05-15..2018-05-20 (6 days "
                + "of the 7 days after the period and the 7-day delay), %,d of their %,d events (cards already known to "
                + "be compromised left out)", ((Number) m.provenance().get("testRows")).intValue(), week));
    }

    @Test
    void featuresHandbookV1TrainsTheFifteenAndEvaluateReplaysThemForThatModel() throws IOException {
        Path v1 = dir.resolve("v1.json");
        Cli t = Cli.run(new TrainCommand(), "--data", data.toString(), "--out", v1.toString(), "--train-from",
                "2018-05-01", "--train-to", "2018-05-07", "--epochs", "2", "--seed", "5", "--features", "handbook-v1",
                "--ensemble", "1", "--no-refit");
        assertThat(t.exitCode()).as(t.error()).isZero();
        ModelBundle m = ModelFile.read(v1);
        assertThat(m.schema()).isEqualTo(FeatureSchema.HANDBOOK_V1);
        assertThat(m.network().sizes()[0]).isEqualTo(15);
        Cli e = Cli.run(new EvaluateCommand(), "--model", v1.toString(), "--data", data.toString(), "--json");
        assertThat(e.exitCode()).as(e.error()).isZero();
        // evaluate replays the 15 features for this model: its AP is the one of the v1 replay, to the last bit
        int[] all = java.util.stream.IntStream.range(0, events.size()).toArray();
        double[] p = HandbookModels.probabilities(m, events, FeatureReplay.replay(events, 7,
                org.fraudscorer.common.features.events.HandbookFeatures.Version.V1), all);
        double expected = HandbookModels.evaluate(events, all, p, m.threshold().value()).averagePrecision();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(e.out()).get("average_precision")
                .asDouble()).isEqualTo(expected);
    }

    @Test
    void withoutRefitTheShippedModelIsTheOneEvaluatedOnThePeriodAndIsSignedWhenAsked() throws IOException {
        Path evaluated = dir.resolve("evaluated.json");
        org.fraudscorer.common.model.SigningKey.KeyFiles key = org.fraudscorer.common.model.SigningKey.generate()
                .writePair(dir.resolve("keys"), "raw");
        Cli r = Cli.run(new TrainCommand(), "--data", data.toString(), "--out", evaluated.toString(),
                "--train-from", "2018-05-01", "--train-to", "2018-05-07", "--epochs", "3", "--seed", "5",
                "--no-refit", "--ensemble", "2", "--folds", "3", "--signing-key", key.privateKey().toString());
        assertThat(r.exitCode()).as(r.error()).isZero();
        ModelBundle m = ModelFile.loadTrusted(evaluated, org.fraudscorer.common.model.TrustedKeys.load(key.publicKey()))
                .bundle();
        int[] period = new EventPeriod(LocalDate.of(2018, 5, 1), LocalDate.of(2018, 5, 7)).rows(events, "x");
        assertThat(m.members()).hasSize(2);
        assertThat(m.provenance()).containsEntry("fit", "evaluated").containsEntry("trainFrom", "2018-05-01")
                .containsEntry("trainTo", "2018-05-07").containsEntry("fitRows", period.length);
    }

    @Test
    void scoreWritesOneLinePerEventOfThePeriodWithTheOfflineProbabilities() throws IOException {
        Path out = dir.resolve("scores.csv");
        Cli r = Cli.run(new ScoreCommand(), "--model", model.toString(), "--data", data.toString(), "--out",
                out.toString(), "--score-from", "2018-05-15", "--score-to", "2018-05-20");
        assertThat(r.exitCode()).as(r.error()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).isEqualTo("TRANSACTION_ID,probability,flagged");
        int[] rows = new EventPeriod(LocalDate.of(2018, 5, 15), LocalDate.of(2018, 5, 20)).rows(events, "x");
        assertThat(lines).hasSize(rows.length + 1);
        ModelBundle m = ModelFile.read(model);
        double[] p = HandbookModels.probabilities(m, events, FeatureReplay.replay(events, 7), rows);
        for (int k = 0; k < rows.length; k += 53) {
            String[] f = lines.get(k + 1).split(",");
            assertThat(Long.parseLong(f[0])).isEqualTo(events.id(rows[k]));
            assertThat(Double.parseDouble(f[1])).isEqualTo(p[k]);
            assertThat(f[2]).isEqualTo(p[k] >= m.threshold().value() ? "1" : "0");
        }
    }

    @Test
    void scoreExplainsTheFlaggedEventsWithTheirFeatures() throws IOException {
        Path out = dir.resolve("scores-explained.csv");
        Cli r = Cli.run(new ScoreCommand(), "--model", model.toString(), "--data", data.toString(), "--out",
                out.toString(), "--score-from", "2018-05-15", "--score-to", "2018-05-20", "--top-features", "2");
        assertThat(r.exitCode()).as(r.error()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).isEqualTo("TRANSACTION_ID,probability,flagged,top_features");
        ModelBundle m = ModelFile.read(model);
        double[] features = FeatureReplay.replay(events, 7);
        int width = m.schema().featureCount();
        var scorer = m.newScorer();
        double[] x = new double[width];
        double[] contributions = new double[width];
        int[] rows = new EventPeriod(LocalDate.of(2018, 5, 15), LocalDate.of(2018, 5, 20)).rows(events, "x");
        int flagged = 0;
        for (int k = 0; k < rows.length; k++) {
            String[] f = lines.get(k + 1).split(",", -1);
            if (f[2].equals("0")) {
                assertThat(f[3]).isEmpty();
                continue;
            }
            flagged++;
            System.arraycopy(features, rows[k] * width, x, 0, width);
            scorer.probability(x);
            scorer.contributions(contributions);
            String[] reasons = f[3].split(";");
            assertThat(reasons).hasSize(2);
            for (String reason : reasons) { // a feature of the model, with its own contribution
                int j = m.schema().featureNames().indexOf(reason.substring(0, reason.indexOf(':')));
                assertThat(Double.parseDouble(reason.substring(reason.indexOf(':') + 1))).isEqualTo(contributions[j]);
            }
            double first = contributions[m.schema().featureNames().indexOf(reasons[0].split(":")[0])];
            assertThat(java.util.Arrays.stream(contributions).max().orElseThrow()).isEqualTo(first);
        }
        assertThat(flagged).isPositive();
    }

    @Test
    void theSelectionLineSaysHowManyOfAFoldsTrainingDaysTheFileHolds() throws IOException {
        // A 14-day period two weeks into the file: the latest fold trains on 04-01..04-14, all in the file; the one
        // before on 03-25..04-07, of which the file holds 7 days (enough); the one before that on none.
        Path out = dir.resolve("early-model.json");
        Cli r = Cli.run(new TrainCommand(), "--data", data.toString(), "--out", out.toString(), "--train-from",
                "2018-04-15", "--train-to", "2018-04-28", "--epochs", "2", "--ensemble", "1", "--seed", "3");
        assertThat(r.exitCode()).as(r.error()).isZero();
        String layout = "2 weekly fold(s) (of --folds 5: the file holds no more), each trained on a 14-day window "
                + "(7, 14 days of it in the file, earliest fold first) that ends the 7-day label delay before its week";
        assertThat(r.out()).contains("Selection: " + layout);
        assertThat(ModelFile.read(out).hyperparameters()).containsEntry("folds", layout);
    }

    @Test
    void aShortFileTrainsOnItsLabelledDaysWithTheFoldInsideThem() throws IOException {
        // Given a file of 23 days: no labelled week lies before any period of it
        TransactionSimulator.Simulated s = TransactionSimulator.simulate(
                new TransactionSimulator.Config(300, 600, 23, LocalDate.of(2018, 4, 1), 5, 12));
        Path shortFile = dir.resolve("short.csv");
        try (Writer w = Files.newBufferedWriter(shortFile)) {
            s.writeCsv(w);
        }
        Path out = dir.resolve("short-model.json");
        LocalDate lastDay = EventPeriod.lastDay(s.events());
        LocalDate labelled = EventPeriod.lastLabelledDay(s.events(), 7);
        assertThat(labelled).isBetween(lastDay.minusDays(8), lastDay.minusDays(7));

        // When train runs with its defaults (no --train-to)
        Cli r = Cli.run(new TrainCommand(), "--data", shortFile.toString(), "--out", out.toString(), "--epochs", "3",
                "--ensemble", "1", "--seed", "2");

        // Then it trains up to the last day whose labels have all arrived (a fraud of the file's last 7 days may still
        // be unreported), selecting on the one fold inside the period, and says so in the report and the model file
        assertThat(r.exitCode()).as(r.error()).isZero();
        int days = (int) (labelled.toEpochDay() - LocalDate.of(2018, 4, 1).toEpochDay()) + 1;
        String layout = "1 fold inside the period (of --folds 5: no weekly fold fits in " + shortFile + " (its events "
                + "run from 2018-04-01; the latest fold, training " + LocalDate.of(2018, 4, 1).minusDays(14) + ".."
                + labelled.minusDays(14) + " and validating " + labelled.minusDays(6) + ".." + labelled
                + ", has too few training days (the file holds " + (days - 14) + " of its " + days
                + ", less than a week))), its last 7 days validating a model trained on its first " + (days - 7)
                + ", with no label-delay gap between them";
        assertThat(r.out()).contains("Training period 2018-04-01.." + labelled, "Selection: " + layout);
        ModelBundle m = ModelFile.read(out);
        assertThat(m.hyperparameters()).containsEntry("folds", layout);
        assertThat(m.metrics().get("cross_validation").get("folds")).isEqualTo(1.0);
        assertThat(m.provenance()).containsEntry("evaluatedTo", labelled.toString());

        // A file with no day whose labels have all arrived is refused with one line, unless --train-to says otherwise
        Path week = dir.resolve("week.csv");
        try (Writer w = Files.newBufferedWriter(week)) {
            TransactionSimulator.simulate(new TransactionSimulator.Config(300, 600, 7, LocalDate.of(2018, 4, 1), 5, 12))
                    .writeCsv(w);
        }
        Cli none = Cli.run(new TrainCommand(), "--data", week.toString(), "--out", dir.resolve("w.json").toString(),
                "--epochs", "1", "--ensemble", "1");
        assertThat(none.exitCode()).isNotZero();
        assertThat(none.error().strip()).doesNotContain("\n").contains("has all its labels", "--train-to");
    }

    /**
     * A copy of the data with the TX_FRAUD cell emptied (the verdict not known yet) where {@code unknown} says so;
     * @return the copy
     */
    private static Path withUnknownLabels(String name, java.util.function.IntPredicate unknown) throws IOException {
        List<String> lines = Files.readAllLines(data);
        int col = List.of(lines.get(0).split(",")).indexOf("TX_FRAUD");
        StringBuilder b = new StringBuilder(lines.get(0)).append('\n');
        for (int i = 0; i < events.size(); i++) {
            String[] f = lines.get(i + 1).split(",", -1);
            if (unknown.test(i)) {
                f[col] = "";
            }
            b.append(String.join(",", f)).append('\n');
        }
        Path copy = dir.resolve(name);
        Files.writeString(copy, b);
        return copy;
    }

    private static Cli score(Path file) {
        return Cli.run(new ScoreCommand(), "--model", model.toString(), "--data", file.toString(),
                "--score-from", "2018-05-15", "--score-to", "2018-05-20");
    }

    @Test
    void scoringPaymentsWithLessThanAWindowOfHistoryBeforeThemInTheFileIsSaid() {
        // the file starts 2018-04-01: payments from 2018-05-08 have their 30 days and the 7-day delay behind them
        String warning = "warning: the scored payments start 2018-05-01, 30 days after the first payment read "
                + "(2018-04-01): the 30-day card and terminal windows (the terminal's 7 days before them) of the first "
                + "payments see less history than a live scorer with warm stores, so they are scored as by a scorer "
                + "whose stores are still filling; give --score-from 2018-05-08 or later, or more history";
        Cli score = Cli.run(new ScoreCommand(), "--model", model.toString(), "--data", data.toString(),
                "--score-from", "2018-05-01", "--score-to", "2018-05-20");
        assertThat(score.exitCode()).as(score.error()).isZero();
        assertThat(score.err().strip()).isEqualTo(warning);
        Cli evaluate = Cli.run(new EvaluateCommand(), "--model", model.toString(), "--data", data.toString(),
                "--score-from", "2018-05-01");
        assertThat(evaluate.exitCode()).as(evaluate.error()).isZero();
        assertThat(evaluate.err()).contains(warning);
        Cli warm = Cli.run(new EvaluateCommand(), "--model", model.toString(), "--data", data.toString(),
                "--score-from", "2018-05-08");
        assertThat(warm.exitCode()).as(warm.error()).isZero();
        assertThat(warm.err()).doesNotContain("history");
    }

    @Test
    void scoreNeedsNoLabelOfTheLastDelayDaysAndWarnsWhenAnOlderOneIsNotKnown() throws IOException {
        Cli labelled = score(data);
        assertThat(labelled.exitCode()).as(labelled.error()).isZero();
        assertThat(labelled.err()).isEmpty();
        // 7-day delay: a payment of 2018-05-20 reads labels up to 2018-05-13T23:59:59; those after are never read
        long windowsEnd = LocalDate.of(2018, 5, 14).toEpochDay() * 86_400 - 1;
        Cli recentUnknown = score(withUnknownLabels("recent-unknown.csv", i -> events.time(i) > windowsEnd));
        assertThat(recentUnknown.exitCode()).as(recentUnknown.error()).isZero();
        assertThat(recentUnknown.out()).as("the scores the scorer gives before those verdicts are in")
                .isEqualTo(labelled.out());
        assertThat(recentUnknown.err()).isEmpty();
        // nor those before every scored payment's longest window (30 days and the delay before the first)
        long oldest = LocalDate.of(2018, 4, 8).toEpochDay() * 86_400 - 1;
        Cli oldUnknown = score(withUnknownLabels("old-unknown.csv", i -> events.time(i) <= oldest));
        assertThat(oldUnknown.exitCode()).as(oldUnknown.error()).isZero();
        assertThat(oldUnknown.out()).isEqualTo(labelled.out());
        assertThat(oldUnknown.err()).isEmpty();

        // a fraud inside a scored payment's terminal window, its verdict not known: it counts as genuine
        int[] rows = new EventPeriod(LocalDate.of(2018, 5, 15), LocalDate.of(2018, 5, 20)).rows(events, "x");
        java.util.Set<Long> scoredTerminals = new java.util.HashSet<>();
        for (int i : rows) {
            scoredTerminals.add(events.terminal(i));
        }
        long windowsStart = LocalDate.of(2018, 5, 8).toEpochDay() * 86_400; // the 7-day window of 2018-05-15
        int fraud = java.util.stream.IntStream.range(0, events.size()).filter(i -> events.label(i) == 1
                && events.time(i) >= windowsStart && events.time(i) <= windowsEnd - 86_400
                && scoredTerminals.contains(events.terminal(i))).findFirst().orElseThrow();
        Cli oneUnknown = score(withUnknownLabels("one-unknown.csv", i -> i == fraud));
        assertThat(oneUnknown.exitCode()).as(oneUnknown.error()).isZero();
        assertThat(oneUnknown.err().strip()).isEqualTo("warning: 1 payment of " + dir.resolve("one-unknown.csv")
                + " dated up to " + java.time.LocalDateTime.ofEpochSecond(events.time(rows[rows.length - 1])
                - 7 * 86_400, 0, java.time.ZoneOffset.UTC) + " (the 7-day label delay before the last scored "
                + "payment) has no TX_FRAUD label: the terminal risk features count it as genuine, as the scorer does when a label "
                + "never arrives, so the scores of later payments at its terminal may be lower than with the label");
        List<String> before = labelled.out().lines().toList();
        List<String> after = oneUnknown.out().lines().toList();
        assertThat(after).hasSameSizeAs(before).isNotEqualTo(before);
        int changed = 0;
        for (int k = 1; k < before.size(); k++) {
            if (!before.get(k).equals(after.get(k))) {
                changed++;
                long id = Long.parseLong(after.get(k).split(",")[0]);
                assertThat(events.terminal(rows[k - 1])).as("payment %d", id).isEqualTo(events.terminal(fraud));
                assertThat(Double.parseDouble(after.get(k).split(",")[1]))
                        .as("a known fraud less at its terminal").isLessThanOrEqualTo(Double.parseDouble(
                                before.get(k).split(",")[1]) + 1e-12);
            }
        }
        assertThat(changed).isPositive();

        // evaluate needs the verdict of every payment it scores, train of every payment
        Cli evaluate = Cli.run(new EvaluateCommand(), "--model", model.toString(), "--data",
                dir.resolve("recent-unknown.csv").toString(), "--score-from", "2018-05-15", "--score-to", "2018-05-20");
        assertError(evaluate, "recent-unknown.csv: ");
        int unknownScored = (int) java.util.Arrays.stream(rows).filter(i -> events.time(i) > windowsEnd).count();
        assertThat(evaluate.error()).contains(String.format(java.util.Locale.ROOT, "%,d of the %,d scored payments "
                + "have no TX_FRAUD label", unknownScored, rows.length), "evaluate measures the scores against them");
        Path out = dir.resolve("partial.json");
        assertError(Cli.run(new TrainCommand(), "--data", dir.resolve("one-unknown.csv").toString(), "--out",
                out.toString()), "1 of the " + String.format(java.util.Locale.ROOT, "%,d", events.size())
                + " payments has no TX_FRAUD label (the first: TRANSACTION_ID " + events.id(fraud) + "): training");
        assertThat(out).doesNotExist();
    }

    @Test
    void rowsRepeatingATransactionIdAreCountedInAWarning() throws IOException {
        List<String> lines = Files.readAllLines(data);
        Path copies = dir.resolve("copies.csv");
        List<String> with = new java.util.ArrayList<>(lines);
        with.add(lines.get(lines.size() - 1)); // the last payment sent twice
        with.add(lines.get(lines.size() - 2));
        Files.write(copies, with);
        Cli r = score(copies);
        assertThat(r.exitCode()).as(r.error()).isZero();
        long smallest = Math.min(events.id(events.size() - 1), events.id(events.size() - 2));
        assertThat(r.err().strip()).isEqualTo("warning: 2 rows of " + copies + " repeat the TRANSACTION_ID of an "
                + "earlier row (the smallest: " + smallest + "): each counts as a payment here, in its card's and "
                + "terminal's windows, while the scorer dead-letters a repeat on the same card within "
                + "--duplicate-window-ms (a day by default) as DUPLICATE_EVENT");
        assertThat(score(data).err()).isEmpty();
    }

    @Test
    void evaluateReportsRankingMetricsCardPrecisionAndConfusion() throws IOException {
        Cli r = Cli.run(new EvaluateCommand(), "--model", model.toString(), "--data", data.toString(), "--json",
                "--score-from", "2018-05-15", "--score-to", "2018-05-20");
        assertThat(r.exitCode()).as(r.error()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        int[] rows = new EventPeriod(LocalDate.of(2018, 5, 15), LocalDate.of(2018, 5, 20)).rows(events, "x");
        assertThat(j.get("rows").asInt()).isEqualTo(rows.length);
        assertThat(j.get("roc_auc").asDouble()).isGreaterThan(0.7);
        assertThat(j.get("average_precision").asDouble()).isBetween(0.2, 1.0);
        assertThat(j.get("card_precision_at_100").asDouble()).isBetween(0.0, 1.0);
        JsonNode c = j.get("confusion");
        assertThat(c.get("tp").asInt() + c.get("fp").asInt() + c.get("tn").asInt() + c.get("fn").asInt())
                .isEqualTo(rows.length);
        Cli text = Cli.run(new EvaluateCommand(), "--model", model.toString(), "--data", data.toString(),
                "--score-from", "2018-05-15");
        assertThat(text.out()).contains("AUC ROC", "AP", "CP@100", "precision");
        // those days are after the refit's: held out, no warning; days the refit learned from are said to be so
        ModelBundle m = ModelFile.read(model);
        LocalDate fitTo = LocalDate.parse(m.provenance().get("trainTo").toString());
        assertThat(fitTo).isBefore(LocalDate.of(2018, 5, 15));
        assertThat(r.err()).doesNotContain("warning");
        Cli inside = Cli.run(new EvaluateCommand(), "--model", model.toString(), "--data", data.toString(), "--json",
                "--score-from", fitTo.minusDays(1).toString(), "--score-to", "2018-05-20");
        assertThat(inside.exitCode()).as(inside.error()).isZero();
        int seen = new EventPeriod(fitTo.minusDays(1), fitTo).rows(events, "x").length;
        assertThat(inside.err().strip()).isEqualTo(String.format(java.util.Locale.ROOT, "warning: model %s was "
                + "fitted on payments from %s to %s (its provenance); %,d of the %,d scored payments are from those "
                + "days, so these figures are not held out (to evaluate on a week after training, train with "
                + "--no-refit and a --train-to before it)", m.modelVersion(), m.provenance().get("trainFrom"), fitTo,
                seen, new EventPeriod(fitTo.minusDays(1), LocalDate.of(2018, 5, 20)).rows(events, "x").length));
        new ObjectMapper().readTree(inside.out()); // standard output stays one JSON document
        // days before the fitted ones were not learnt from either: no warning (it counted every day up to trainTo)
        LocalDate fitFrom = LocalDate.parse(m.provenance().get("trainFrom").toString());
        Cli before = Cli.run(new EvaluateCommand(), "--model", model.toString(), "--data", data.toString(), "--json",
                "--score-from", "2018-04-08", "--score-to", fitFrom.minusDays(1).toString());
        assertThat(before.exitCode()).as(before.error()).isZero();
        assertThat(before.err()).doesNotContain("fitted on")
                .as("those days have 7 days of history in the file").contains("give --score-from 2018-05-08");
    }

    @Test
    void badDatesEmptyPeriodsAndMismatchedModelsAreOneLineErrors() throws IOException {
        Path out = dir.resolve("m2.json");
        // a bad date on the command line is a usage error (exit 2); a period the data does not hold is bad data (1)
        assertUsage(Cli.run(new TrainCommand(), "--data", data.toString(), "--out", out.toString(),
                "--train-from", "2018-13-01"), "--train-from must be a date YYYY-MM-DD, got '2018-13-01'");
        assertUsage(Cli.run(new TrainCommand(), "--data", data.toString(), "--out", out.toString(),
                "--train-from", "2018-05-07", "--train-to", "2018-05-01"), "--train-to 2018-05-01 is before");
        assertError(Cli.run(new TrainCommand(), "--data", data.toString(), "--out", out.toString(),
                "--train-from", "2017-01-01", "--train-to", "2017-01-07"),
                "no training events from 2017-01-01 to 2017-01-07 in " + data + " (its events run from 2018-04-01 to");
        assertError(Cli.run(new TrainCommand(), "--data", data.toString(), "--out", out.toString(),
                "--train-from", "2019-01-01"), "no training events from 2019-01-01 in " + data + " (its events run "
                + "from 2018-04-01 to");
        assertError(Cli.run(new TrainCommand(), "--data", data.toString(), "--out", out.toString(),
                "--train-from", "2018-04-01", "--train-to", "2018-04-07"),
                "the period 2018-04-01..2018-04-07 has no validation fold: no weekly fold fits in " + data
                        + " (its events run from 2018-04-01; the latest fold, training 2018-03-18..2018-03-24 and "
                        + "validating 2018-04-01..2018-04-07, has too few training days (the file holds 0 of its 7, "
                        + "less than a week)), and the period is too short to hold one of its own");
        assertError(Cli.run(new ScoreCommand(), "--model", model.toString(), "--data", data.toString(),
                "--score-from", "2019-01-01"), "no scoring events from 2019-01-01 to the end");
        Path creditcardModel = dir.resolve("cc.json");
        ModelFile.write(ModelFixtures.bundle(3), creditcardModel);
        assertError(Cli.run(new EvaluateCommand(), "--model", creditcardModel.toString(), "--data", data.toString()),
                "uses feature schema creditcard-v1, but " + data + " holds raw payment events");
        Path creditcardData = dir.resolve("cc.csv");
        Files.writeString(creditcardData, "\"Time\"," + String.join(",", java.util.stream.IntStream.rangeClosed(1, 28)
                .mapToObj(i -> "\"V" + i + "\"").toList()) + ",\"Amount\",\"Class\"\n"
                + "0" + ",0.5".repeat(28) + ",10.0,\"0\"\n");
        assertError(Cli.run(new ScoreCommand(), "--model", model.toString(), "--data", creditcardData.toString()),
                "uses feature schema handbook-v2, but " + creditcardData + " holds creditcard-format rows");
        Cli period = Cli.run(new ScoreCommand(), "--model", creditcardModel.toString(), "--data",
                creditcardData.toString(), "--score-from", "2018-01-01");
        assertThat(period.exitCode()).as("an option the data's family does not use is a command-line error").isEqualTo(2);
        assertThat(period.error()).contains("--score-from does not apply to creditcard-format rows");
        Cli features = Cli.run(new TrainCommand(), "--data", data.toString(), "--out", out.toString(), "--features",
                "handbook-v9");
        assertThat(features.exitCode()).isEqualTo(2);
        assertThat(features.error()).contains("--features: unknown raw-event feature set 'handbook-v9'");
        Cli ccFeatures = Cli.run(new TrainCommand(), "--data", creditcardData.toString(), "--out", out.toString(),
                "--features", "handbook-v1");
        assertThat(ccFeatures.exitCode()).isEqualTo(2);
        assertThat(ccFeatures.error()).contains("--features does not apply to creditcard-format rows");
        Cli split = Cli.run(new TrainCommand(), "--data", data.toString(), "--out", out.toString(), "--split", "stratified");
        assertThat(split.exitCode()).isEqualTo(2);
        assertThat(split.error()).contains("--split does not apply to raw payment events (handbook format)");
        // a raw-event file short of a column is told so, not read as creditcard rows with unknown columns
        Path noAmount = dir.resolve("no-amount.csv");
        Files.writeString(noAmount, "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_FRAUD\n"
                + "1,2018-04-01T00:00:31,596,3156,0\n");
        assertError(Cli.run(new ScoreCommand(), "--model", model.toString(), "--data", noAmount.toString()),
                noAmount + ":1: missing column TX_AMOUNT");
        assertThat(out).doesNotExist();
    }

    private static void assertUsage(Cli r, String message) {
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.error()).contains(message).doesNotContain("\n");
    }

    private static void assertError(Cli r, String message) {
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.error()).contains(message).doesNotContain("\n");
    }

    @Test
    void trainingWithLessThanAWindowOfHistoryBeforeItIsSaidToSkewTheMonitoringReference() {
        // the class's model trains from 2018-05-01 on a file starting 2018-04-01: 30 days, short of 30 + 7
        assertThat(train.err()).contains("warning: the training period starts 2018-05-01, 30 days after the first "
                + "payment read (2018-04-01)", "give --train-from 2018-05-08 or later");
        // 37 days: the 30-day windows and the 7-day delay (retrain's rule too)
        assertThat(RawEventCommands.shortHistory(LocalDate.of(2018, 4, 1), LocalDate.of(2018, 5, 8), 7)).isNull();
        assertThat(RawEventCommands.shortHistory(LocalDate.of(2018, 4, 1), LocalDate.of(2018, 5, 7), 7)).isNotNull();
    }
}
