package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.SigningKey;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.events.EventPeriod;
import org.fraudscorer.trainer.events.TransactionSimulator;
import org.fraudscorer.trainer.retrain.ChallengerGate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./fraud retrain} on archive files (a simulated handbook-format file, made-up creditcard rows), with the
 * champion given as a file: the gate decides, the report is written whatever happens, bad input is one line and
 * exit 1. No broker: Kafka is pointed at a closed port, so any attempt to publish or read a topic would fail the run.
 */
class RetrainCommandTest {
    private static final String NO_KAFKA = "127.0.0.1:1";
    /** Small training settings: the gate, not the model's quality, is under test. */
    private static final List<String> QUICK = List.of("--epochs", "3", "--ensemble", "1", "--folds", "2", "--seed", "5");

    @TempDir
    static Path dir;
    static Path events;
    static Path champion;

    @BeforeAll
    static void simulateAndTrainAChampion() throws IOException {
        TransactionSimulator.Simulated s = TransactionSimulator.simulate(
                new TransactionSimulator.Config(300, 600, 40, LocalDate.of(2018, 4, 1), 5, 3));
        events = dir.resolve("events.csv");
        try (Writer w = Files.newBufferedWriter(events)) {
            s.writeCsv(w);
        }
        champion = dir.resolve("champion.json");
        CliRun train = CliRun.of("train", "--data", events.toString(), "--out", champion.toString(), "--train-from",
                "2018-04-15", "--train-to", "2018-04-21", "--no-refit", "--epochs", "2", "--ensemble", "1", "--folds", "2");
        assertThat(train.exitCode()).as(train.errorLines()).isZero();
    }

    private static CliRun retrain(String... args) {
        List<String> all = new ArrayList<>(List.of("retrain", "-b", NO_KAFKA));
        all.addAll(List.of(args));
        all.addAll(QUICK);
        return CliRun.of(all.toArray(String[]::new));
    }

