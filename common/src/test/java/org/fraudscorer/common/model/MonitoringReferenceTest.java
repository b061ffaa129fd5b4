package org.fraudscorer.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.fraudscorer.common.metrics.PopulationStability;
import org.junit.jupiter.api.Test;

class MonitoringReferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static double[] flat(double[][] rows) {
        double[] x = new double[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, x, r * rows[0].length, rows[0].length);
        }
        return x;
    }

    static ModelBundle monitored() {
        return ModelFixtures.bundle(3).monitoredOn(flat(ModelFixtures.transactions(2000, 7)), 2000, "made-up rows");
    }

    @Test
    void shouldFitALargeReferenceOnAnEvenStrideOfItsRows() {
        // Given more rows than a reference is fitted on: 2 × MAX_ROWS + 1
        int rows = 2 * MonitoringReference.MAX_ROWS + 1;
        ModelBundle model = ModelFixtures.bundle(3);
        double[] all = flat(ModelFixtures.transactions(rows, 11));
        int in = model.schema().inputCount();

        // When the reference is fitted on them
        MonitoringReference big = MonitoringReference.fit(model, all, rows, "rows");

        // Then it is the reference of every 3rd row, from the first to the last, and says so
        int n = (rows + 2) / 3;
        double[] every3rd = new double[n * in];
        for (int i = 0; i < n; i++) {
            System.arraycopy(all, 3 * i * in, every3rd, i * in, in);
        }
        MonitoringReference sampled = MonitoringReference.fit(model, every3rd, n, "rows");
        assertThat(big.rows()).isEqualTo(n).isEqualTo(133_334);
        assertThat(big.rowsDescription()).isEqualTo("rows (every 3rd of " + rows + ")");
        assertThat(big.features()).isEqualTo(sampled.features());
        assertThat(big.score()).isEqualTo(sampled.score());
        assertThat(big.flagRate()).isEqualTo(sampled.flagRate());
        // the features' ranges are over every row, not the sample's
        int amount = model.schema().inputIndex("Amount");
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (int r = 0; r < rows; r++) {
            max = Math.max(max, all[r * in + amount]);
            min = Math.min(min, all[r * in + amount]);
        }
        int feature = java.util.stream.IntStream.range(0, model.schema().featureCount())
                .filter(f -> model.schema().features().get(f).source().equals("Amount")).findFirst().orElseThrow();
        assertThat(big.ranges().get(feature)).isEqualTo(new MonitoringReference.Range(min, max));
        // and at or under the cap, every row counts
        assertThat(MonitoringReference.fit(model, every3rd, n, "rows").rows()).isEqualTo(n);
    }

    @Test
    void shouldCutDecilesAndCountTheirShares() {
        List<Double> values = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            values.add((double) i);
        }
        Collections.shuffle(values, new java.util.Random(1));
        MonitoringReference.Bins b = MonitoringReference.Bins.fit("x",
                values.stream().mapToDouble(Double::doubleValue).toArray());
        assertThat(b.edges()).containsExactly(11, 21, 31, 41, 51, 61, 71, 81, 91);
        for (double e : b.expected()) {
            assertThat(e).isCloseTo(0.1, within(1e-12));
        }
        assertThat(b.bin(-5)).isZero();
        assertThat(b.bin(10.9)).isZero();
        assertThat(b.bin(11)).as("an edge opens its bin").isEqualTo(1);
        assertThat(b.bin(91)).isEqualTo(9);
        assertThat(b.bin(1e9)).isEqualTo(9);
    }

    @Test
    void shouldMergeEqualQuantilesOfAFeatureMostlyZero() {
        double[] v = new double[100];
        for (int i = 70; i < 100; i++) {
            v[i] = i - 69; // 70 zeros, then 1..30
        }
        MonitoringReference.Bins b = MonitoringReference.Bins.fit("count", v);
        // deciles 1..6 are 0 (the minimum: dropped), 7..9 are 1, 11 and 21; the zeros keep one bin
        assertThat(b.edges()).containsExactly(1, 11, 21);
        assertThat(b.expected()).containsExactly(new double[] {0.7, 0.1, 0.1, 0.1}, within(1e-12));
        double[] constant = {4, 4, 4};
        assertThat(MonitoringReference.Bins.fit("c", constant).expected()).containsExactly(1.0);
    }

    @Test
    void shouldComputeThePsiOfAKnownShiftByHand() {
        double[] expected = {0.25, 0.25, 0.25, 0.25};
        long[] same = {25, 25, 25, 25};
        assertThat(PopulationStability.psi(expected, same, 0, 100)).isZero();
        long[] shifted = {10, 20, 30, 40};
        // Σ (a − e) ln(a / e) = −0.15 ln 0.4 − 0.05 ln 0.8 + 0.05 ln 1.2 + 0.15 ln 1.6
        double byHand = -0.15 * Math.log(0.4) - 0.05 * Math.log(0.8) + 0.05 * Math.log(1.2) + 0.15 * Math.log(1.6);
        assertThat(PopulationStability.psi(expected, shifted, 0, 100)).isCloseTo(byHand, within(1e-12))
                .isCloseTo(0.228, within(0.001));
        long[] empty = {0, 0, 50, 50};
        // an empty bin counts as a share of 1e-4: 2 (1e-4 − 0.25) ln(1e-4 / 0.25) + 2 (0.25) ln 2
        assertThat(PopulationStability.psi(expected, empty, 0, 100)).isCloseTo(
                2 * (1e-4 - 0.25) * Math.log(1e-4 / 0.25) + 2 * 0.25 * Math.log(2), within(1e-12));
        assertThat(PopulationStability.psi(expected, same, 0, 0)).isNaN();
    }

    @Test
    void shouldRoundTripTheMonitoringSectionThroughTheFile() {
        ModelBundle m = monitored();
        MonitoringReference r = m.monitoring();
        assertThat(r.features()).hasSize(m.schema().featureCount());
        assertThat(r.features().get(0).name()).isEqualTo(m.schema().featureNames().get(0));
        assertThat(r.rows()).isEqualTo(2000);
        assertThat(r.score().binCount()).isBetween(2, 10);
        assertThat(r.ranges()).hasSize(m.schema().featureCount());
        ModelBundle back = ModelFile.fromBytes(ModelFile.toBytes(m), "round trip");
        assertThat(back.monitoring()).isEqualTo(r);
        assertThat(back.monitoring().ranges()).isEqualTo(r.ranges());
        assertThat(back.sha256()).isEqualTo(m.sha256());
        assertThat(m.sha256()).as("the section is covered by the checksum")
                .isNotEqualTo(ModelFixtures.bundle(3).sealed().sha256());
    }

    @Test
    void shouldRecordTheShareOfReferenceRowsTheModelFlags() {
        ModelBundle m = monitored();
        double[][] rows = ModelFixtures.transactions(2000, 7);
        ModelScorer s = m.newScorer();
        int flagged = 0;
        for (double[] row : rows) {
            flagged += s.flagged(s.probability(row)) ? 1 : 0;
        }
        assertThat(m.monitoring().flagRate()).isEqualTo(flagged / 2000.0);
    }

    @Test
    void shouldRefuseAFileWhoseMonitoringSectionWasChanged() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(ModelFile.toBytes(monitored()));
        ArrayNode expected = (ArrayNode) root.get("model").get("monitoring").get("score").get("expected");
        double first = expected.get(0).asDouble();
        expected.set(0, first + 0.01);
        expected.set(1, expected.get(1).asDouble() - 0.01);
        assertThatThrownBy(() -> ModelFile.fromBytes(JSON.writeValueAsBytes(root), "tampered"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("fails its checksum");
    }

    @Test
    void shouldRefuseAnInconsistentMonitoringSectionInOneLine() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(ModelFile.toBytes(monitored()));
        ObjectNode model = (ObjectNode) root.get("model");
        ((ArrayNode) model.get("monitoring").get("features").get(0).get("expected")).add(0.0);
        root.put("sha256", ModelFile.sha256(model));
        assertThatThrownBy(() -> ModelFile.fromBytes(JSON.writeValueAsBytes(root), "bad.json"))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("model bad.json: monitoring: ")
                .hasMessageContaining("expected shares are given")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    /** A range that is no range is refused in one line; a section without ranges (files before them) loads. */
    @Test
    void shouldRefuseABadRangeAndLoadASectionWithoutRanges() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(ModelFile.toBytes(monitored()));
        ObjectNode model = (ObjectNode) root.get("model");
        ObjectNode monitoring = (ObjectNode) model.get("monitoring");
        ArrayNode first = (ArrayNode) monitoring.get("ranges").get(0);
        first.set(0, 5.0);
        first.set(1, 1.0);
        root.put("sha256", ModelFile.sha256(model));
        assertThatThrownBy(() -> ModelFile.fromBytes(JSON.writeValueAsBytes(root), "bad.json"))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("model bad.json: monitoring: a feature range must be finite with min <= max, got [5.0, "
                        + "1.0]");
        monitoring.remove("ranges");
        root.put("sha256", ModelFile.sha256(model));
        MonitoringReference without = ModelFile.fromBytes(JSON.writeValueAsBytes(root), "older.json").monitoring();
        assertThat(without.ranges()).isNull();
        assertThat(without.features()).isEqualTo(monitored().monitoring().features());
    }

    @Test
    void shouldLoadFilesWithoutAMonitoringSection() throws Exception {
        assertThat(ModelFile.fromBytes(ModelFile.toBytes(ModelFixtures.bundle(3)), "v2").monitoring()).isNull();
        try (InputStream in = getClass().getResourceAsStream("/golden/model-format-v1.json")) {
            assertThat(ModelFile.fromBytes(in.readAllBytes(), "golden v1").monitoring()).isNull();
        }
    }
}
