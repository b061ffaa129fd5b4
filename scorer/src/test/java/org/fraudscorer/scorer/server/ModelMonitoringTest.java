package org.fraudscorer.scorer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.Preprocessing;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.common.model.MonitoringReference;
import org.fraudscorer.common.model.ThresholdInfo;
import org.fraudscorer.common.nn.Activation;
import org.fraudscorer.common.nn.MLP;
import org.fraudscorer.common.testing.AllocationMeter;
import org.junit.jupiter.api.Test;

class ModelMonitoringTest {
    /** Every feature and the score: edges −1, 0, 1 (score 0.25, 0.5, 0.75), a quarter of the reference rows each. */
    static MonitoringReference quarters(FeatureSchema s) {
        double[] q = {0.25, 0.25, 0.25, 0.25};
        List<MonitoringReference.Bins> features = new ArrayList<>();
        for (String name : s.featureNames()) {
            features.add(new MonitoringReference.Bins(name, new double[] {-1, 0, 1}, q));
        }
        return new MonitoringReference(features, new MonitoringReference.Bins("score",
                new double[] {0.25, 0.5, 0.75}, q), 0.02, 1000, "made-up rows");
    }

    /** {@code q} with every feature's range [lo, hi]. */
    static MonitoringReference ranged(MonitoringReference q, double lo, double hi) {
        List<MonitoringReference.Range> ranges = new ArrayList<>();
        for (int i = 0; i < q.features().size(); i++) {
            ranges.add(new MonitoringReference.Range(lo, hi));
        }
        return new MonitoringReference(q.features(), q.score(), q.flagRate(), q.rows(), q.rowsDescription(), ranges);
    }

    static ModelBundle creditcard(String version) {
        ModelBundle b = ModelFixtures.bundle(3);
        return new ModelBundle(version, b.createdAt(), b.schema(), b.preprocessing(), b.members(), b.threshold(),
                b.seed(), b.metrics(), b.hyperparameters(), b.provenance(), quarters(b.schema()), null).sealed();
    }

    static ModelBundle raw(String version) {
        FeatureSchema s = FeatureSchema.HANDBOOK_V1;
        double[] ones = new double[s.featureCount()];
        Arrays.fill(ones, 1);
        MLP net = MLP.build(new int[] {s.featureCount(), 4, 1}, Activation.RELU, 0, 1);
        return new ModelBundle(version, Instant.EPOCH, s, new Preprocessing(s, new double[s.featureCount()], ones),
                List.of(net), new ThresholdInfo(0.5, "test"), 1, Map.of(), Map.of(),
                Map.of(ModelBundle.LABEL_DELAY_KEY, 7), quarters(s), null).sealed();
    }

    /** An input vector whose every value lies in bin {@code bin} of the quarters (−1.5, −0.5, 0.5, 1.5). */
    static double[] inBin(ModelBundle m, int bin) {
        double[] x = new double[m.schema().inputCount()];
        Arrays.fill(x, bin - 1.5);
        return x;
    }

    /** Feeds events over the four bins in the given counts, features and score alike; bin 3 is flagged. */
    static void feed(ModelMonitoring mon, ModelBundle m, int... perBin) {
        double[] scores = {0.1, 0.3, 0.6, 0.9};
        for (int b = 0; b < 4; b++) {
            double[] x = inBin(m, b);
            for (int i = 0; i < perBin[b]; i++) {
                mon.scored(m, x, scores[b], b == 3);
            }
        }
    }

    static double gauge(MeterRegistry r, String name, String version) {
        return r.get(name).tag("model_version", version).gauge().value();
    }

    static double psi(MeterRegistry r, String feature, String version) {
        return r.get("fraud.monitor.psi").tag("feature", feature).tag("model_version", version).gauge().value();
    }