    /** What the CLI said on stderr, log lines (time stamp first) left out: must be one line. */
    static String errorLines(CliRun run) {
        return String.join("\n", run.err().lines().filter(l -> !l.isBlank())
                .filter(l -> !l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")).toList());
    }

    private static JsonNode json(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }

    /** A command line without gate options judges by {@link ChallengerGate#defaults()}, the tests' starting gate. */
    @Test
    void theGateOptionsDefaultToTheGatesDefaults() {
        RetrainCommand command = new RetrainCommand();
        new picocli.CommandLine(command).parseArgs("--data", events.toString());
        assertThat(command.gate()).isEqualTo(ChallengerGate.defaults());
        new picocli.CommandLine(command).parseArgs("--data", events.toString(), "--min-gain", "0.01", "--max-f1-loss",
                "1", "--gain-confidence", "0.9", "--max-flag-rate-change", "1.5", "--allow-first");
        assertThat(command.gate()).isEqualTo(ChallengerGate.defaults().withMinGain(0.01).withMaxF1Loss(1)
                .withGainConfidence(0.9).withMaxFlagRateChange(1.5).withAllowFirst(true));
    }

    /**
     * The alert budget on a real retrain: the report gives each model's flag rate and their ratio, the console line
     * the clause, and a budget of exactly 1 refuses unless both models flag the same share.
     */
    @Test
    void theAlertBudgetComparesTheSharesBothModelsFlagOnTheWindow() throws IOException {
        Path report = dir.resolve("budget.json");
        CliRun run = retrain("--data", events.toString(), "--champion", champion.toString(), "--min-gain", "-0.99",
                "--max-f1-loss", "1", "--max-flag-rate-change", "1", "--dry-run", "--report", report.toString());

        assertThat(run.exitCode()).as(run.errorLines()).isZero();
        JsonNode r = json(report);
        double challenger = r.get("challenger").get("flag_rate").asDouble();
        double served = r.get("champion").get("flag_rate").asDouble();
        assertThat(challenger).isBetween(0.0, 1.0);
        assertThat(served).isPositive().isLessThan(1.0);
        JsonNode gate = r.get("gate");
        assertThat(gate.get("max_flag_rate_change").asDouble()).isEqualTo(1.0);
        assertThat(gate.get("flag_rate_change").asDouble()).isCloseTo(challenger / served, within(1e-12));
        boolean same = challenger == served;
        assertThat(r.get("decision").asText()).isEqualTo(same ? "dry_run" : "refused");
        assertThat(run.out()).contains(String.format(java.util.Locale.ROOT, "; flags %.2f%% of the window against "
                + "%.2f%%: ×%.2f, %s --max-flag-rate-change 1.00", 100 * challenger, 100 * served, challenger / served,
                same ? "within" : "beyond"));
        assertThat(run.out()).contains(String.format(java.util.Locale.ROOT, "flags %.2f%% at its threshold",
                100 * challenger));
    }

    @Test
    void shouldReportTheGatePassingOnADryRunWithoutPublishing() throws IOException {
        Path report = dir.resolve("dry.json");
        CliRun run = retrain("--data", events.toString(), "--champion", champion.toString(),
                "--min-gain", "-0.99", "--max-f1-loss", "1", "--gain-confidence", "0.95",
                "--dry-run", "--report", report.toString());

        assertThat(run.exitCode()).as(run.errorLines()).isZero();
        assertThat(run.out()).contains("dry run: gate passed, nothing published");
        JsonNode r = json(report);
        // the gain's bootstrap interval, next to the gain on the console and in the report; every resample reaches
        // a min gain of -0.99
        JsonNode gate = r.get("gate");
        assertThat(gate.get("gain_p05").asDouble()).isLessThanOrEqualTo(gate.get("gain").asDouble());
        assertThat(gate.get("gain_p95").asDouble()).isGreaterThanOrEqualTo(gate.get("gain").asDouble());
        assertThat(gate.get("share_at_least_min_gain").asDouble()).isEqualTo(1.0);
        assertThat(gate.get("gain_confidence").asDouble()).isEqualTo(0.95);
        assertThat(gate.get("bootstrap_replicates").asInt()).isEqualTo(1_000);
        assertThat(run.out()).contains(String.format(java.util.Locale.ROOT, "(gain %+.4f, 90%% interval [%+.4f, "
                + "%+.4f], ≥ min gain in 100.0%% of 1000 resamples, ≥ --gain-confidence 95.0%%)",
                gate.get("gain").asDouble(), gate.get("gain_p05").asDouble(), gate.get("gain_p95").asDouble()));
        assertThat(r.get("decision").asText()).isEqualTo("dry_run");
        assertThat(r.get("published_to").isNull()).isTrue();
        // the layout counted back from the last payment (2018-05-10, before midnight): the last whole day 7 days
        // before it is 05-02, so the window is 04-26..05-02, and training ends a delay earlier, on 04-18
        assertThat(r.get("window").asText()).isEqualTo("2018-04-26..2018-05-02");
        assertThat(r.get("training").asText()).isEqualTo("2018-04-01..2018-04-18");
        for (String model : List.of("challenger", "champion")) {
            JsonNode m = r.get(model);
            assertThat(m.get("rows").asInt()).as(model).isPositive().isEqualTo(r.get("challenger").get("rows").asInt());
            assertThat(m.get("frauds").asInt()).as(model).isPositive();
            for (String metric : List.of("average_precision", "roc_auc", "card_precision_at_100",
                    "recall_at_champion_precision", "precision", "recall")) {
                assertThat(m.get(metric).asDouble()).as(model + " " + metric).isBetween(0.0, 1.0);
            }
        }
        assertThat(r.get("champion").get("model_version").asText()).isEqualTo(ModelFile.read(champion).modelVersion());
        assertThat(r.get("gate").get("passed").asBoolean()).isTrue();

        // a dry run publishes nothing, so --trusted-keys (to verify a champion read from the topic) needs no signing key
        SigningKey.KeyFiles team = SigningKey.generate().writePair(dir, "dry-team");
        CliRun trusted = retrain("--data", events.toString(), "--champion", champion.toString(),
                "--min-gain", "-0.99", "--max-f1-loss", "1",
                "--dry-run", "--trusted-keys", team.publicKey().toString(), "--report", dir.resolve("dry2.json")
                        .toString());
        assertThat(trusted.exitCode()).as(trusted.errorLines()).isZero();
    }

    /**
     * {@code --from}: training starts there, and the 38 days before it (30-day windows, 7-day delay, 1) are read as
     * history, so that the first training days' features are those a scorer with full stores computes.
     */
    @Test
    void shouldReadTheDaysBeforeFromAsHistoryAndTrainFromFrom() throws IOException {
        Path report = dir.resolve("from.json");
        CliRun run = retrain("--data", events.toString(), "--from", "2018-04-08", "--champion", champion.toString(),
                "--min-gain", "-0.99", "--max-f1-loss", "1", "--dry-run", "--report", report.toString());
        assertThat(run.exitCode()).as(run.errorLines()).isZero();
        JsonNode r = json(report);
        assertThat(r.get("history_from").asText()).isEqualTo("2018-03-01");
        long payments;
        try (var lines = Files.lines(events)) {
            payments = lines.count() - 1; // the header
        }
        assertThat(r.get("events_read").asLong()).as("every payment of the file: 03-01 is before its first day")
                .isEqualTo(payments);
        assertThat(r.get("training").asText()).isEqualTo("2018-04-08..2018-04-18");
        assertThat(r.get("window").asText()).isEqualTo("2018-04-26..2018-05-02");
        // the file holds 7 days before 04-08, not the 38 the features need: said (a weekly run on the whole topics
        // trained its first 38 days on windows that started empty, every week, without a word); a --from of 05-08,
        // 3 days before the last payment, would leave the gate too few days, so it is not advised (it was, and the
        // run it advised failed with "too short": a hands-on week)
        String shortHistory = "the training days start 2018-04-08, 7 days after the first payment read (2018-04-01): "
                + "the 30-day card and terminal windows (the terminal's 7 days before them) of the first payments see "
                + "less history than a live scorer with warm stores, so the first training days learn from features no "
                + "scorer with warm stores computes; give more history (a --from of 2018-05-08, when the history is "
                + "whole, leaves fewer days before the last payment, 2018-05-10, than the 23 the gate needs)";
        assertThat(run.err()).contains("warning: " + shortHistory);
        assertThat(r.get("short_history").asText()).isEqualTo(shortHistory);
        RawEvents all = org.fraudscorer.trainer.data.RawEventCsv.read(events);
        // without --from, from the first payment read
        assertThat(RawEventApp.shortHistory(all, new EventPeriod(null, null), 7, 7))
                .startsWith("the training days start 2018-04-01, 0 days after the first payment read (2018-04-01)");
        // and nothing to say once 37 days of history (the 30-day windows, the 7-day delay) lie before --from
        assertThat(RawEventApp.shortHistory(all, new EventPeriod(LocalDate.of(2018, 5, 8), null), 7, 7)).isNull();
        assertThat(RawEventApp.shortHistory(all, new EventPeriod(LocalDate.of(2018, 5, 7), null), 7, 7)).isNotNull();
        assertThat(RawEventApp.shortHistory(all, new EventPeriod(LocalDate.of(2018, 5, 4), null), 3, 7)).isNull();
        // the --from advised when the days after it hold the gate's: here 1-day windows, no delay (3 days at least)
        assertThat(RawEventApp.shortHistory(all, new EventPeriod(null, null), 0, 1)).endsWith("give --from 2018-05-01 "
                + "or later, or more history");
        assertThat(RawEventApp.shortHistory(all, new EventPeriod(null, null), 0, 9)).endsWith("give more history (a "
                + "--from of 2018-05-01, when the history is whole, leaves fewer days before the last payment, "
                + "2018-05-10, than the 11 the gate needs)");
    }

    @Test
    void shouldRefuseAChallengerShortOfTheGainAndSayWhyInTheReport() throws IOException {
        Path report = dir.resolve("refused.json");
        CliRun run = retrain("--data", events.toString(), "--champion", champion.toString(), "--min-gain", "0.99",
                "--report", report.toString());

        assertThat(run.exitCode()).as(run.errorLines()).isZero();
        assertThat(run.out()).contains("not published: challenger AP");
        JsonNode r = json(report);
        assertThat(r.get("decision").asText()).isEqualTo("refused");
        assertThat(r.get("gate").get("passed").asBoolean()).isFalse();
        assertThat(r.get("gate").get("min_gain").asDouble()).isEqualTo(0.99);
        assertThat(r.get("published_to").isNull()).isTrue();
    }

    @Test
    void shouldWriteASignedChallengerFileWithOut() throws IOException {
        SigningKey key = SigningKey.generate();
        SigningKey.KeyFiles files = key.writePair(dir, "ops");
        Path out = dir.resolve("challenger.json");
        CliRun run = retrain("--data", events.toString(), "--champion", champion.toString(), "--dry-run", "--out",
                out.toString(), "--signing-key", files.privateKey().toString());

        assertThat(run.exitCode()).as(run.errorLines()).isZero();
        assertThat(ModelFile.load(out).authenticity().keyId()).isEqualTo(key.keyId());
    }

    /**
     * An output inside the --trusted-keys directory is refused before anything is written: {@code --report
     * keys/ops.pub} replaced the key with the report, and {@code --out} there gave the scorers a key file they cannot
     * read (found by a helper session). An --out that cannot be written is refused before the training, not after.
     */
    @Test
    void shouldRefuseAnOutputInTheTrustedKeysDirectoryOrOneThatCannotBeWrittenBeforeTraining() throws IOException {
        Path keys = Files.createDirectories(dir.resolve("trusted-dir"));
        SigningKey.KeyFiles ops = SigningKey.generate().writePair(dir, "ops-dir");
        Path pub = Files.copy(ops.publicKey(), keys.resolve("ops-dir.pub"));
        byte[] before = Files.readAllBytes(pub);
        Path link = Files.createSymbolicLink(dir.resolve("link-to-key.pub"), pub); // written through, into the keys
        for (String option : List.of("--report", "--out")) {
            for (Path target : List.of(pub, keys.resolve("new.pub"), link)) {
                CliRun run = retrain("--data", events.toString(), "--champion", champion.toString(), "--dry-run",
                        "--trusted-keys", keys.toString(), "--signing-key", ops.privateKey().toString(), option,
                        target.toString());
                assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
                assertThat(errorLines(run)).contains(option + " " + target + " is inside --trusted-keys " + keys)
                        .doesNotContain("\n");
            }
        }
        assertThat(Files.readAllBytes(pub)).isEqualTo(before);
        assertThat(keys.resolve("new.pub")).doesNotExist();

        Path directory = Files.createDirectories(dir.resolve("out-directory"));
        CliRun out = retrain("--data", events.toString(), "--champion", champion.toString(), "--dry-run", "--out",
                directory.toString());
        assertThat(out.exitCode()).as(out.err()).isEqualTo(2);
        assertThat(errorLines(out)).contains("--out " + directory + " is a directory, not a file").doesNotContain("\n");
        assertThat(out.out()).doesNotContain("Trained on").doesNotContain("best");
    }

    @Test
    void shouldRefuseASigningKeyTheTrustedKeysDoNotHoldBeforeTraining() throws IOException {
        SigningKey.KeyFiles ops = SigningKey.generate().writePair(dir, "ops2");
        SigningKey.KeyFiles other = SigningKey.generate().writePair(dir, "other");
        CliRun run = retrain("--data", events.toString(), "--champion", champion.toString(), "--signing-key",
                ops.privateKey().toString(), "--trusted-keys", other.publicKey().toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(errorLines(run)).contains("is not among --trusted-keys").doesNotContain("\n");
        assertThat(run.out()).doesNotContain("Trained on").doesNotContain("best"); // refused before any training
    }

    /** A champion file the scorers' keys refuse is compared with, but said: it was taken silently (a hunt). */
    @Test
    void shouldWarnOfAChampionFileTheTrustedKeysRefuse() throws IOException {
        SigningKey.KeyFiles ops = SigningKey.generate().writePair(dir, "ops3");
        CliRun run = retrain("--data", events.toString(), "--champion", champion.toString(), "--dry-run",
                "--trusted-keys", ops.publicKey().toString(), "--min-gain", "-0.99", "--max-f1-loss", "1");
        assertThat(run.exitCode()).as(run.errorLines()).isZero();
        assertThat(errorLines(run).lines().filter(l -> !l.startsWith("warning: the training days start")))
                .singleElement().asString().contains("warning: --champion: model " + champion + " is not signed; only "
                        + "models signed by a trusted key are accepted").contains("do not serve it");
    }

    @Test
    void shouldRefuseAPeriodWithoutFraudInOneLineAndReportTheReason() throws IOException {
        List<String> lines = Files.readAllLines(events);
        int fraud = List.of(lines.get(0).split(",")).indexOf("TX_FRAUD");
        Path noFraud = dir.resolve("no-fraud.csv");
        List<String> out = new ArrayList<>(List.of(lines.get(0)));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            f[fraud] = "0";
            out.add(String.join(",", f));
        }
        Files.write(noFraud, out);
        Path report = dir.resolve("no-fraud.json");

        CliRun run = retrain("--data", noFraud.toString(), "--champion", champion.toString(), "--report", report.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(errorLines(run)).startsWith("error: ").contains("no fraud").doesNotContain("\n");
        assertThat(json(report).get("decision").asText()).isEqualTo("error");
        assertThat(json(report).get("reason").asText()).contains("no fraud");
    }

    /** --report and --out must not name an input (the signing key, the archive, the champion): exit 2, untouched. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} over {1}")
    @org.junit.jupiter.params.provider.CsvSource({"--report,key", "--report,archive", "--out,champion",
            "--out,report"})
    void shouldRefuseAnOutputThatIsOneOfItsInputs(String option, String input) throws IOException {
        Path key = dir.resolve("refuse-" + option.substring(2) + "-" + input + ".key");
        CliRun keygen = CliRun.of("keygen", "--out", key.getParent().toString(), "--name", key.getFileName()
                .toString().replace(".key", ""));
        assertThat(keygen.exitCode()).as(keygen.err()).isZero();
        Path archive = Files.copy(events, dir.resolve("refuse-" + option.substring(2) + "-" + input + ".csv"));
        Path champ = Files.copy(champion, dir.resolve("refuse-" + option.substring(2) + "-" + input + ".json"));
        Path report = dir.resolve("refuse-" + option.substring(2) + "-" + input + "-report.json");
        Path target = switch (input) {
            case "key" -> key;
            case "archive" -> archive;
            case "champion" -> champ;
            default -> report;
        };
        byte[] before = Files.exists(target) ? Files.readAllBytes(target) : null;
        List<String> args = new ArrayList<>(List.of("--data", archive.toString(), "--champion", champ.toString(),
                "--signing-key", key.toString(), "--dry-run", option, target.toString()));
        if (option.equals("--out")) {
            args.addAll(List.of("--report", report.toString()));
        }
        CliRun run = retrain(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        String named = input.equals("report") ? "--report" : option; // the report is checked first, against --out
        assertThat(errorLines(run)).contains(named + " " + target + " is an input of this command")
                .doesNotContain("\n");
        if (before != null) {
            assertThat(Files.readAllBytes(target)).isEqualTo(before);
        }
    }

    /**
     * A report that cannot be written is refused before anything is trained or published (exit 2): found after
     * publishing, it turned a published model into a failed run that a cron job would run again.
     */
    @Test
    void shouldRefuseAReportThatCannotBeWrittenBeforeTraining() throws IOException {
        Path directory = Files.createDirectories(dir.resolve("a-directory"));
        CliRun run = retrain("--data", events.toString(), "--champion", champion.toString(),
                "--min-gain", "-0.99", "--max-f1-loss", "1",
                "--report", directory.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(errorLines(run)).contains("--report " + directory + " cannot be written").doesNotContain("\n");
        assertThat(run.out()).doesNotContain("published").doesNotContain("epoch");
    }

    @Test
    void shouldRefuseAPeriodTooShortForALabelledWindow() {
        CliRun run = retrain("--data", events.toString(), "--from", "2018-04-25", "--champion", champion.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(errorLines(run)).contains("the gate cannot be evaluated", "too short").doesNotContain("\n");
    }

    /**
     * A --from after the last payment is named as given: the payments of the history days before it said "too short
     * for training days, ..." of a period running back from --from to the last payment, and a --from without even
     * history payments named the first history day instead.
     */
    @Test
    void shouldSayThatNoPaymentIsOnOrAfterFrom() {
        for (String from : List.of("2018-05-20", "2019-01-01")) {
            CliRun run = retrain("--data", events.toString(), "--from", from, "--champion", champion.toString());
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(errorLines(run)).startsWith("error: no payment events from " + from + " to the end in ")
                    .contains("its events run from 2018-04-01 to 2018-05-10").doesNotContain("\n");
        }
    }

    @Test
    void shouldRefuseAnUnreadableArchiveOrChampion() throws IOException {
        Path report = dir.resolve("missing.json");
        CliRun missing = retrain("--data", dir.resolve("missing.csv").toString(), "--champion", champion.toString(),
                "--report", report.toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(errorLines(missing)).contains("missing.csv").doesNotContain("\n");
        assertThat(json(report).get("decision").asText()).isEqualTo("error");

        Path garbage = Files.writeString(dir.resolve("garbage.json"), "{not a model");
        CliRun badChampion = retrain("--data", events.toString(), "--champion", garbage.toString());
        assertThat(badChampion.exitCode()).isEqualTo(1);
        assertThat(errorLines(badChampion)).contains("garbage.json").doesNotContain("\n");
    }

    @Test
    void shouldRefuseAChampionOfTheOtherFamily() throws IOException {
        Path rows = MadeUpTransactions.write(dir.resolve("rows.csv"), 1_500, 0.05, 7);
        Path cardModel = dir.resolve("card-model.json");
        CliRun train = CliRun.of("train", "--data", rows.toString(), "--out", cardModel.toString(), "--epochs", "2",
                "--ensemble", "1", "--folds", "2");
        assertThat(train.exitCode()).as(train.errorLines()).isZero();

        CliRun run = retrain("--data", events.toString(), "--champion", cardModel.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(errorLines(run)).startsWith("error: ").doesNotContain("\n")
                .contains("uses feature schema creditcard-v1");
    }

    @Test
    void shouldRetrainOnACreditcardArchiveWithTheLatestRowsAsTheWindow() throws IOException {
        Path rows = MadeUpTransactions.write(dir.resolve("cc.csv"), 2_000, 0.05, 9);
        Path cardModel = dir.resolve("cc-model.json");
        assertThat(CliRun.of("train", "--data", rows.toString(), "--out", cardModel.toString(), "--epochs", "2",
                "--ensemble", "1", "--folds", "2").exitCode()).isZero();
        Path report = dir.resolve("cc.json");

        CliRun run = retrain("--data", rows.toString(), "--champion", cardModel.toString(), "--dry-run", "--min-gain",
                "-0.99", "--max-f1-loss", "1", "--report", report.toString());

        assertThat(run.exitCode()).as(run.errorLines()).isZero();
        JsonNode r = json(report);
        assertThat(r.get("decision").asText()).isEqualTo("dry_run");
        assertThat(r.get("window").asText()).isEqualTo("the latest 500 rows by Time");
        assertThat(r.get("challenger").get("card_precision_at_100").isNull()).isTrue();
        assertThat(r.get("champion").get("average_precision").asDouble()).isBetween(0.0, 1.0);
        // raw-event options do not apply to creditcard rows
        assertThat(retrain("--data", rows.toString(), "--champion", cardModel.toString(), "--window-days", "3")
                .exitCode()).isEqualTo(2);

        // --negative-weight: the window's figures are at the real prevalence, as the trainer's test figures of the
        // same rows (the gate judged them at the sample's, beside a threshold chosen at the real one)
        Path weighted = dir.resolve("cc-weighted.json");
        Path challenger = dir.resolve("cc-weighted-model.json");
        CliRun w = retrain("--data", rows.toString(), "--champion", cardModel.toString(), "--dry-run", "--min-gain",
                "-0.99", "--max-f1-loss", "1", "--negative-weight", "100", "--no-refit", "--out",
                challenger.toString(), "--report", weighted.toString());
        assertThat(w.exitCode()).as(w.errorLines()).isZero();
        double testPrAuc = org.fraudscorer.common.model.ModelFile.read(challenger).metrics().get("test").get("pr_auc");
        assertThat(json(weighted).get("challenger").get("average_precision").asDouble())
                .isEqualTo(testPrAuc).isNotEqualTo(r.get("challenger").get("average_precision").asDouble());
    }

    @Test
    void shouldRefuseFamilyAndRoleOptionsThatCannotBeMeantAsUsageErrors() throws IOException {
        Path rows = MadeUpTransactions.write(dir.resolve("cc-options.csv"), 1_000, 0.1, 3);
        Map<List<String>, String> bad = Map.ofEntries(
                Map.entry(List.of("--from", "2018-4-1", "--dry-run"), "--from must be a date YYYY-MM-DD"),
                Map.entry(List.of("--delay-days", "-1", "--dry-run"), "--delay-days must be ≥ 0, got -1"),
                Map.entry(List.of("--window-days", "0", "--dry-run"), "--window-days must be ≥ 1, got 0"),
                Map.entry(List.of("--to", "soon", "--dry-run"), "--to must be a date"),
                Map.entry(List.of("--from", "-999999999-01-01", "--dry-run"), "--from must be a date from 1970-01-01"),
                Map.entry(List.of("--name", "a b", "--dry-run"), "--name must be 1 to 64 letters, digits"),
                Map.entry(List.of("-p", "isolation.level=read_uncommitted", "--dry-run"), "needs isolation.level="
                        + "read_committed (a payment or a label of an aborted transaction never happened)"),
                Map.entry(List.of("--max-f1-loss", "1.5", "--dry-run"), "--max-f1-loss must be a number in [0, 1]"),
                Map.entry(List.of("--min-gain", "2", "--dry-run"), "--min-gain must be a number in (-1, 1)"),
                Map.entry(List.of("--max-flag-rate-change", "0.5", "--dry-run"), "--max-flag-rate-change must be a "
                        + "factor of at least 1 (e.g. 1.5; 0 turns the check off), got 0.5"),
                Map.entry(List.of("--gain-confidence", "1", "--dry-run"), "--gain-confidence must be a probability "
                        + "in [0, 1) (0 turns the check off), got 1.0"),
                Map.entry(List.of("--gain-confidence", "-0.5", "--dry-run"), "--gain-confidence must be a probability"),
                Map.entry(List.of("--gain-confidence", "90%", "--dry-run"), "--gain-confidence"),
                Map.entry(List.of("--read-timeout", "PT0S", "--dry-run"), "--read-timeout must be positive, got PT0S"),
                Map.entry(List.of("--read-timeout", "PT1M", "--data", events.toString(), "--dry-run"),
                        "--read-timeout goes with the topics"),
                // exit 1 with no option named (a review); Kafka's settings are --kafka-config's here, not --config's
                Map.entry(List.of("--kafka-config", dir.resolve("none.properties").toString(), "--dry-run"),
                        "error: --kafka-config: properties file " + dir.resolve("none.properties") + " does not exist"),
                Map.entry(List.of("-p", "linger.ms=abc", "--dry-run"), "error: Kafka setting linger.ms (--kafka-config "
                        + "or -p): Invalid value abc"));
        Map<List<String>, String> more = Map.of(
                List.of("--family", "cards", "--dry-run"), "--family must be raw-events or creditcard",
                List.of("--family", "raw-events", "--data", rows.toString(), "--dry-run"), "holds creditcard-format rows",
                List.of("--family", "creditcard", "--data", events.toString(), "--dry-run"), "holds raw payment events",
                List.of("--family", "creditcard", "--window-days", "3", "--dry-run"), "--window-days does not apply",
                List.of("--name", "challenger", "--dry-run"), "is reserved for the challenger",
                List.of("--as", "challenger", "--allow-first"), "--allow-first publishes a deployment's first model",
                List.of("--as", "challenger", "--name", "fraud"), "--name names a champion",
                List.of("--as", "shadow"), "--as",
                List.of("--labels-topic", "transactions", "--dry-run"), "--labels-topic transactions must differ from "
                        + "--input-topic");
        bad = new java.util.HashMap<>(bad);
        bad.putAll(more);
        bad.forEach((args, says) -> {
            CliRun run = retrain(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.err()).as(String.join(" ", args)).contains(says);
        });
        // the header and --family agree: accepted (a dry run on the archive, no broker needed)
        Path cardModel = dir.resolve("cc-options-model.json");
        assertThat(CliRun.of("train", "--data", rows.toString(), "--out", cardModel.toString(), "--epochs", "1",
                "--ensemble", "1", "--folds", "2").exitCode()).isZero();
        CliRun agreed = retrain("--family", "creditcard", "--data", rows.toString(), "--champion",
                cardModel.toString(), "--dry-run", "--min-gain", "-0.99", "--max-f1-loss", "1");
        assertThat(agreed.exitCode()).as(agreed.errorLines()).isZero();
    }

    /**
     * {@code --split stratified} cannot be meant (the window is the latest rows by Time): a usage error before any
     * data is read. It was exit 1 after the topics were read and the data checked (a weekly-operations hunt).
     */
    @Test
    void shouldRefuseAStratifiedSplitAsAUsageErrorBeforeReading() throws IOException {
        Path rows = MadeUpTransactions.write(dir.resolve("cc-split.csv"), 1_000, 0.1, 4);
        Path cardModel = dir.resolve("cc-split-model.json");
        assertThat(CliRun.of("train", "--data", rows.toString(), "--out", cardModel.toString(), "--epochs", "1",
                "--ensemble", "1", "--folds", "2").exitCode()).isZero();

        CliRun run = retrain("--data", rows.toString(), "--champion", cardModel.toString(), "--dry-run",
                "--split", "stratified");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(errorLines(run)).startsWith("error: --split stratified").contains("latest rows by Time")
                .doesNotContain("\n");
        assertThat(run.err()).doesNotContain("CreditCardCsv"); // refused before the archive was read
        assertThat(run.out()).doesNotContain("epoch");
        // the topics are not read either (the broker is a closed port: reading would fail with exit 1)
        CliRun topics = retrain("--family", "creditcard", "--split", "stratified", "--dry-run");
        assertThat(topics.exitCode()).as(topics.err()).isEqualTo(2);
    }

    @Test
    void shouldReadTheConsolesCreditcardLabelAndRefuseAnythingElse() {
        String[] id = {null};
        assertThat(CreditCardTopicHistory.label(utf8("{\"id\":\"a-1\",\"Time\":3.0,\"Class\":1}"), id)).isEqualTo(1);
        assertThat(id[0]).isEqualTo("a-1");
        assertThat(CreditCardTopicHistory.label(utf8("{\"id\":42,\"Class\":0}"), id)).isZero();
        assertThat(id[0]).isEqualTo("42");
        for (String bad : List.of("{\"id\":\"a\",\"Class\":2}", "{\"id\":\"a\",\"Class\":\"1\"}",
                "{\"id\":\"a\",\"Class\":0.5}", "{\"Class\":1}", "{\"id\":\"\",\"Class\":1}",
                "{\"id\":[1],\"Class\":1}", "[1]", "not json", "{\"TRANSACTION_ID\":1,\"TX_FRAUD\":1}")) {
            assertThat(CreditCardTopicHistory.label(utf8(bad), id)).as(bad).isEqualTo(-1);
        }
        assertThat(CreditCardTopicHistory.label(null, id)).isEqualTo(-1);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
