package org.fraudscorer.trainer.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.fraudscorer.common.metrics.RankedScores.labels;
import static org.fraudscorer.common.metrics.RankedScores.ranked;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fraudscorer.common.metrics.ApGainBootstrap;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.common.model.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate and what follows it: publish only when the challenger passes every criterion (the ranking by the gain, with
 * its confidence when asked, and the operating point), a report either way.
 */
class RetrainDecisionTest {
    @TempDir
    Path dir;

    /** The ranking alone: the operating-point check off. */
    private static final ChallengerGate RANKING_ONLY = ChallengerGate.defaults().withMaxF1Loss(1);
    /** The ranking alone, with a gain resolved in 90% of the resamples. */
    private static final ChallengerGate CONFIDENT = RANKING_ONLY.withGainConfidence(0.9);

    private final List<byte[]> sent = new ArrayList<>();
    private final RetrainDecision.Publisher publisher = (version, bytes) -> {
        sent.add(bytes);
        return "models-0@" + (sent.size() - 1);
    };

    private static WindowMetrics metrics(String version, double ap) {
        return window(version).ap(ap).build();
    }

    /**
     * A window's numbers by name, each test giving only those it is about: 1,000 rows, 20 frauds, AP 0.6, ROC-AUC 0.9,
     * card precision 0.1, threshold 0.5, precision 0.6, recall 0.5, recall at the champion's precision 0.5, flag rate
     * 0.02 otherwise. A field added to {@link WindowMetrics} gets its value here once (the tests passed all eleven by
     * position, 26 times).
     */
    private static Window window(String version) {
        return new Window(version);
    }

    private static final class Window {
        private final String version;
        private int rows = 1000;
        private int frauds = 20;
        private double ap = 0.6;
        private double rocAuc = 0.9;
        private double cardPrecision = 0.1;
        private double threshold = 0.5;
        private double precision = 0.6;
        private double recall = 0.5;
        private double atChampionPrecision = 0.5;
        private double flagRate = 0.02;

        Window(String version) {
            this.version = version;
        }

        Window rows(int v) {
            rows = v;
            return this;
        }

        Window frauds(int v) {
            frauds = v;
            return this;
        }

        Window ap(double v) {
            ap = v;
            return this;
        }

        Window rocAuc(double v) {
            rocAuc = v;
            return this;
        }

        Window cardPrecision(double v) {
            cardPrecision = v;
            return this;
        }

        Window threshold(double v) {
            threshold = v;
            return this;
        }

        Window precision(double v) {
            precision = v;
            return this;
        }

        Window recall(double v) {
            recall = v;
            return this;
        }

        Window atChampionPrecision(double v) {
            atChampionPrecision = v;
            return this;
        }

        Window flagRate(double v) {
            flagRate = v;
            return this;
        }

        WindowMetrics build() {
            return new WindowMetrics(version, rows, frauds, ap, rocAuc, cardPrecision, threshold, precision, recall,
                    atChampionPrecision, flagRate);
        }
    }

    private static Challenge challenge(double challengerAp, Double championAp) {
        ModelBundle challenger = ModelFixtures.bundle(3);
        return new Challenge(challenger, "evaluated-1", "2018-04-01..2018-05-10", "2018-05-18..2018-05-24",
                metrics(challenger.modelVersion(), challengerAp), championAp == null ? null : metrics("champ", championAp));
    }

    private JsonNode report(Path file) throws Exception {
        return new ObjectMapper().readTree(file.toFile());
    }

