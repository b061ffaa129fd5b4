package org.fraudscorer.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.Preprocessing;
import org.fraudscorer.common.nn.Inference;
import org.fraudscorer.common.nn.MLP;
import org.junit.jupiter.api.Test;

/** Format version 2: an ensemble of member networks combined by their mean logit. */
class EnsembleModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anEnsembleRoundTripsAndScoresTheSameAfterLoading() {
        ModelBundle b = ModelFixtures.ensemble(5, 3);
        byte[] file = ModelFile.toBytes(b);
        assertThat(new String(file, StandardCharsets.UTF_8)).contains("\"formatVersion\" : 2")
                .contains("\"combination\" : \"mean-logit\"");
        ModelBundle back = ModelFile.fromBytes(file, "e.json");
        assertThat(back.members()).hasSize(3);
        assertThat(back.preprocessing()).isEqualTo(b.preprocessing()); // means, deviations and the clip of 2
        assertThat(back.sha256()).isNotNull().isEqualTo(ModelFile.fromBytes(ModelFile.toBytes(back), "again").sha256());
        ModelScorer a = b.newScorer();
        ModelScorer c = back.newScorer();
        for (double[] row : ModelFixtures.transactions(50, 9)) {
            assertThat(c.probability(row)).isEqualTo(a.probability(row));
        }
    }

    @Test
    void theProbabilityIsTheSigmoidOfTheMeanMemberLogit() {
        ModelBundle b = ModelFixtures.ensemble(11, 4);
        ModelScorer s = b.newScorer();
        double[] z = new double[b.schema().featureCount()];
        for (double[] row : ModelFixtures.transactions(30, 2)) {
            b.preprocessing().apply(row, z);
            double sum = 0;
            for (MLP m : b.members()) {
                sum += m.newInference().logit(z);
            }
            double expected = 1 / (1 + Math.exp(-sum / 4));
            assertThat(s.probability(row)).isCloseTo(expected, within(1e-12));
        }
        // members really differ: the ensemble is not one network four times
        double[] row = ModelFixtures.transactions(1, 3)[0];
        b.preprocessing().apply(row, z);
        assertThat(b.members().get(0).newInference().logit(z)).isNotEqualTo(b.members().get(1).newInference().logit(z));
    }

    @Test
    void theExplanationIsTheMeanOfTheMembersExplanations() {
        ModelBundle b = ModelFixtures.ensemble(21, 3);
        ModelScorer s = b.newScorer();
        int f = b.schema().featureCount();
        double[] out = new double[f];
        for (double[] row : ModelFixtures.transactions(10, 4)) {
            s.probability(row);
            s.contributions(out);
            double[] expected = new double[f];
            for (MLP m : b.members()) {
                ModelBundle single = new ModelBundle("one", b.createdAt(), b.schema(), b.preprocessing(), m,
                        b.threshold(), b.seed(), b.metrics(), b.hyperparameters(), b.provenance(), null);
                ModelScorer one = single.newScorer();
                one.probability(row);
                double[] c = new double[f];
                one.contributions(c);
                for (int j = 0; j < f; j++) {
                    expected[j] += c[j] / 3;
                }
            }
            for (int j = 0; j < f; j++) {
                assertThat(out[j]).isCloseTo(expected[j], within(1e-12));
            }
        }
    }

    @Test
    void aOneMemberModelScoresExactlyAsItsNetwork() {
        ModelBundle b = ModelFixtures.bundle(8);
        Inference inf = b.network().newInference();
        double[] z = new double[b.schema().featureCount()];
        ModelScorer s = b.newScorer();
        for (double[] row : ModelFixtures.transactions(20, 6)) {
            b.preprocessing().apply(row, z);
            assertThat(s.probability(row)).isEqualTo(inf.probability(z));
        }
    }

    @Test
    void aTamperedMemberIsRefused() throws Exception {
        byte[] file = ModelFile.toBytes(ModelFixtures.ensemble(3, 3));
        ObjectNode root = (ObjectNode) JSON.readTree(file);
        ArrayNode w = (ArrayNode) root.path("model").path("members").get(2).path("layers").get(1).path("weights").get(0);
        w.set(0, JSON.getNodeFactory().numberNode(w.get(0).asDouble() + 1e-3));
        assertThatThrownBy(() -> ModelFile.fromBytes(JSON.writeValueAsBytes(root), "t.json"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("checksum");
    }

    @Test
    void inconsistentEnsemblesAreRefused() throws Exception {
        ModelBundle b = ModelFixtures.ensemble(4, 2);
        // a well-formed member of another input size (re-signed, so only the ensemble's input check can refuse it)
        ObjectNode body = (ObjectNode) JSON.readTree(ModelFile.toBytes(b)).get("model");
        ObjectNode other = (ObjectNode) JSON.readTree(ModelFile.toBytes(handbookBundle())).get("model");
        ((ArrayNode) body.get("members")).set(1, other.path("members").get(0));
        assertThatThrownBy(() -> ModelFile.fromBytes(signed(body), "mixed.json"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("member 1 takes 15 inputs, member 0 takes 29");
        // no member at all
        ObjectNode empty = (ObjectNode) JSON.readTree(ModelFile.toBytes(b)).get("model");
        empty.putArray("members");
        assertThatThrownBy(() -> ModelFile.fromBytes(signed(empty), "empty.json"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("1 to 64 members, got 0");
        // a combination this build does not know
        ObjectNode median = (ObjectNode) JSON.readTree(ModelFile.toBytes(b)).get("model");
        median.put("combination", "median");
        assertThatThrownBy(() -> ModelFile.fromBytes(signed(median), "median.json"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("combination \"median\"");
        assertThatThrownBy(() -> new ModelBundle("x", b.createdAt(), b.schema(), b.preprocessing(), List.of(),
                b.threshold(), 1, null, null, null, null)).hasMessageContaining("1 to 64 member networks");
    }

    /** A one-network model of the handbook schema (15 inputs). */
    private static ModelBundle handbookBundle() {
        FeatureSchema s = FeatureSchema.HANDBOOK_V1;
        double[] means = new double[s.featureCount()];
        double[] stds = new double[s.featureCount()];
        java.util.Arrays.fill(stds, 1.0);
        MLP net = MLP.build(new int[] {s.featureCount(), 4, 1}, org.fraudscorer.common.nn.Activation.RELU, 0.0, 3L);
        ModelBundle f = ModelFixtures.bundle(1);
        return new ModelBundle("hb", f.createdAt(), s, new Preprocessing(s, means, stds), net, f.threshold(), 3L, null,
                null, null, null);
    }

    /** A file around {@code body} with a matching checksum: what a careless (not malicious) writer would produce. */
    private static byte[] signed(ObjectNode body) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", ModelFile.FORMAT);
        root.put("formatVersion", 2);
        root.put("sha256", ModelFile.sha256(body));
        root.set("model", body);
        return JSON.writeValueAsBytes(root);
    }
}
