package org.fraudscorer.common.features.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.Map;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.FieldRange;
import org.fraudscorer.common.features.Preprocessing;
import org.junit.jupiter.api.Test;

class FeatureEngineTest {

    @Test
    void calendarFlagsFollowTheHandbooksCode() {
        // 2018-04-01 was a Sunday, 2018-04-02 a Monday, 2018-04-07 a Saturday
        assertThat(HandbookFeatures.weekend(at("2018-04-01T12:00:00"))).isEqualTo(1);
        assertThat(HandbookFeatures.weekend(at("2018-04-02T00:00:00"))).isEqualTo(0);
        assertThat(HandbookFeatures.weekend(at("2018-04-06T23:59:59"))).isEqualTo(0);
        assertThat(HandbookFeatures.weekend(at("2018-04-07T00:00:00"))).isEqualTo(1);
        assertThat(HandbookFeatures.night(at("2018-04-02T00:00:00"))).isEqualTo(1);
        assertThat(HandbookFeatures.night(at("2018-04-02T06:59:59"))).as("hour <= 6").isEqualTo(1);
        assertThat(HandbookFeatures.night(at("2018-04-02T07:00:00"))).isEqualTo(0);
        assertThat(HandbookFeatures.night(at("2018-04-02T23:59:59"))).isEqualTo(0);
    }

    @Test
    void engineCombinesEventCardAndTerminalFeaturesInSchemaOrder() {
        FeatureEngine engine = new FeatureEngine(7, HandbookFeatures.Version.V1);
        double[] out = new double[15];
        engine.onEvent(RawEvent.of(1, LocalDateTime.parse("2018-04-07T05:00:00"), 42, 7, 100), out);
        assertThat(out).containsExactly(100, 1, 1, 1, 100, 1, 100, 1, 100, 0, 0, 0, 0, 0, 0);
        assertThat(engine.onLabel(7, at("2018-04-07T05:00:00"), 1, true)).isTrue();
        assertThat(engine.onLabel(8, at("2018-04-07T05:00:00"), 1, true)).as("unknown terminal").isFalse();
        // another card, same terminal, 7 days later to the second: sees the fraud; card 42's history is not mixed in
        engine.onEvent(RawEvent.of(2, LocalDateTime.parse("2018-04-14T05:00:00"), 43, 7, 20), out);
        assertThat(out).containsExactly(20, 1, 1, 1, 20, 1, 20, 1, 20, 1, 1, 1, 1, 1, 1);
        // card 42 again on a Monday afternoon at another terminal
        engine.onEvent(RawEvent.of(3, LocalDateTime.parse("2018-04-09T15:00:00"), 42, 8, 50), out);
        assertThat(out).containsExactly(50, 0, 0, 1, 50, 2, 75, 2, 75, 0, 0, 0, 0, 0, 0);
        assertThat(engine.customers()).isEqualTo(2);
        assertThat(engine.terminals()).isEqualTo(2);
    }

    @Test
    void v2AddsTheCardsAmountProfileFromItsPreviousPaymentsAndKeepsTheFifteen() {
        FeatureEngine v1 = new FeatureEngine(7, HandbookFeatures.Version.V1);
        FeatureEngine v2 = new FeatureEngine(7, HandbookFeatures.Version.V2);
        double[] a = new double[15];
        double[] b = new double[17];
        String[] times = {"2018-04-01T10:00:00", "2018-04-01T11:00:00", "2018-04-01T12:00:00", "2018-04-02T10:00:00",
            "2018-04-02T10:00:00", "2018-05-10T10:00:00"};
        double[] amounts = {10, 30, 20, 100, 4, 7};
        double[][] profiles = new double[times.length][];
        for (int i = 0; i < times.length; i++) {
            RawEvent e = RawEvent.of(i, LocalDateTime.parse(times[i]), 42, 7, amounts[i]);
            v1.onEvent(e, a);
            v2.onEvent(e, b);
            assertThat(java.util.Arrays.copyOf(b, 15)).as("event %d: the 15 are v1's", i).containsExactly(a);
            profiles[i] = java.util.Arrays.copyOfRange(b, 15, 17);
        }
        assertThat(profiles[0]).as("first payment: nothing known").containsExactly(1, 1);
        assertThat(profiles[1]).as("previous {10}").containsExactly(3, 3);
        assertThat(profiles[2]).as("previous {10, 30}: median 20").containsExactly(1, 20.0 / 30);
        assertThat(profiles[3]).as("previous {10, 30, 20}: median 20, max 30").containsExactly(5, 100.0 / 30);
        // same second as the fourth, arrived after it: previous {10, 30, 20, 100}, median 25
        assertThat(profiles[4]).containsExactly(4 / 25.0, 4 / 100.0);
        assertThat(profiles[5]).as("38 days later the card's window is empty again").containsExactly(1, 1);
    }

    @Test
    void profileRatiosAreCappedAndDenominatorsAreAtLeastOneUnit() {
        FeatureEngine v2 = new FeatureEngine(7, HandbookFeatures.Version.V2);
        double[] b = new double[17];
        v2.onEvent(RawEvent.of(1, LocalDateTime.parse("2018-04-01T10:00:00"), 1, 1, 0.01), b);
        v2.onEvent(RawEvent.of(2, LocalDateTime.parse("2018-04-01T10:05:00"), 1, 1, 30), b);
        assertThat(b[15]).as("30 / max(0.01, 1)").isEqualTo(30);
        v2.onEvent(RawEvent.of(3, LocalDateTime.parse("2018-04-01T10:06:00"), 1, 1, 5_000), b);
        assertThat(b[15]).as("5000 / 15.005, capped").isEqualTo(HandbookFeatures.PROFILE_CAP);
        assertThat(b[16]).as("5000 / 30, capped").isEqualTo(HandbookFeatures.PROFILE_CAP);
        assertThat(FeatureSchema.HANDBOOK_V2.validate(b)).isNull();
    }