    @Test
    void shouldReportTheHandComputedPsiOfAKnownDistribution() {
        MeterRegistry r = new SimpleMeterRegistry();
        ModelMonitoring mon = new ModelMonitoring(r, new ModelMonitoring.Windows(100, 50, 10, 10));
        ModelBundle m = creditcard("v1");
        String last = m.schema().featureNames().get(m.schema().featureCount() - 1);
        mon.serving(m);
        assertThat(psi(r, "V1", "v1")).as("an empty window").isNaN();
        feed(mon, m, 10, 10, 10, 10);
        assertThat(psi(r, "V1", "v1")).as("40 events, under the 50 minimum").isNaN();
        feed(mon, m, 15, 15, 15, 15);
        assertThat(psi(r, "V1", "v1")).as("the training distribution itself").isZero();
        assertThat(gauge(r, "fraud.monitor.score.psi", "v1")).isZero();
        assertThat(gauge(r, "fraud.monitor.flag.rate", "v1")).isEqualTo(0.25);
        assertThat(gauge(r, "fraud.monitor.reference.flag.rate", "v1")).isEqualTo(0.02);

        feed(mon, m, 10, 20, 30, 40); // a full window of 100: every earlier event slides out
        // Σ (a − e) ln(a / e) over shares 0.1, 0.2, 0.3, 0.4 against 0.25 each
        double byHand = -0.15 * Math.log(0.4) - 0.05 * Math.log(0.8) + 0.05 * Math.log(1.2) + 0.15 * Math.log(1.6);
        assertThat(psi(r, "V1", "v1")).isCloseTo(byHand, within(1e-12)).isCloseTo(0.2282, within(1e-4));
        assertThat(psi(r, last, "v1")).isCloseTo(byHand, within(1e-12));
        assertThat(gauge(r, "fraud.monitor.score.psi", "v1")).isCloseTo(byHand, within(1e-12));
        assertThat(gauge(r, "fraud.monitor.window.events", "v1")).isEqualTo(100);
        assertThat(gauge(r, "fraud.monitor.flag.rate", "v1")).isEqualTo(0.4);

        feed(mon, m, 5, 5, 20, 70); // a major shift
        double major = 2 * (0.05 - 0.25) * Math.log(0.2) + (0.2 - 0.25) * Math.log(0.8) + (0.7 - 0.25) * Math.log(2.8);
        assertThat(gauge(r, "fraud.monitor.score.psi", "v1")).isCloseTo(major, within(1e-12)).isGreaterThan(0.25);
        assertThat(psi(r, "V7", "v1")).isCloseTo(major, within(1e-12));
    }

    /**
     * The share of the window's events whose feature lies outside its range on the reference rows (a helper session
     * found a model flagging $10k and not $100k, beyond every training amount, with nothing to tell).
     */
    @Test
    void shouldReportTheShareOfEventsBeyondTheTrainingRange() {
        MeterRegistry r = new SimpleMeterRegistry();
        ModelMonitoring mon = new ModelMonitoring(r, new ModelMonitoring.Windows(10, 1, 10, 10));
        ModelBundle b = creditcard("plain");
        ModelBundle m = new ModelBundle("ranged", b.createdAt(), b.schema(), b.preprocessing(), b.members(),
                b.threshold(), b.seed(), b.metrics(), b.hyperparameters(), b.provenance(),
                ranged(b.monitoring(), -2, 2), null).sealed();
        mon.serving(m);
        String amount = "log1p(Amount)"; // the feature of the Amount input, binned and ranged on its source value
        java.util.function.Supplier<Double> share = () -> r.get("fraud.monitor.beyond.training")
                .tag("feature", amount).tag("model_version", "ranged").gauge().value();
        assertThat(share.get()).as("an empty window").isNaN();
        feed(mon, m, 2, 2, 2, 2); // values -1.5 .. 1.5: within [-2, 2]
        assertThat(share.get()).isZero();
        double[] far = inBin(m, 3);
        far[m.schema().inputIndex("Amount")] = 1e6; // one feature far beyond: only its gauge moves
        mon.scored(m, far, 0.9, true);
        mon.scored(m, far, 0.9, true);
        assertThat(share.get()).isEqualTo(0.2); // 2 of the 10 in the window
        assertThat(r.get("fraud.monitor.beyond.training").tag("feature", "V1").tag("model_version", "ranged").gauge()
                .value()).isZero();
        assertThat(psi(r, amount, "ranged")).as("its bin is counted as before").isFinite();
        feed(mon, m, 3, 3, 2, 2); // the two slide out of the window
        assertThat(share.get()).isZero();
        // a model file without ranges registers no such gauge
        mon.serving(creditcard("v1"));
        assertThat(r.find("fraud.monitor.beyond.training").tag("model_version", "v1").gauge()).isNull();
    }

    @Test
    void shouldMoveTheGaugesToTheNewModelOnASwap() {
        MeterRegistry r = new SimpleMeterRegistry();
        ModelMonitoring mon = new ModelMonitoring(r, new ModelMonitoring.Windows(40, 40, 10, 10));
        ModelBundle v1 = creditcard("v1");
        ModelBundle v2 = creditcard("v2");
        mon.serving(v1);
        feed(mon, v1, 10, 10, 10, 10);
        assertThat(gauge(r, "fraud.monitor.score.psi", "v1")).isZero();
        mon.serving(v2);
        assertThat(r.find("fraud.monitor.score.psi").tag("model_version", "v1").gauge()).as("old version gone")
                .isNull();
        assertThat(r.find("fraud.monitor.psi").tag("model_version", "v1").gauges()).isEmpty();
        assertThat(r.find("fraud.monitor.psi").tag("model_version", "v2").gauges())
                .hasSize(v2.schema().featureCount());
        assertThat(gauge(r, "fraud.monitor.score.psi", "v2")).as("a new, empty window").isNaN();
        feed(mon, v1, 40, 0, 0, 0); // still scored by the old model during the swap: left out
        assertThat(gauge(r, "fraud.monitor.window.events", "v2")).isZero();
        feed(mon, v2, 10, 10, 10, 10);
        assertThat(gauge(r, "fraud.monitor.score.psi", "v2")).isZero();
    }