    @Test
    void shouldPublishWhenTheChallengerBeatsTheChampionByTheGain() throws Exception {
        Path report = dir.resolve("report.json");
        RetrainDecision.Outcome o = RetrainDecision.decide(challenge(0.70, 0.60),
                ChallengerGate.defaults().withMinGain(0.05), false, null, publisher, Map.of("source", "test"), report);

        assertThat(o.decision()).isEqualTo(RetrainDecision.Decision.PUBLISHED);
        assertThat(sent).hasSize(1);
        assertThat(ModelFile.fromBytes(sent.get(0), "sent").modelVersion()).isEqualTo(ModelFixtures.bundle(3).modelVersion());
        JsonNode r = report(report);
        assertThat(r.get("decision").asText()).isEqualTo("published");
        assertThat(r.get("published_to").asText()).isEqualTo("models-0@0");
        assertThat(r.get("gate").get("passed").asBoolean()).isTrue();
        assertThat(r.get("gate").get("gain").asDouble()).isCloseTo(0.10, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(r.get("challenger").get("average_precision").asDouble()).isEqualTo(0.70);
        assertThat(r.get("champion").get("average_precision").asDouble()).isEqualTo(0.60);
        assertThat(r.get("source").asText()).isEqualTo("test");
    }

    @Test
    void shouldRefuseWhenTheGainIsShortAndStillWriteTheReport() throws Exception {
        Path report = dir.resolve("report.json");
        RetrainDecision.Outcome o = RetrainDecision.decide(challenge(0.64, 0.60),
                ChallengerGate.defaults().withMinGain(0.05), false, null, publisher, Map.of(), report);

        assertThat(o.decision()).isEqualTo(RetrainDecision.Decision.REFUSED);
        assertThat(sent).isEmpty();
        JsonNode r = report(report);
        assertThat(r.get("decision").asText()).isEqualTo("refused");
        assertThat(r.get("published_to").isNull()).isTrue();
        assertThat(r.get("gate").get("passed").asBoolean()).isFalse();
        assertThat(r.get("reason").asText()).contains("gate refused", "0.6400", "0.6000");
    }

    @Test
    void shouldRefuseAWorseChallengerWithTheDefaultGainAndAcceptAnEqualOne() throws Exception {
        ChallengerGate notWorse = ChallengerGate.defaults();
        assertThat(RetrainDecision.decide(challenge(0.59, 0.60), notWorse, false, null, publisher, Map.of(), null)
                .decision()).isEqualTo(RetrainDecision.Decision.REFUSED);
        assertThat(RetrainDecision.decide(challenge(0.60, 0.60), notWorse, false, null, publisher, Map.of(), null)
                .decision()).isEqualTo(RetrainDecision.Decision.PUBLISHED);
        assertThat(sent).hasSize(1);
    }

    @Test
    void shouldTolerateASmallLossWithANegativeGain() throws Exception {
        assertThat(RetrainDecision.decide(challenge(0.58, 0.60), ChallengerGate.defaults().withMinGain(-0.05), false,
                null, publisher, Map.of(), null).decision()).isEqualTo(RetrainDecision.Decision.PUBLISHED);
    }

    @Test
    void shouldNeverPublishOnADryRunButReportThatTheGatePassed() throws Exception {
        Path report = dir.resolve("dry.json");
        RetrainDecision.Outcome o = RetrainDecision.decide(challenge(0.9, 0.1), ChallengerGate.defaults(), true, null,
                publisher, Map.of(), report);

        assertThat(o.decision()).isEqualTo(RetrainDecision.Decision.DRY_RUN);
        assertThat(sent).isEmpty();
        assertThat(report(report).get("decision").asText()).isEqualTo("dry_run");
        assertThat(report(report).get("gate").get("passed").asBoolean()).isTrue();
    }

    @Test
    void shouldRefuseWithoutAChampionUnlessAllowFirst() throws Exception {
        assertThat(RetrainDecision.decide(challenge(0.5, null), ChallengerGate.defaults(), false, null, publisher,
                Map.of(), null).verdict().reason()).isEqualTo(ChallengerGate.NO_CHAMPION)
                // the serving --model file, not --allow-first, which would replace it without a comparison
                .startsWith("no champion to compare with: scorers started with --model serve that file")
                .contains("publish the serving model first ('./fraud publish --model FILE')");
        assertThat(sent).isEmpty();
        assertThat(RetrainDecision.decide(challenge(0.5, null), ChallengerGate.defaults().withAllowFirst(true), false,
                null, publisher, Map.of(), null).decision()).isEqualTo(RetrainDecision.Decision.PUBLISHED);
        assertThat(sent).hasSize(1);
    }

    /** Without a champion the report's gate holds its settings and its answer; every compared number is null. */
    @Test
    void withoutAChampionNoComparedNumberIsReported() {
        ChallengerGate gate = ChallengerGate.defaults().withAllowFirst(true);
        Map<String, Object> m = gate.judge(metrics("c", 0.5), null).toMap(gate);
        List<String> settingsAndAnswer = List.of("metric", "min_gain", "gain_confidence", "max_f1_loss",
                "max_flag_rate_change", "passed", "reason");
        assertThat(m).containsKeys(settingsAndAnswer.toArray(String[]::new));
        m.forEach((field, value) -> {
            if (!settingsAndAnswer.contains(field)) {
                assertThat(value).as(field).isNull();
            }
        });
    }

    /** The report's three shapes name their decision alike: running, then a decision or an error. */
    @Test
    void theReportsDecisionIsRunningThenTheDecisionsValue() {
        Map<String, Object> context = Map.of("source", "test");
        Map<String, Object> running = RetrainDecision.runningReport(context);
        assertThat(running).containsEntry("source", "test").containsEntry("decision", RetrainDecision.RUNNING)
                .containsKey("time");
        assertThat(running.keySet()).startsWith("source");
        assertThat(RetrainDecision.errorReport(context, "broken")).containsEntry("decision", "error")
                .containsEntry("reason", "broken").containsEntry("published_to", null);
        assertThat(java.util.Arrays.stream(RetrainDecision.Decision.values())
                .map(RetrainDecision.Decision::reportValue)).containsExactly("published", "dry_run", "refused",
                "error");
    }

    @Test
    void shouldRefuseToJudgeAWindowWithoutFraudAndPublishNothing() {
        ModelBundle challenger = ModelFixtures.bundle(3);
        WindowMetrics noFraud = window("c").rows(500).frauds(0).ap(Double.NaN).rocAuc(Double.NaN)
                .cardPrecision(Double.NaN).precision(0).recall(0).atChampionPrecision(Double.NaN).build();
        Challenge c = new Challenge(challenger, "e", "t", "w", noFraud, noFraud);
        assertThatThrownBy(() -> RetrainDecision.decide(c, ChallengerGate.defaults().withAllowFirst(true), false, null,
                publisher, Map.of(), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be evaluated").hasMessageContaining("no fraud");
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldSignThePublishedModel() throws Exception {
        SigningKey key = SigningKey.generate();
        RetrainDecision.Outcome o = RetrainDecision.decide(challenge(0.7, 0.6), ChallengerGate.defaults(), false, key,
                publisher, Map.of(), null);
        assertThat(ModelFile.load(sent.get(0), "sent", null).authenticity().keyId()).isEqualTo(key.keyId());
        assertThat(o.report().get("published_model").toString()).contains(key.keyId());
    }

    /** A report that fails after the model went out says the model was published: the run did change something. */
    @Test
    void shouldSayTheModelWasPublishedWhenOnlyItsReportFails() throws Exception {
        Path directory = java.nio.file.Files.createDirectories(dir.resolve("not-a-file"));
        List<byte[]> sent = new ArrayList<>();
        assertThatThrownBy(() -> RetrainDecision.decide(challenge(0.7, 0.6), ChallengerGate.defaults(), false, null,
                (v, b) -> {
                    sent.add(b);
                    return "fraud-models-0@7";
                }, Map.of(), directory))
                .isInstanceOf(RetrainDecision.ReportFailedAfterPublishException.class)
                .hasMessageContaining("WAS published to fraud-models-0@7");
        assertThat(sent).hasSize(1);
    }

    @Test
    void shouldWriteAnErrorReportWhenPublishingFails() throws Exception {
        Path report = dir.resolve("report.json");
        assertThatThrownBy(() -> RetrainDecision.decide(challenge(0.7, 0.6), ChallengerGate.defaults(), false, null,
                (v, b) -> {
                    throw new IllegalStateException("broker down");
                }, Map.of(), report)).isInstanceOf(RetrainDecision.PublishFailedException.class).hasMessageContaining("broker down");
        assertThat(report(report).get("decision").asText()).isEqualTo("error");
        assertThat(report(report).get("reason").asText()).contains("broker down");
    }

    @Test
    void gainOutsideMinusOneToOneIsRefused() {
        assertThatThrownBy(() -> ChallengerGate.defaults().withMinGain(1.5)).hasMessageContaining("--min-gain");
        assertThatThrownBy(() -> ChallengerGate.defaults().withMinGain(Double.NaN)).hasMessageContaining("--min-gain");
        assertThatThrownBy(() -> ChallengerGate.defaults().withMaxF1Loss(-0.1))
                .hasMessage("--max-f1-loss must be a number in [0, 1] (1 turns the check off), got -0.1");
        assertThatThrownBy(() -> ChallengerGate.defaults().withMaxF1Loss(Double.NaN))
                .hasMessageContaining("--max-f1-loss");
    }

    /** A window short of either class cannot judge; the hint fits the class it lacks. */
    @Test
    void aWindowShortOfFraudsOrOfGenuinePaymentsIsRefusedWithAHintForWhatItLacks() {
        WindowMetrics alerts = window("c").rows(85).frauds(84).ap(0.99).cardPrecision(Double.NaN).threshold(0.99)
                .precision(0.9).recall(0.9).atChampionPrecision(0.9).build();
        assertThatThrownBy(() -> ChallengerGate.defaults().judge(alerts, null))
                .hasMessageContaining("holds 84 frauds and 1 genuine payment")
                .hasMessageContaining("label genuine alerts too");
        WindowMetrics oneDay = window("c").rows(196).frauds(2).ap(0.5).cardPrecision(Double.NaN).precision(0.5).build();
        assertThatThrownBy(() -> ChallengerGate.defaults().judge(oneDay, null))
                .hasMessageContaining("holds 2 frauds and 194 genuine payments")
                .hasMessageContaining("too few frauds: a longer --window-days").hasMessageNotContaining("alerts");
    }

    /** A challenger that ranks better but whose threshold lands badly: many more alerts, half as precise. */
    @Test
    void aBetterRankingWithAWorseOperatingPointIsRefused() throws Exception {
        WindowMetrics champion = window("p").cardPrecision(Double.NaN).build();
        WindowMetrics noisy = window("c").ap(0.70).cardPrecision(Double.NaN).threshold(0.1).precision(0.30).recall(0.55)
                .atChampionPrecision(0.55).build();
        ChallengerGate.Verdict v = ChallengerGate.defaults().judge(noisy, champion);
        assertThat(v.passed()).isFalse();
        assertThat(v.gain()).isCloseTo(0.10, within(1e-12));
        // F1 0.3882 against 0.5455
        assertThat(v.f1Change()).isCloseTo(2 * 0.3 * 0.55 / 0.85 - 2 * 0.6 * 0.5 / 1.1, within(1e-12));
        assertThat(v.reason()).contains("at the thresholds F1 0.3882 (precision 0.3000, recall 0.5500) against 0.5455 "
                + "(0.6000, 0.5000): -0.1572, beyond --max-f1-loss 0.0500");
        // a threshold too high: as precise, but 40% of the recall gone
        WindowMetrics timid = window("c").ap(0.70).cardPrecision(Double.NaN).threshold(0.9).precision(0.62).recall(0.30)
                .atChampionPrecision(0.55).build();
        assertThat(ChallengerGate.defaults().judge(timid, champion).passed()).isFalse();
        // a loss within the tolerance passes; 1 turns the check off
        WindowMetrics close = window("c").ap(0.70).cardPrecision(Double.NaN).precision(0.56).recall(0.46)
                .atChampionPrecision(0.55).build();
        assertThat(ChallengerGate.defaults().judge(close, champion).passed()).isTrue();
        assertThat(RANKING_ONLY.judge(noisy, champion).passed()).isTrue();
        // a move along the trade-off is not a loss: a champion flagging nearly everything keeps nothing out
        WindowMetrics flagsAll = window("p").ap(0.44).rocAuc(0.79).cardPrecision(Double.NaN).threshold(0.01)
                .precision(0.06).recall(0.99).atChampionPrecision(0.99).build();
        WindowMetrics sharper = window("c").ap(0.52).rocAuc(0.83).cardPrecision(Double.NaN).precision(0.85).recall(0.37)
                .atChampionPrecision(0.99).build();
        assertThat(ChallengerGate.defaults().judge(sharper, flagsAll).passed()).isTrue();

        Path report = dir.resolve("report.json");
        ModelBundle model = ModelFixtures.bundle(3);
        RetrainDecision.Outcome o = RetrainDecision.decide(new Challenge(model, "evaluated-1", "a", "b", noisy,
                champion), ChallengerGate.defaults(), false, null, publisher, Map.of(), report);
        assertThat(o.decision()).isEqualTo(RetrainDecision.Decision.REFUSED);
        assertThat(sent).isEmpty();
        JsonNode r = report(report);
        assertThat(r.get("gate").get("max_f1_loss").asDouble()).isEqualTo(0.05);
        assertThat(r.get("gate").get("f1_change").asDouble()).isCloseTo(v.f1Change(), within(1e-12));
        assertThat(r.get("gate").get("passed").asBoolean()).isFalse();
        assertThat(r.get("challenger").get("f1").asDouble()).isCloseTo(0.3882, within(1e-4));
    }

    /** A model that flags nothing in the window has no precision, and F1 0: judged, not skipped as a NaN. */
    @Test
    void aModelThatFlagsNothingHasF1Zero() {
        WindowMetrics champion = window("p").cardPrecision(Double.NaN).build();
        WindowMetrics silent = window("c").ap(0.70).cardPrecision(Double.NaN).threshold(0.99).precision(Double.NaN)
                .recall(0.0).build();
        assertThat(silent.f1()).isZero();
        ChallengerGate.Verdict v = ChallengerGate.defaults().judge(silent, champion);
        assertThat(v.passed()).isFalse();
        assertThat(v.reason()).contains("F1 0.0000 (precision NaN, recall 0.0000) against 0.5455");
        // a champion that flags nothing: any challenger that catches a fraud operates better
        WindowMetrics silentChampion = window("p").cardPrecision(Double.NaN).threshold(0.99).precision(Double.NaN)
                .recall(0.0).atChampionPrecision(Double.NaN).build();
        assertThat(ChallengerGate.defaults().judge(champion, silentChampion).passed()).isTrue();
    }

    @Test
    void aChallengerAndAChampionMeasuredOnDifferentRowsCannotBeCompared() {
        ChallengerGate gate = ChallengerGate.defaults();
        WindowMetrics challenger = window("c").ap(0.7).build();
        WindowMetrics otherRows = window("p").rows(999).build();
        WindowMetrics otherFrauds = window("p").frauds(19).build();
        assertThatThrownBy(() -> gate.judge(challenger, otherRows))
                .hasMessage("the gate cannot be evaluated: challenger and champion were measured on different rows "
                        + "(1000 vs 999)");
        assertThatThrownBy(() -> gate.judge(challenger, otherFrauds)).hasMessageContaining("different rows");
        // the same rows compare: a paired gain
        assertThat(gate.judge(challenger, window("p").build()).gain())
                .isCloseTo(0.1, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void aWindowWithTooFewOfEitherClassCannotJudgeAModel() {
        ChallengerGate gate = ChallengerGate.defaults().withMinGain(-0.05);
        WindowMetrics reviewedAlerts = window("c").rows(85).frauds(84).ap(0.986).rocAuc(0.30).cardPrecision(Double.NaN)
                .threshold(0.02).precision(0.99).recall(1.0).atChampionPrecision(1.0).build();
        WindowMetrics champion = window("p").rows(85).frauds(84).ap(0.9997).rocAuc(0.99).cardPrecision(Double.NaN)
                .precision(1.0).recall(0.9).atChampionPrecision(0.9).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> gate.judge(reviewedAlerts, champion))
                .hasMessageStartingWith("the gate cannot be evaluated: the evaluation window (85 labelled events) holds "
                        + "84 frauds and 1 genuine payment");
        WindowMetrics fewFrauds = window("c").frauds(4).ap(0.5).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> gate.judge(fewFrauds, null))
                .hasMessageContaining("holds 4 frauds and 996 genuine payments");
    }

    /** Both models measured on the scores, with the bootstrap of the gain the retrain computes. */
    private static Challenge scored(double[] challenger, double[] champion, int[] y, double[] weights) {
        double threshold = 900; // a few dozen of the top scores flagged: the F1 check is not what is under test
        WindowMetrics championMetrics = WindowMetrics.ofChampion("champ", champion, y, weights, threshold, Double.NaN);
        WindowMetrics challengerMetrics = WindowMetrics.of("evaluated-1", challenger, y, weights, threshold,
                Double.NaN, championMetrics.precision());
        return new Challenge(ModelFixtures.bundle(3), "evaluated-1", "a", "b", challengerMetrics, championMetrics,
                ChallengerGate.bootstrap(challenger, champion, y, weights), null);
    }

    /**
     * 10 frauds among 1,000 payments: the challenger lets one genuine payment fewer outrank the second fraud and four
     * more the third. AP +0.0042, the point rule's pass, made of two frauds' fates; another week's rows could as well
     * have given a loss.
     */
    private static Challenge noisyGain() {
        return scored(ranked(new int[] {0, 1, 9, 10, 20, 40, 80, 160, 320, 640}, 990),
                ranked(new int[] {0, 2, 5, 10, 20, 40, 80, 160, 320, 640}, 990), labels(10, 990), null);
    }

    /** 200 frauds among 5,200 payments; the challenger lets half as many genuine payments outrank every fraud. */
    private static Challenge clearGain() {
        int[] champion = new int[200];
        int[] challenger = new int[200];
        for (int i = 0; i < 200; i++) {
            champion[i] = 20 * i;
            challenger[i] = 10 * i;
        }
        return scored(ranked(challenger, 5_000), ranked(champion, 5_000), labels(200, 5_000), null);
    }

    @Test
    void withGainConfidenceANoisyGainThatThePointRulePassesIsRefused() throws Exception {
        Challenge c = noisyGain();
        ChallengerGate.Verdict point = RANKING_ONLY.judge(c.challengerMetrics(), c.champion(),
                c.apGain());
        assertThat(point.passed()).isTrue();
        assertThat(point.gain()).isCloseTo(0.0041667, within(1e-6));
        // the interval spans a loss as well as a gain: the window cannot tell them apart
        assertThat(point.gainLow()).isLessThan(-0.02);
        assertThat(point.gainHigh()).isGreaterThan(0.02);
        assertThat(point.gainShare()).isBetween(0.45, 0.65);
        assertThat(point.reason()).contains(String.format(java.util.Locale.ROOT, "(gain +0.0042, 90%% interval "
                + "[%+.4f, %+.4f], ≥ min gain in %.1f%% of 1000 resamples)", point.gainLow(), point.gainHigh(),
                100 * point.gainShare()));

        Path report = dir.resolve("noisy.json");
        RetrainDecision.Outcome o = RetrainDecision.decide(c, CONFIDENT, false, null,
                publisher, Map.of(), report);
        assertThat(o.decision()).isEqualTo(RetrainDecision.Decision.REFUSED);
        assertThat(sent).isEmpty();
        assertThat(o.verdict().reason()).contains("< --gain-confidence 90.0%: a gain the window does not resolve");
        JsonNode gate = report(report).get("gate");
        assertThat(gate.get("gain").asDouble()).isEqualTo(point.gain());
        assertThat(gate.get("gain_p05").asDouble()).isEqualTo(point.gainLow());
        assertThat(gate.get("gain_p95").asDouble()).isEqualTo(point.gainHigh());
        assertThat(gate.get("share_at_least_min_gain").asDouble()).isEqualTo(point.gainShare());
        assertThat(gate.get("gain_confidence").asDouble()).isEqualTo(0.9);
        assertThat(gate.get("bootstrap_replicates").asInt()).isEqualTo(ChallengerGate.BOOTSTRAP_REPLICATES);
        assertThat(gate.get("passed").asBoolean()).isFalse();

        // the models the other way round: a loss, which the point rule refuses already
        Challenge loss = scored(ranked(new int[] {0, 2, 5, 10, 20, 40, 80, 160, 320, 640}, 990),
                ranked(new int[] {0, 1, 9, 10, 20, 40, 80, 160, 320, 640}, 990), labels(10, 990), null);
        ChallengerGate.Verdict refused = CONFIDENT.judge(loss.challengerMetrics(),
                loss.champion(), loss.apGain());
        assertThat(refused.passed()).isFalse();
        assertThat(refused.gain()).isCloseTo(-0.0041667, within(1e-6));
        assertThat(refused.reason()).contains(" < champion AP ").contains("< --gain-confidence 90.0%);")
                .doesNotContain("does not resolve");
    }

    @Test
    void withGainConfidenceAClearGainIsPublished() throws Exception {
        Challenge c = clearGain();
        RetrainDecision.Outcome o = RetrainDecision.decide(c, CONFIDENT.withMinGain(0.01), false, null,
                publisher, Map.of(), null);
        assertThat(o.decision()).isEqualTo(RetrainDecision.Decision.PUBLISHED);
        ChallengerGate.Verdict v = o.verdict();
        assertThat(v.gain()).isCloseTo(0.0441, within(1e-4));
        assertThat(v.gainLow()).isGreaterThan(0.03);
        assertThat(v.gainShare()).isEqualTo(1.0);
        assertThat(v.reason()).contains("≥ min gain in 100.0% of 1000 resamples, ≥ --gain-confidence 90.0%)");
        // a min gain just under the point gain: the point rule passes, but only about half the resamples reach it
        ChallengerGate.Verdict demanding = CONFIDENT.withMinGain(0.044).judge(c.challengerMetrics(),
                c.champion(), c.apGain());
        assertThat(demanding.passed()).isFalse();
        assertThat(demanding.reason()).contains(" ≥ champion AP ", "< --gain-confidence 90.0%");
        assertThat(demanding.gainShare()).isBetween(0.3, 0.7);
    }

    /** Identical models: the gain is 0 in every resample, so "not worse" holds in all of them. */
    @Test
    void anIdenticalChallengerHasAZeroIntervalAndPassesNotWorseWithAnyConfidence() {
        double[] s = ranked(new int[] {0, 2, 5, 10, 20, 40, 80, 160, 320, 640}, 990);
        Challenge c = scored(s, s.clone(), labels(10, 990), null);
        ChallengerGate.Verdict v = ChallengerGate.defaults().withGainConfidence(0.99).judge(c.challengerMetrics(),
                c.champion(), c.apGain());
        assertThat(v.passed()).isTrue();
        assertThat(v.gainLow()).isZero();
        assertThat(v.gainHigh()).isZero();
        assertThat(v.gainShare()).isEqualTo(1.0);
    }

    @Test
    void gainConfidenceOutsideZeroToOneIsRefusedAndNeedsTheBootstrap() {
        for (double bad : new double[] {1, -0.1, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> ChallengerGate.defaults().withGainConfidence(bad))
                    .hasMessage("--gain-confidence must be a probability in [0, 1) (0 turns the check off), got "
                            + bad);
        }
        Challenge c = noisyGain();
        assertThatThrownBy(() -> CONFIDENT.judge(c.challengerMetrics(), c.champion()))
                .hasMessageContaining("--gain-confidence needs the bootstrap of the gain");
        // without it, the default gate judges as before and reports no interval
        ChallengerGate.Verdict v = RANKING_ONLY.judge(c.challengerMetrics(), c.champion());
        assertThat(v.passed()).isTrue();
        assertThat(v.gainLow()).isNaN();
        assertThat(v.toMap(RANKING_ONLY)).containsEntry("gain_p05", null)
                .containsEntry("bootstrap_replicates", null);
        // a bootstrap of the models the other way round is not this challenge's
        Challenge swapped = clearGain();
        assertThatThrownBy(() -> RANKING_ONLY.judge(swapped.challengerMetrics(), swapped.champion(),
                c.apGain())).hasMessageContaining("the bootstrap's gain +0.004167 is not the window's +0.044");
    }

    /** --negative-weight: the bootstrap weighs the rows as the window's AP does, or the gate refuses to judge. */
    @Test
    void theBootstrapWeighsTheRowsAsTheWindowsMetrics() {
        int[] y = labels(200, 5_000);
        double[] w = new double[y.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = y[i] == 1 ? 1 : 20;
        }
        int[] champion = new int[200];
        int[] challenger = new int[200];
        for (int i = 0; i < 200; i++) {
            champion[i] = 20 * i;
            challenger[i] = 10 * i;
        }
        Challenge weighted = scored(ranked(challenger, 5_000), ranked(champion, 5_000), y, w);
        ChallengerGate gate = CONFIDENT;
        ChallengerGate.Verdict v = gate.judge(weighted.challengerMetrics(), weighted.champion(), weighted.apGain());
        assertThat(v.gain()).isCloseTo(weighted.apGain().gain(), within(0.0))
                .isNotCloseTo(clearGain().apGain().gain(), within(0.001));
        assertThat(v.gainLow()).isLessThan(v.gain()).isPositive();
        ApGainBootstrap unweighted = ChallengerGate.bootstrap(ranked(challenger, 5_000), ranked(champion, 5_000), y,
                null);
        assertThatThrownBy(() -> gate.judge(weighted.challengerMetrics(), weighted.champion(), unweighted))
                .hasMessageContaining("is not the window's");
    }

    /**
     * --max-flag-rate-change, the alert budget: a challenger that ranks better and keeps F1 but flags 2.5 times as many
     * payments is refused, and so is one flagging a third as many; one within the factor passes; off by default.
     */
    @Test
    void aChallengerBeyondTheAlertBudgetIsRefusedEitherWay() throws Exception {
        WindowMetrics champion = window("p").cardPrecision(Double.NaN).build();
        WindowMetrics loud = window("c").ap(0.70).cardPrecision(Double.NaN).threshold(0.4).recall(0.55)
                .atChampionPrecision(0.55).flagRate(0.05).build();
        ChallengerGate budget = ChallengerGate.defaults().withMaxFlagRateChange(2);
        ChallengerGate.Verdict v = budget.judge(loud, champion);
        assertThat(v.passed()).isFalse();
        assertThat(v.flagRateChange()).isCloseTo(2.5, within(1e-12));
        assertThat(v.reason()).endsWith("; flags 5.00% of the window against 2.00%: ×2.50, beyond "
                + "--max-flag-rate-change 2.00");
        assertThat(ChallengerGate.defaults().judge(loud, champion).passed()).isTrue();
        assertThat(ChallengerGate.defaults().judge(loud, champion).reason()).doesNotContain("flags");
        WindowMetrics quiet = window("c").ap(0.70).cardPrecision(Double.NaN).threshold(0.6).recall(0.55)
                .atChampionPrecision(0.55).flagRate(0.006).build();
        assertThat(budget.judge(quiet, champion).passed()).isFalse();
        WindowMetrics within = window("c").ap(0.70).cardPrecision(Double.NaN).recall(0.55).atChampionPrecision(0.55)
                .flagRate(0.039).build();
        assertThat(budget.judge(within, champion).passed()).isTrue();
        assertThat(budget.judge(within, champion).reason()).contains("×1.95, within --max-flag-rate-change 2.00");
        // a champion that flags nothing on the window: any alert is beyond every budget, none is within it
        WindowMetrics silent = window("p").cardPrecision(Double.NaN).threshold(0.99).precision(0).recall(0).flagRate(0)
                .build();
        assertThat(budget.judge(loud, silent).flagRateChange()).isInfinite();
        assertThat(budget.judge(loud, silent).passed()).isFalse();

        Path report = dir.resolve("budget.json");
        RetrainDecision.Outcome o = RetrainDecision.decide(new Challenge(ModelFixtures.bundle(3), "evaluated-1", "a",
                "b", loud, champion), budget, false, null, publisher, Map.of(), report);
        assertThat(o.decision()).isEqualTo(RetrainDecision.Decision.REFUSED);
        assertThat(sent).isEmpty();
        JsonNode r = report(report);
        assertThat(r.get("gate").get("max_flag_rate_change").asDouble()).isEqualTo(2.0);
        assertThat(r.get("gate").get("flag_rate_change").asDouble()).isCloseTo(2.5, within(1e-12));
        assertThat(r.get("challenger").get("flag_rate").asDouble()).isEqualTo(0.05);
        assertThat(r.get("champion").get("flag_rate").asDouble()).isEqualTo(0.02);
    }

    @Test
    void anAlertBudgetBelowOneIsRefusedAndNeedsBothFlagRates() {
        for (double bad : new double[] {0.5, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> ChallengerGate.defaults().withMaxFlagRateChange(bad))
                    .hasMessage("--max-flag-rate-change must be a factor of at least 1 (e.g. 1.5; 0 turns the check "
                            + "off), got " + bad);
        }
        WindowMetrics unmeasured = window("p").flagRate(Double.NaN).build();
        assertThatThrownBy(() -> ChallengerGate.defaults().withMaxFlagRateChange(1.5).judge(metrics("c", 0.7),
                unmeasured)).hasMessageContaining("--max-flag-rate-change needs both models' flag rates");
    }

    /** The flag rate is the share of the window flagged at the model's threshold, at the real prevalence. */
    @Test
    void theFlagRateIsTheShareFlaggedAtTheThresholdWithTheRowWeights() {
        double[] p = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
        int[] y = {1, 0, 1, 1, 0, 1};
        assertThat(WindowMetrics.of("c", p, y, 0.65, Double.NaN, Double.NaN).flagRate()).isEqualTo(0.5);
        double[] w = {1, 3, 1, 1, 3, 1}; // each genuine row stands for 3
        assertThat(WindowMetrics.of("c", p, y, w, 0.65, Double.NaN, Double.NaN).flagRate()).isEqualTo(0.5);
        assertThat(WindowMetrics.of("c", p, y, w, 0.85, Double.NaN, Double.NaN).flagRate()).isEqualTo(0.1);
        assertThat(WindowMetrics.of("c", p, y, w, 0.95, Double.NaN, Double.NaN).toMap()).containsEntry("flag_rate",
                0.0);
    }
}
