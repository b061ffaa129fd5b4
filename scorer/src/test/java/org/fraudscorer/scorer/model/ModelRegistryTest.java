package org.fraudscorer.scorer.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.Preprocessing;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.common.nn.Activation;
import org.fraudscorer.common.nn.MLP;
import org.junit.jupiter.api.Test;

/** What the registry serves and what it refuses, with the reason it gives. */
class ModelRegistryTest {

    @Test
    void servesAVerifiedModelOfTheSameFamilyAndDelay() {
        ModelRegistry r = new ModelRegistry(raw("a", 7));
        ModelBundle b = raw("b", 7);
        assertThat(r.offer(ModelFile.toBytes(b), "test")).isTrue();
        assertThat(r.current().modelVersion()).isEqualTo("b");
        assertThat(r.refusals()).isEmpty();
    }

    @Test
    void refusesAnotherLabelDelayBecauseTheStoresHoldTheServingOne() {
        ModelRegistry r = new ModelRegistry(raw("a", 7));
        assertThat(r.offer(raw("b", 3), "test")).isFalse();
        assertThat(r.current().modelVersion()).isEqualTo("a");
        assertThat(r.refusals()).singleElement().asString()
                .isEqualTo("label delay 3 days differs from the serving model's 7");
    }

    @Test
    void aFileWithoutARecordedDelayHasTheFamilyDefault() {
        ModelRegistry r = new ModelRegistry(raw("a", 7));
        assertThat(r.offer(raw("old", null), "test")).as("an older file: the handbook's 7 days").isTrue();
        assertThat(r.offer(raw("b", 0), "test")).isFalse();
    }

    @Test
    void refusesAnotherFamily() {
        ModelRegistry r = new ModelRegistry(raw("a", 7));
        assertThat(r.offer(ModelFixtures.bundle(3).sealed(), "test")).isFalse();
        assertThat(r.refusals()).singleElement().asString().startsWith("feature schema creditcard-v1");
        ModelRegistry c = new ModelRegistry(ModelFixtures.bundle(3).sealed());
        assertThat(c.offer(ModelFixtures.bundle(4).sealed(), "test")).as("creditcard models have no delay").isTrue();
    }

    private static ModelBundle raw(String version, Integer delay) {
        FeatureSchema s = FeatureSchema.HANDBOOK;
        double[] ones = new double[s.featureCount()];
        Arrays.fill(ones, 1);
        MLP net = MLP.build(new int[] {s.featureCount(), 4, 1}, Activation.RELU, 0, version.hashCode());
        Map<String, Object> provenance = delay == null ? Map.of() : Map.of(ModelBundle.LABEL_DELAY_KEY, delay);
        return new ModelBundle(version, Instant.EPOCH, s, new Preprocessing(s, new double[s.featureCount()], ones), net,
                ModelFixtures.bundle(1).threshold(), 1, Map.of(), Map.of(), provenance, null).sealed();
    }
}
