package org.fraudscorer.common.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFixtures;
import org.junit.jupiter.api.Test;

class EventFamilyTest {

    @Test
    void aSchemaBelongsToExactlyOneFamily() {
        for (EventFamily f : EventFamily.values()) {
            assertThat(EventFamily.of(f.schema())).isSameAs(f);
            for (FeatureSchema older : f.schemas()) {
                assertThat(EventFamily.of(older)).as("every schema the family reads").isSameAs(f);
            }
        }
        assertThat(EventFamily.RAW_EVENTS.schemas()).containsExactly(FeatureSchema.HANDBOOK_V2,
                FeatureSchema.HANDBOOK_V1);
        FeatureSchema other = new FeatureSchema("other-v1", List.of("x"), List.of(new FieldRange("x", 0, 1)),
                List.of(new FeatureSpec("x", "x", Transform.NONE)));
        assertThatThrownBy(() -> EventFamily.of(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("other-v1");
    }

    @Test
    void whatTheScorerNeedsIsAskedThroughTheFamilysProperties() {
        // raw events: labels fed back, card and terminal state; creditcard rows: neither, every feature on the event
        assertThat(EventFamily.RAW_EVENTS.labelFeedback()).isTrue();
        assertThat(EventFamily.RAW_EVENTS.keepsState()).isTrue();
        assertThat(EventFamily.CREDITCARD.labelFeedback()).isFalse();
        assertThat(EventFamily.CREDITCARD.keepsState()).isFalse();
    }

    @Test
    void aFileIsToldFromItsColumns() {
        assertThat(EventFamily.ofColumns(List.of("TRANSACTION_ID", "TX_DATETIME", "CUSTOMER_ID", "TERMINAL_ID",
                "TX_AMOUNT", "TX_FRAUD"))).isEqualTo(EventFamily.RAW_EVENTS);
        assertThat(EventFamily.ofColumns(FeatureSchema.CREDITCARD.inputFields())).isEqualTo(EventFamily.CREDITCARD);
        // a raw-event file short of a column is raw events, so that its reader names the missing column (it was
        // read as creditcard rows: "unknown column 'TRANSACTION_ID' (expected Time, V1..V28, Amount...")
        assertThat(EventFamily.ofColumns(List.of("TRANSACTION_ID", "TX_DATETIME", "CUSTOMER_ID", "TX_AMOUNT")))
                .as("four of the five raw-event columns").isEqualTo(EventFamily.RAW_EVENTS);
        assertThat(EventFamily.ofColumns(List.of("TRANSACTION_ID", "TX_DATETIME", "CUSTOMER_ID", "TERMINAL_ID",
                "TX_AMMOUNT"))).as("a misspelt one").isEqualTo(EventFamily.RAW_EVENTS);
        List<String> creditcardWithTransactionId = new java.util.ArrayList<>(FeatureSchema.CREDITCARD.inputFields());
        creditcardWithTransactionId.add("TRANSACTION_ID");
        assertThat(EventFamily.ofColumns(creditcardWithTransactionId)).as("creditcard rows with an odd column")
                .isEqualTo(EventFamily.CREDITCARD);
        assertThat(EventFamily.ofColumns(List.of("a", "b"))).as("neither").isEqualTo(EventFamily.CREDITCARD);
    }

    @Test
    void aModelOfAnotherFamilyIsRefusedNamingBoth() {
        assertThatThrownBy(() -> EventFamily.RAW_EVENTS.requireModel(FeatureSchema.CREDITCARD, "v1", "events.csv"))
                .hasMessage("model v1 uses feature schema creditcard-v1, but events.csv holds raw payment events "
                        + "(handbook format) (schema handbook-v2): train a model on this data");
        EventFamily.CREDITCARD.requireModel(FeatureSchema.CREDITCARD, "v1", "rows.csv");
    }

    @Test
    void theLabelDelayIsTypedAndOnlyFamiliesWithLabelFeedbackHaveOne() {
        ModelBundle creditcard = ModelFixtures.bundle(3);
        assertThat(creditcard.family()).isEqualTo(EventFamily.CREDITCARD);
        assertThat(creditcard.labelDelayDays()).isEmpty();

        ModelBundle raw = handbookModel(Map.of(ModelBundle.LABEL_DELAY_KEY, 3));
        assertThat(raw.family()).isEqualTo(EventFamily.RAW_EVENTS);
        assertThat(raw.labelDelayDays()).hasValue(3);
        assertThat(handbookModel(Map.of()).labelDelayDays()).as("a file written before the delay was recorded")
                .hasValue(EventFamily.RAW_EVENTS.defaultLabelDelayDays());
        assertThatThrownBy(() -> handbookModel(Map.of(ModelBundle.LABEL_DELAY_KEY, "seven")))
                .hasMessageContaining("delayDays must be a whole number of days");
        assertThatThrownBy(() -> handbookModel(Map.of(ModelBundle.LABEL_DELAY_KEY, -1)))
                .hasMessageContaining("delayDays must be a whole number of days");
    }

    private static ModelBundle handbookModel(Map<String, Object> provenance) {
        FeatureSchema s = FeatureSchema.HANDBOOK_V1;
        int n = s.featureCount();
        double[] zeros = new double[n];
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1);
        ModelBundle template = ModelFixtures.bundle(1);
        org.fraudscorer.common.nn.MLP net = org.fraudscorer.common.nn.MLP.build(new int[] {n, 4, 1},
                org.fraudscorer.common.nn.Activation.RELU, 0, 1);
        return new ModelBundle("v", Instant.EPOCH, s, new Preprocessing(s, zeros, ones), net, template.threshold(),
                1, Map.of(), Map.of(), provenance, null);
    }
}