    @Test
    void handbookV2SchemaIsTheFifteenThenTheProfile() {
        FeatureSchema s = FeatureSchema.HANDBOOK_V2;
        assertThat(s.name()).isEqualTo("handbook-v2");
        assertThat(s.featureNames().subList(0, 15)).isEqualTo(HandbookFeatures.NAMES);
        assertThat(s.featureNames().subList(15, 17)).isEqualTo(HandbookFeatures.PROFILE_NAMES);
        assertThat(s.handbookVersion()).contains(HandbookFeatures.Version.V2);
        assertThat(FeatureSchema.HANDBOOK_V1.handbookVersion()).contains(HandbookFeatures.Version.V1);
        assertThat(FeatureSchema.CREDITCARD.handbookVersion()).isEmpty();
        assertThat(org.fraudscorer.common.features.EventFamily.of(FeatureSchema.HANDBOOK_V1))
                .as("v1 models still belong to the raw-event family").isEqualTo(
                        org.fraudscorer.common.features.EventFamily.RAW_EVENTS);
        assertThat(org.fraudscorer.common.features.EventFamily.RAW_EVENTS.schema()).isEqualTo(s);
        assertThat(HandbookFeatures.Version.ofWidth(34, 2)).isEqualTo(HandbookFeatures.Version.V2);
        assertThat(HandbookFeatures.Version.ofWidth(30, 2)).isEqualTo(HandbookFeatures.Version.V1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HandbookFeatures.Version.ofWidth(33, 2))
                .hasMessageContaining("not 2 rows");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HandbookFeatures.Version.ofSchemaName("handbook-v9"))
                .hasMessageContaining("handbook-v9");
    }

    @Test
    void eachFeatureSetsSchemaHasTheRangeDeclaredForEachFeatureAndTheSetsAreListedNewestFirst() {
        // the ranges the model files were written with before they were declared per feature (told from the names)
        Map<String, Double> expected = new java.util.HashMap<>();
        for (String n : FeatureSchema.HANDBOOK_V2.inputFields()) {
            expected.put(n, n.contains("_OVER_") ? HandbookFeatures.PROFILE_CAP
                    : n.contains("_RISK_") || n.startsWith("TX_DURING") ? 1.0
                    : n.contains("_NB_TX_") ? Integer.MAX_VALUE : FeatureSchema.MAX_AMOUNT);
        }
        for (HandbookFeatures.Version v : HandbookFeatures.Version.values()) {
            FeatureSchema s = FeatureSchema.of(v);
            assertThat(s.name()).isEqualTo(v.schemaName());
            assertThat(s.inputFields()).isEqualTo(v.names());
            for (int i = 0; i < v.count(); i++) {
                String n = v.names().get(i);
                assertThat(s.ranges().get(i)).as(n).isEqualTo(new FieldRange(n, 0, expected.get(n)));
            }
        }
        assertThat(HandbookFeatures.Version.newestFirst()).containsExactly(HandbookFeatures.Version.V2,
                HandbookFeatures.Version.V1);
        assertThat(org.fraudscorer.common.features.EventFamily.RAW_EVENTS.schemas()).containsExactlyElementsOf(
                HandbookFeatures.Version.newestFirst().stream().map(FeatureSchema::of).toList());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HandbookFeatures.Version.ofSchemaName("x"))
                .hasMessage("unknown raw-event feature set 'x' (known: handbook-v2 (the handbook's 15 and the card's "
                        + "amount profile), handbook-v1 (the handbook's 15))");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HandbookFeatures.Version.ofWidth(33, 2))
                .hasMessage("33 feature values are not 2 rows of a known raw-event feature set (17 or 15 per row)");
        assertThat(HandbookFeatures.CARD_HORIZON).isEqualTo(30 * HandbookFeatures.DAY);
        assertThat(HandbookFeatures.terminalHorizon(7)).isEqualTo(37 * HandbookFeatures.DAY);
    }

    @Test
    void handbookSchemaListsTheFifteenFeaturesAsInputs() {
        FeatureSchema s = FeatureSchema.HANDBOOK_V1;
        assertThat(s.name()).isEqualTo("handbook-v1");
        assertThat(s.inputFields()).isEqualTo(HandbookFeatures.NAMES).hasSize(HandbookFeatures.COUNT);
        assertThat(s.featureNames()).isEqualTo(HandbookFeatures.NAMES);
        assertThat(s.inputIndex("TERMINAL_ID_RISK_30DAY_WINDOW")).isEqualTo(14);
        double[] ok = {10, 0, 1, 1, 10, 1, 10, 1, 10, 0, 0, 3, 0.5, 9, 1};
        assertThat(s.validate(ok)).isNull();
        double[] badRisk = ok.clone();
        badRisk[12] = 1.5;
        assertThat(s.validate(badRisk)).contains("TERMINAL_ID_RISK_7DAY_WINDOW");
        Preprocessing p = Preprocessing.fit(s, new double[] {
            10, 0, 1, 1, 10, 1, 10, 1, 10, 0, 0, 3, 0.5, 9, 1,
            30, 1, 0, 3, 20, 5, 30, 7, 40, 2, 1, 5, 0.1, 9, 0}, 2);
        double[] z = new double[15];
        p.apply(ok, z);
        assertThat(z[0]).isEqualTo(-1.0); // mean 20, deviation 10
    }

    private static long at(String iso) {
        return RawEvent.of(0, LocalDateTime.parse(iso), 0, 0, 0).epochSeconds();
    }
}
