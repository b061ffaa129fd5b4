package org.fraudscorer.scorer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.fraudscorer.common.model.ModelBundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the alert rules beside {@code docker-compose.yml} query only metrics the scorer exports:
 * every metric name (and every {@code label="value"} matcher) in their PromQL is checked against the Prometheus
 * scrape of a {@link ScorerMetrics} that serves a monitored model and has seen events, dead letters and labels. The
 * few series a running scorer adds beside {@link ScorerMetrics} (the Streams client's) are checked against a real
 * scorer by {@code RawEventIT}.
 */
class MonitoringFilesTest {
    /** Registered by {@code ScorerApp} beside ScorerMetrics, or made by Prometheus itself ({@code up}). */
    static final Set<String> OUTSIDE_SCORER_METRICS = Set.of("fraud_streams_running", "fraud_model_watcher_up",
            "fraud_broker_reachable",
            "kafka_consumer_fetch_manager_records_lag_max", "up");

    private static String scrape;

    @BeforeAll
    static void scrapeAScorerThatHasSeenEverything() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ScorerMetrics metrics = new ScorerMetrics(prometheus, new ModelMonitoring.Windows(10, 1, 10, 10));
        ModelBundle model = ModelMonitoringTest.raw("raw-1");
        model = new ModelBundle(model.modelVersion(), model.createdAt(), model.schema(), model.preprocessing(),
                model.members(), model.threshold(), model.seed(),
                Map.of("validation", Map.of("precision", 0.8, "recall", 0.7)), model.hyperparameters(),
                model.provenance(), ModelMonitoringTest.ranged(model.monitoring(), -2, 2), null).sealed();
        metrics.serving(model);
        double[] x = new double[model.schema().inputCount()];
        metrics.flagged();
        metrics.clean();
        metrics.backfilled();
        metrics.deadLetter("parse_error");
        metrics.scored(10_000, 0.9, System.currentTimeMillis() - 5, System.currentTimeMillis());
        metrics.monitoring().scored(model, x, 0.9, true);
        metrics.monitoring().decided(1, true);
        metrics.monitoring().labelled(1, true);
        metrics.monitoring().labelled(2, true);
        metrics.label(true);
        metrics.swapped(model, model);
        metrics.refused("test", "test");
        scrape = prometheus.scrape();
    }

    @Test
    void everyMetricTheDashboardQueriesIsExported() throws Exception {
        List<String> exprs = MonitoringFiles.dashboardExpressions();
        assertThat(exprs).hasSizeGreaterThanOrEqualTo(15);
        assertExported(exprs);
    }

    @Test
    void everyMetricTheAlertRulesQueryIsExported() throws Exception {
        List<String> exprs = MonitoringFiles.alertExpressions();
        assertThat(exprs).hasSizeGreaterThanOrEqualTo(8);
        assertExported(exprs);
    }

    private static void assertExported(List<String> exprs) {
        Set<String> exported = MonitoringFiles.scrapedNames(scrape);
        Set<String> queried = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        for (String e : exprs) {
            assertThat(e).as("a PromQL expression").isNotBlank();
            for (String name : MonitoringFiles.metricNames(e)) {
                queried.add(name);
                if (!exported.contains(name) && !OUTSIDE_SCORER_METRICS.contains(name)) {
                    missing.add(name + " in " + e);
                }
            }
            MonitoringFiles.equalityMatchers(e).forEach((name, matchers) -> {
                for (String[] m : matchers) {
                    if (!OUTSIDE_SCORER_METRICS.contains(name)
                            && !MonitoringFiles.scrapedSeries(scrape, name, m[0], m[1])) {
                        missing.add(name + "{" + m[0] + "=\"" + m[1] + "\"} in " + e);
                    }
                }
            });
        }
        assertThat(missing).as("queried but not exported (exported: %s)", exported).isEmpty();
        assertThat(queried).as("the monitoring gauges are queried").contains("fraud_monitor_score_psi",
                "fraud_monitor_psi", "fraud_monitor_flag_rate", "fraud_monitor_reference_flag_rate",
                "fraud_monitor_precision", "fraud_monitor_recall", "fraud_monitor_beyond_training");
    }

    /**
     * The no-events-scored page counts every scored outcome ({@link ScorerMetrics.Outcome#scoredTags()}): an outcome
     * added to the scorer and left out of its matcher would page while that outcome is all there is. The outcomes'
     * one HELP line names them all, and the flag rate is flagged over the scored outcomes.
     */
    @Test
    void theNoEventsScoredPageAndTheFlagRateCountEveryScoredOutcome() throws Exception {
        String expr = null;
        for (JsonNode group : MonitoringFiles.yaml("alerts.yml").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.path("alert").asText().equals("FraudNoEventsScored")) {
                    expr = rule.path("expr").asText();
                }
            }
        }
        java.util.regex.Matcher m = Pattern.compile("fraud_events_total\\{outcome=~\"([^\"]*)\"}").matcher(expr);
        assertThat(m.find()).as(expr).isTrue();
        assertThat(m.group(1).split("\\|")).containsExactlyInAnyOrderElementsOf(ScorerMetrics.Outcome.scoredTags());
        assertThat(scrape.lines().filter(l -> l.startsWith("# HELP fraud_events_total "))).containsExactly(
                "# HELP fraud_events_total input records by outcome: flagged, clean, dead_letter, backfilled "
                        + "(history, not scored)");
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        ScorerMetrics metrics = new ScorerMetrics(r);
        metrics.flagged();
        metrics.clean();
        metrics.clean();
        metrics.clean();
        metrics.deadLetter("parse_error");
        metrics.backfilled();
        assertThat(r.get("fraud.flag.rate").gauge().value()).isEqualTo(0.25);
        for (ScorerMetrics.Outcome o : ScorerMetrics.Outcome.values()) {
            assertThat(r.get("fraud.events").tag("outcome", o.tag()).counter().count()).as(o.tag())
                    .isEqualTo(o == ScorerMetrics.Outcome.CLEAN ? 3 : 1);
        }
    }

    /** One HELP line per metric name: the challenger changes' said "challengers removed" for both (ops hunt). */
    @Test
    void theChallengerChangesHelpDescribesBothChanges() {
        assertThat(scrape.lines().filter(l -> l.startsWith("# HELP fraud_shadow_challenger_changes_total")))
                .containsExactly("# HELP fraud_shadow_challenger_changes_total challengers taken on "
                        + "(change=published) or removed (change=demoted)");
    }

    /**
     * The precision and recall pages, evaluated on the gauges of the default labelled window as Prometheus would
     * (the rule's factor and every {@code and on(...) NAME >= N} guard read from alerts.yml), for a model as good live
     * as on its validation rows at the handbook's fraud rate: no page. Then its precision halves: a page. A weekly
     * operations run found the gauges under the page line in 12 % of the windows (1,000 labelled events, about 8
     * frauds and 7 alerts, guarded only by "200 labelled events").
     */
    @Test
    void thePrecisionAndRecallPagesStayQuietForAModelAsGoodAsItsValidation() throws Exception {
        Map<String, String> rules = new java.util.HashMap<>();
        for (JsonNode group : MonitoringFiles.yaml("alerts.yml").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                rules.put(rule.path("alert").asText(), rule.path("expr").asText());
            }
        }
        io.micrometer.core.instrument.MeterRegistry r = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        ModelMonitoring mon = new ModelMonitoring(r, ModelMonitoring.Windows.DEFAULT); // the scorer's default
        double precision = 0.9;
        double recall = 0.7;
        ModelBundle m = ModelMonitoringTest.raw("raw-1");
        mon.serving(new ModelBundle(m.modelVersion(), m.createdAt(), m.schema(), m.preprocessing(), m.members(),
                m.threshold(), m.seed(), Map.of("validation", Map.of("precision", precision, "recall", recall)),
                m.hyperparameters(), m.provenance(), m.monitoring(), null).sealed());
        double fraudRate = 12_484.0 / 1_504_628; // the handbook's
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        int[] pages = new int[2]; // precision, recall
        int checks = 0;
        int dropChecks = 0;
        int dropPages = 0;
        for (long id = 0; id < 400_000; id++) {
            double live = id < 300_000 ? precision : precision / 2; // then the alerts turn half false
            boolean fraud = random.nextDouble() < fraudRate;
            double falseAlarm = recall * fraudRate * (1 - live) / live / (1 - fraudRate);
            mon.decided(id, fraud ? random.nextDouble() < recall : random.nextDouble() < falseAlarm);
            mon.labelled(id, fraud);
            if (id % 500 == 0 && id >= ModelMonitoring.Windows.DEFAULT.labelled()) {
                boolean dropped = id >= 300_000 + ModelMonitoring.Windows.DEFAULT.labelled();
                if (id < 300_000) {
                    checks++;
                    pages[0] += pages(rules.get("FraudPrecisionDrop"), "precision", r) ? 1 : 0;
                    pages[1] += pages(rules.get("FraudRecallDrop"), "recall", r) ? 1 : 0;
                } else if (dropped) {
                    dropChecks++;
                    dropPages += pages(rules.get("FraudPrecisionDrop"), "precision", r) ? 1 : 0;
                }
            }
        }
        assertThat(checks).isGreaterThan(500);
        assertThat(pages).as("windows of %d under a page line with the model as good as it validated",
                checks).containsExactly(0, 0);
        assertThat(dropChecks).isGreaterThan(100);
        assertThat(dropPages).as("windows of %d paging once precision halved", dropChecks).isEqualTo(dropChecks);
    }

    /** Whether a precision/recall rule's condition holds on the gauges of {@code r}. */
    private static boolean pages(String expr, String what, io.micrometer.core.instrument.MeterRegistry r) {
        java.util.regex.Matcher line = java.util.regex.Pattern.compile("fraud_monitor_" + what
                + " < on\\([^)]*\\) group_left ([0-9.]+) \\* fraud_monitor_reference_" + what).matcher(expr);
        assertThat(line.find()).as(expr).isTrue();
        double reference = r.get("fraud.monitor.reference." + what).gauge().value();
        if (!(r.get("fraud.monitor." + what).gauge().value() < Double.parseDouble(line.group(1)) * reference)) {
            return false;
        }
        java.util.regex.Matcher guard = java.util.regex.Pattern.compile(
                "and on\\([^)]*\\) (fraud_[a-z_]+) >= ([0-9.]+)").matcher(expr);
        int guards = 0;
        while (guard.find()) {
            guards++;
            if (!(r.get(guard.group(1).replace('_', '.')).gauge().value() >= Double.parseDouble(guard.group(2)))) {
                return false;
            }
        }
        assertThat(guards).as("a guard in " + expr).isPositive();
        return true;
    }

    @Test
    void theMetricNameReaderFindsNamesNotFunctionsOrLabels() {
        assertThat(MonitoringFiles.metricNames("histogram_quantile(0.99, sum by (le) "
                + "(rate(fraud_scoring_time_seconds_bucket{job=\"x\"}[5m])))"))
                .containsExactly("fraud_scoring_time_seconds_bucket");
        assertThat(MonitoringFiles.metricNames("a_total < on(instance, job) group_left 0.8 * b and on(instance) c >= 2"))
                .containsExactly("a_total", "b", "c");
        assertThat(MonitoringFiles.scrapedSeries(scrape, "fraud_events_total", "outcome", "dead_letter")).isTrue();
        assertThat(MonitoringFiles.scrapedSeries(scrape, "fraud_events_total", "outcome", "no_such")).isFalse();
    }

    @Test
    void theDashboardIsAGrafanaDashboardOnTheProvisionedDataSource() throws Exception {
        JsonNode d = MonitoringFiles.dashboard();
        assertThat(d.path("uid").asText()).isNotBlank();
        assertThat(d.path("title").asText()).isNotBlank();
        String source = MonitoringFiles.yaml("grafana/datasource.yml").path("datasources").get(0).path("uid").asText();
        int withTargets = 0;
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : d.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
            assertThat(panel.path("gridPos").path("w").asInt()).isBetween(1, 24);
            if (panel.path("targets").size() > 0) {
                withTargets++;
                assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText())
                        .isEqualTo(source);
            }
        }
        assertThat(withTargets).isGreaterThanOrEqualTo(10);
    }

    @Test
    void theAlertRulesAreWellFormedAndPrometheusScrapesTheScorerPort() throws Exception {
        for (JsonNode group : MonitoringFiles.yaml("alerts.yml").path("groups")) {
            assertThat(group.path("name").asText()).isNotBlank();
            for (JsonNode rule : group.path("rules")) {
                assertThat(rule.path("alert").asText()).as("alert name").matches("[A-Z][A-Za-z]+");
                assertThat(rule.path("labels").path("severity").asText()).isIn("page", "ticket");
                assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
                if (rule.has("for")) {
                    assertThat(rule.path("for").asText()).matches("\\d+[smh]");
                }
            }
        }
        JsonNode prometheus = MonitoringFiles.yaml("prometheus.yml");
        assertThat(prometheus.path("rule_files").get(0).asText()).endsWith("alerts.yml");
        JsonNode job = prometheus.path("scrape_configs").get(0);
        assertThat(job.path("metrics_path").asText()).isEqualTo("/metrics");
        assertThat(job.path("static_configs").get(0).path("targets").get(0).asText()).endsWith(":9464");
    }
}
