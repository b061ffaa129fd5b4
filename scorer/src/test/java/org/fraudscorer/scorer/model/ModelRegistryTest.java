package org.fraudscorer.scorer.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.fraudscorer.common.model.SigningKey;
import org.fraudscorer.common.model.TrustedKeys;
import org.fraudscorer.scorer.server.ScorerMetrics;
import org.junit.jupiter.api.Test;

/** What the registry serves and what it refuses, with the reason it gives. */
class ModelRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void servesAVerifiedModelOfTheSameFamilyAndDelay() {
        ModelRegistry r = new ModelRegistry(raw("a", 7));
        ModelBundle b = raw("b", 7);
        assertThat(r.offer(ModelFile.toBytes(b), "test")).isTrue();
        assertThat(r.current().modelVersion()).isEqualTo("b");
        assertThat(r.refusals()).isEmpty();
    }

    @Test
    void keepsOnlyTheLatestRefusals() {
        ModelRegistry r = new ModelRegistry(raw("a", 7));
        for (int i = 0; i < ModelRegistry.REFUSALS_KEPT + 50; i++) {
            assertThat(r.offer(("not a model " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8), "t" + i))
                    .isFalse();
        }
        assertThat(r.refusals()).hasSize(ModelRegistry.REFUSALS_KEPT);
        assertThat(r.refusals().get(ModelRegistry.REFUSALS_KEPT - 1)).isNotEqualTo(r.refusals().get(0));
        assertThat(r.current().modelVersion()).isEqualTo("a");
    }

    @Test
    void refusesAnotherLabelDelayBecauseTheStoresHoldTheServingOne() {
        ModelRegistry r = new ModelRegistry(raw("a", 7));
        assertThat(r.offer(raw("b", 3), "test")).isFalse();
        assertThat(r.current().modelVersion()).isEqualTo("a");
        assertThat(r.refusals()).singleElement().asString()
                .isEqualTo("label delay 3 days differs from the serving model's 7 days");
    }

    /** The one fit rule, as tools that read a model topic apply it without a registry ({@code app}'s ModelTopic). */
    @Test
    void theFitRuleNamesWhatDiffersOrNothing() {
        assertThat(ModelRegistry.misfit(raw("a", 7), raw("b", 7))).isNull();
        assertThat(ModelRegistry.misfit(raw("a", 7), raw("b", 3)))
                .isEqualTo("label delay 3 days differs from the serving model's 7 days");
        assertThat(ModelRegistry.misfit(raw("a", 7), ModelFixtures.bundle(3).sealed()))
                .startsWith("feature schema creditcard-v1 ").contains("differs from the serving schema handbook-");
        assertThat(ModelRegistry.misfit(ModelFixtures.bundle(3).sealed(), ModelFixtures.bundle(4).sealed())).isNull();
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

    @Test
    void shouldSwapToAModelSignedByATrustedKeyAndRefuseUnsignedUnknownAndMismatchingOnesCountingEach()
            throws Exception {
        SigningKey team = SigningKey.generate();
        SigningKey stranger = SigningKey.generate();
        TrustedKeys trusted = TrustedKeys.of(Map.of("team.pub", team.publicKey()));
        ModelRegistry r = new ModelRegistry(raw("a", 7), trusted);
        ScorerMetrics metrics = new ScorerMetrics(new SimpleMeterRegistry());
        r.addListener(metrics);
        double refusalsBefore = metrics.registry().get("fraud.model.refusals").counter().count();

        assertThat(r.offer(ModelFile.toBytes(raw("b", 7), team), "topic@1")).isTrue();
        assertThat(r.current().modelVersion()).isEqualTo("b");

        assertThat(r.offer(ModelFile.toBytes(raw("unsigned", 7)), "topic@2")).isFalse();
        assertThat(r.offer(ModelFile.toBytes(raw("stranger", 7), stranger), "topic@3")).isFalse();
        ObjectNode root = (ObjectNode) JSON.readTree(ModelFile.toBytes(raw("forged", 7), team));
        ((ObjectNode) root.get("model")).put("modelVersion", "forged-after-signing");
        root.put("sha256", sha256OfCanonical(root.get("model")));
        assertThat(r.offer(JSON.writeValueAsBytes(root), "topic@4")).isFalse();
        assertThat(r.offer(raw("in-code", 7), "code")).as("a bundle without its file has no signature").isFalse();

        assertThat(r.current().modelVersion()).as("the old model keeps serving").isEqualTo("b");
        assertThat(r.refusals()).hasSize(4);
        assertThat(r.refusals().get(0)).isEqualTo("model topic@2 is not signed; only models signed by a trusted key "
                + "are accepted (sign with --signing-key)");
        assertThat(r.refusals().get(1)).isEqualTo("model topic@3 signed by key " + stranger.keyId()
                + ", which is not trusted (trusted: " + team.keyId() + ")");
        assertThat(r.refusals().get(2)).contains("topic@4", "signature by key " + team.keyId(),
                "does not match its content");
        assertThat(r.refusals().get(3)).contains("carries no signature");
        assertThat(metrics.registry().get("fraud.model.refusals").counter().count() - refusalsBefore).isEqualTo(4);
    }

    @Test
    void shouldServeUnsignedModelsWithoutTrustedKeysAsBefore() {
        ModelRegistry r = new ModelRegistry(raw("a", 7));
        assertThat(r.trustedKeys()).isEmpty();
        assertThat(r.offer(ModelFile.toBytes(raw("b", 7)), "topic@1")).isTrue();
        assertThat(r.offer(ModelFile.toBytes(raw("c", 7), SigningKey.generate()), "topic@2"))
                .as("a signature is not checked without trusted keys").isTrue();
    }

    @Test
    void shouldVerifyAChallengerAsAChampionAndNeverServeIt() throws Exception {
        SigningKey team = SigningKey.generate();
        ModelRegistry r = new ModelRegistry(raw("a", 7), TrustedKeys.of(Map.of("team.pub", team.publicKey())));
        ScorerMetrics metrics = new ScorerMetrics(new SimpleMeterRegistry());
        r.addListener(metrics);
        r.addListener(metrics.shadow());
        assertThat(r.challenger()).isNull();

        assertThat(r.offerChallenger(ModelFile.toBytes(raw("c1", 7), team), "topic@1")).isTrue();
        assertThat(r.challenger().modelVersion()).isEqualTo("c1");
        assertThat(r.current().modelVersion()).as("the champion still serves").isEqualTo("a");

        assertThat(r.offerChallenger(ModelFile.toBytes(raw("unsigned", 7)), "topic@2")).isFalse();
        assertThat(r.offerChallenger(ModelFile.toBytes(raw("delay-3", 3), team), "topic@3")).isFalse();
        assertThat(r.offerChallenger(ModelFile.toBytes(ModelFixtures.bundle(3), team), "topic@4")).isFalse();
        assertThat(r.offerChallenger(raw("in-code", 7), "code")).isFalse();
        assertThat(r.challenger().modelVersion()).as("a refused challenger changes nothing").isEqualTo("c1");
        assertThat(r.refusals()).containsExactly(
                "challenger: model topic@2 is not signed; only models signed by a trusted key are accepted (sign with "
                        + "--signing-key)",
                "challenger: label delay 3 days differs from the serving model's 7 days",
                "challenger: feature schema creditcard-v1 " + FeatureSchema.CREDITCARD.inputFields()
                        + " differs from the serving schema " + FeatureSchema.HANDBOOK_V1.name() + " "
                        + FeatureSchema.HANDBOOK_V1.inputFields(),
                "challenger: model code carries no signature (handed over without its file); only models signed by a "
                        + "trusted key are accepted");
        var meters = metrics.registry();
        assertThat(meters.get("fraud.shadow.challenger.refusals").counter().count()).isEqualTo(4);
        assertThat(meters.get("fraud.model.refusals").counter().count()).isZero();

        assertThat(r.offer(ModelFile.toBytes(raw("b", 7), team), "topic@5")).isTrue();
        assertThat(r.challenger().modelVersion()).as("a new champion keeps the challenger").isEqualTo("c1");
        r.demoteChallenger("topic@6");
        assertThat(r.challenger()).isNull();
        r.demoteChallenger("topic@7"); // nothing to demote: no change, no count
        assertThat(r.current().modelVersion()).isEqualTo("b");
        assertThat(meters.get("fraud.shadow.challenger.changes").tag("change", "published").counter().count())
                .isEqualTo(1);
        assertThat(meters.get("fraud.shadow.challenger.changes").tag("change", "demoted").counter().count())
                .isEqualTo(1);
    }

    @Test
    void shouldRefuseEveryChallengerWhenToldTheShadowTopicIsMissing() {
        ModelRegistry r = new ModelRegistry(raw("a", 7));
        r.refuseChallengers("shadow topic t.shadow does not exist");
        assertThat(r.offerChallenger(ModelFile.toBytes(raw("c", 7)), "topic@1")).isFalse();
        assertThat(r.challenger()).isNull();
        assertThat(r.refusals()).containsExactly("challenger: shadow topic t.shadow does not exist");
        assertThat(r.offer(ModelFile.toBytes(raw("b", 7)), "topic@2")).as("champions are unaffected").isTrue();
    }

    /** The checksum a tamperer recomputes: SHA-256 of the canonical body, as the file format documents it. */
    private static String sha256OfCanonical(com.fasterxml.jackson.databind.JsonNode body) throws Exception {
        // Reuse the format's own canonical form by writing a throw-away unsigned file around the tampered body.
        ObjectNode probe = JSON.createObjectNode();
        probe.put("format", ModelFile.FORMAT).put("formatVersion", ModelFile.FORMAT_VERSION).put("sha256", "0");
        probe.set("model", body);
        try {
            ModelFile.fromBytes(JSON.writeValueAsBytes(probe), "probe");
        } catch (org.fraudscorer.common.model.ModelFormatException e) {
            var m = java.util.regex.Pattern.compile("content ([0-9a-f]{64})").matcher(e.getMessage());
            if (m.find()) {
                return m.group(1);
            }
            throw e;
        }
        throw new IllegalStateException("a checksum of 0 verified");
    }

    private static ModelBundle raw(String version, Integer delay) {
        FeatureSchema s = FeatureSchema.HANDBOOK_V1;
        double[] ones = new double[s.featureCount()];
        Arrays.fill(ones, 1);
        MLP net = MLP.build(new int[] {s.featureCount(), 4, 1}, Activation.RELU, 0, version.hashCode());
        Map<String, Object> provenance = delay == null ? Map.of() : Map.of(ModelBundle.LABEL_DELAY_KEY, delay);
        return new ModelBundle(version, Instant.EPOCH, s, new Preprocessing(s, new double[s.featureCount()], ones), net,
                ModelFixtures.bundle(1).threshold(), 1, Map.of(), Map.of(), provenance, null).sealed();
    }
}