    @Test
    void shouldLeaveOutDriftForAModelFileWithoutAReference() {
        MeterRegistry r = new SimpleMeterRegistry();
        ModelMonitoring mon = new ModelMonitoring(r, new ModelMonitoring.Windows(10, 1, 10, 10));
        ModelBundle old = ModelFixtures.bundle(3).sealed();
        mon.serving(old);
        mon.scored(old, new double[old.schema().inputCount()], 0.9, true);
        assertThat(r.find("fraud.monitor.psi").gauges()).isEmpty();
        assertThat(r.find("fraud.monitor.score.psi").gauges()).isEmpty();
        assertThat(gauge(r, "fraud.monitor.flag.rate", old.modelVersion())).isEqualTo(1.0);
    }

    @Test
    void shouldComputePrecisionAndRecallExactlyOverTheLabelledWindow() {
        MeterRegistry r = new SimpleMeterRegistry();
        ModelMonitoring mon = new ModelMonitoring(r, new ModelMonitoring.Windows(10, 1, 7, 100));
        mon.serving(raw("raw-1"));
        for (long id = 1; id <= 10; id++) {
            mon.decided(id, id <= 4); // 1..4 flagged
        }
        assertThat(r.get("fraud.monitor.precision").gauge().value()).isNaN();
        boolean[] fraud = {true, true, false, true, true, true, false}; // labels of 1..7
        for (int i = 0; i < fraud.length; i++) {
            mon.labelled(i + 1, fraud[i]);
        }
        mon.labelled(99, true); // never decided
        // TP = 1, 2, 4; FP = 3; FN = 5, 6; TN = 7
        assertThat(r.get("fraud.monitor.precision").gauge().value()).isEqualTo(3.0 / 4);
        assertThat(r.get("fraud.monitor.recall").gauge().value()).isEqualTo(3.0 / 5);
        assertThat(r.get("fraud.monitor.labelled.events").gauge().value()).isEqualTo(7);
        assertThat(r.get("fraud.monitor.labelled.flagged").gauge().value()).isEqualTo(4); // the alert rules' guards
        assertThat(r.get("fraud.monitor.labelled.frauds").gauge().value()).isEqualTo(5);
        assertThat(r.get("fraud.monitor.labels").tag("decision", "unknown").counter().count()).isEqualTo(1);
        assertThat(r.get("fraud.monitor.labels").tag("decision", "known").counter().count()).isEqualTo(7);
        mon.labelled(1, false); // a second label for 1: its decision was used and forgotten
        assertThat(r.get("fraud.monitor.labels").tag("decision", "unknown").counter().count()).isEqualTo(2);
        mon.labelled(8, true);
        mon.labelled(9, true); // the window of 7 slides: 1 and 2 (TP) leave, 8 and 9 (FN) come
        assertThat(r.get("fraud.monitor.precision").gauge().value()).isEqualTo(1.0 / 2);
        assertThat(r.get("fraud.monitor.recall").gauge().value()).isEqualTo(1.0 / 5);
        mon.serving(raw("raw-2"));
        assertThat(r.get("fraud.monitor.recall").gauge().value()).as("labels outlive a swap").isEqualTo(1.0 / 5);
        mon.labelled(10, false);
        assertThat(r.get("fraud.monitor.labelled.events").gauge().value()).isEqualTo(7);
        assertThat(r.get("fraud.monitor.labels").tag("decision", "known").counter().count())
                .as("decisions outlive a swap: 10's decision, made before it, is still known").isEqualTo(10);
        assertThat(r.get("fraud.monitor.labels").tag("decision", "unknown").counter().count()).isEqualTo(2);
    }

    @Test
    void shouldNotRememberDecisionsForAFamilyWithoutLabels() {
        MeterRegistry r = new SimpleMeterRegistry();
        ModelMonitoring mon = new ModelMonitoring(r, new ModelMonitoring.Windows(10, 1, 10, 10));
        mon.serving(creditcard("v1"));
        mon.decided(1, true);
        mon.labelled(1, true);
        assertThat(r.get("fraud.monitor.labels").tag("decision", "unknown").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldMonitorARecordWithoutAllocating() {
        ModelMonitoring mon = new ModelMonitoring(new SimpleMeterRegistry(),
                new ModelMonitoring.Windows(1000, 1, 100, 1000));
        ModelBundle m = raw("raw-1");
        mon.serving(m);
        double[][] events = new double[64][];
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < events.length; i++) {
            events[i] = inBin(m, rng.nextInt(4));
        }
        long[] id = {0};
        AllocationMeter.Measurement a = new AllocationMeter().measure(20_000, Duration.ofMinutes(2), 0, calls -> {
            for (int i = 0; i < calls; i++) {
                long t = id[0]++;
                mon.scored(m, events[i & 63], (i & 63) / 64.0, (i & 7) == 0);
                mon.decided(t, (i & 7) == 0);
                mon.labelled(t - 500, (i & 3) == 0);
            }
            return id[0];
        });
        assertThat(a.bytesPerRound()).as("bytes allocated by 20,000 monitored records").isZero();
    }
}
