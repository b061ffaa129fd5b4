package org.fraudscorer.common.features.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import org.fraudscorer.common.features.FeatureSchema;
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
        FeatureEngine engine = new FeatureEngine(7);
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
    void handbookSchemaListsTheFifteenFeaturesAsInputs() {
        FeatureSchema s = FeatureSchema.HANDBOOK;
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
