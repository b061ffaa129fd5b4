package org.fraudscorer.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.fraudscorer.common.nn.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ModelFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aBundleKnowsTheChecksumItsFileCarries() {
        ModelBundle fresh = ModelFixtures.bundle(3);
        assertThat(fresh.sha256()).isNull();
        ModelBundle sealed = fresh.sealed();
        assertThat(sealed.sha256()).hasSize(64)
                .isEqualTo(ModelFile.fromBytes(ModelFile.toBytes(fresh), "file").sha256());
        assertThat(sealed.sealed()).isSameAs(sealed);
        assertThat(ModelFixtures.bundle(4).sealed().sha256()).isNotEqualTo(sealed.sha256());
    }

    @Test
    void roundTripGivesIdenticalPredictionsAndMetadata() throws IOException {
        ModelBundle original = ModelFixtures.bundle(11);
        ModelBundle written = ModelFile.write(original, dir.resolve("m.json"));
        ModelBundle loaded = ModelFile.read(dir.resolve("m.json"));
        assertThat(loaded.sha256()).isEqualTo(written.sha256()).hasSize(64);
        assertThat(loaded.modelVersion()).isEqualTo("fixture-11");
        assertThat(loaded.schema()).isEqualTo(original.schema());
        assertThat(loaded.preprocessing()).isEqualTo(original.preprocessing());
        assertThat(loaded.threshold()).isEqualTo(original.threshold());
        assertThat(loaded.hyperparameters()).containsEntry("learningRate", 0.001);
        assertThat(loaded.network().sizes()).containsExactly(29, 16, 16, 1);
        for (int l = 0; l < 3; l++) {
            assertThat(loaded.network().denseLayers().get(l).weights())
                    .containsExactly(original.network().denseLayers().get(l).weights());
        }
        ModelScorer a = original.newScorer();
        ModelScorer b = loaded.newScorer();
        for (double[] t : ModelFixtures.transactions(500, 3)) {
            assertThat(b.probability(t)).isEqualTo(a.probability(t));
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void everyHiddenActivationRoundTripsWithIdenticalProbabilitiesAndExplanations(Activation hidden)
            throws IOException {
        ModelBundle original = ModelFixtures.bundle(13, hidden);
        ModelFile.write(original, dir.resolve("m.json"));
        assertThat(Files.readString(dir.resolve("m.json"))).contains("\"activation\" : \"" + hidden.id() + "\"");
        ModelBundle loaded = ModelFile.read(dir.resolve("m.json"));
        assertThat(loaded.network().denseLayers().get(0).activation()).isEqualTo(hidden);
        ModelScorer a = original.newScorer();
        ModelScorer b = loaded.newScorer();
        double[] ca = new double[original.schema().featureCount()];
        double[] cb = new double[ca.length];
        for (double[] t : ModelFixtures.transactions(200, 5)) {
            assertThat(b.probability(t)).isEqualTo(a.probability(t));
            a.contributions(ca);
            b.contributions(cb);
            assertThat(cb).containsExactly(ca);
        }
    }

    @Test
    void quantileMapsRoundTripAsVersion3AndAModelWithoutThemStaysVersion2() throws IOException {
        ModelBundle original = ModelFixtures.quantileEnsemble(21, 3);
        byte[] bytes = ModelFile.toBytes(original);
        assertThat(JSON.readTree(bytes).get("formatVersion").asInt()).isEqualTo(3);
        assertThat(JSON.readTree(bytes).at("/model/preprocessing/quantiles")).hasSize(29);
        assertThat(JSON.readTree(ModelFile.toBytes(ModelFixtures.ensemble(21, 3))).get("formatVersion").asInt())
                .as("readable by builds before version 3").isEqualTo(2);
        ModelFile.write(original, dir.resolve("q.json"));
        ModelFile.Loaded loaded = ModelFile.load(dir.resolve("q.json"));
        assertThat(loaded.formatVersion()).isEqualTo(3);
        assertThat(loaded.bundle().preprocessing()).isEqualTo(original.preprocessing());
        assertThat(loaded.bundle().preprocessing().quantiles()).isEqualTo(original.preprocessing().quantiles());
        ModelScorer a = original.newScorer();
        ModelScorer b = loaded.bundle().newScorer();
        int differ = 0;
        ModelScorer plain = ModelFixtures.ensemble(21, 3).newScorer();
        for (double[] t : ModelFixtures.transactions(500, 3)) {
            double p = b.probability(t);
            assertThat(p).isEqualTo(a.probability(t));
            differ += p != plain.probability(t) ? 1 : 0;
        }
        assertThat(differ).as("the maps change the predictions").isEqualTo(500);
    }

    @Test
    void refusesQuantileMapsThatAreTamperedMisshapenOrUnderAnOlderVersion() throws IOException {
        ModelBundle q = ModelFixtures.quantileEnsemble(22, 1);
        byte[] moved = edit(q, m -> ((ArrayNode) m.at("/preprocessing/quantiles/3/x")).set(5, 0.123456), false);
        assertThatThrownBy(() -> ModelFile.fromBytes(moved, "moved.json")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("checksum");
        // re-checksummed: only the map's own checks can refuse these
        byte[] unordered = edit(q, m -> {
            ArrayNode x = (ArrayNode) m.at("/preprocessing/quantiles/3/x");
            x.set(5, x.get(4).asDouble());
        }, true);
        assertThatThrownBy(() -> ModelFile.fromBytes(unordered, "u.json")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("quantile map of V4").hasMessageContaining("must increase");
        byte[] uneven = edit(q, m -> ((ArrayNode) m.at("/preprocessing/quantiles/0/z")).remove(0), true);
        assertThatThrownBy(() -> ModelFile.fromBytes(uneven, "e.json")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("quantile map of V1");
        byte[] missing = edit(q, m -> ((ArrayNode) m.at("/preprocessing/quantiles")).remove(28), true);
        assertThatThrownBy(() -> ModelFile.fromBytes(missing, "m.json")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("one map per feature (29), got 28 maps");
        byte[] nan = edit(q, m -> ((ArrayNode) m.at("/preprocessing/quantiles/1/z")).set(0, "NaN"), true);
        assertThatThrownBy(() -> ModelFile.fromBytes(nan, "n.json")).isInstanceOf(ModelFormatException.class);
        // a version 2 reader would ignore the maps and score unmapped inputs: such a file is refused
        ObjectNode root = (ObjectNode) JSON.readTree(ModelFile.toBytes(q));
        root.put("formatVersion", 2);
        assertThatThrownBy(() -> ModelFile.fromBytes(JSON.writeValueAsBytes(root), "v2.json"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("quantiles need format version 3");
    }

    @Test
    void anUndefinedMetricIsWrittenAsNullAndReadBackAsNaN() throws IOException {
        // Given a model whose test part held no fraud: its PR-AUC is not defined (NaN), as is a provenance figure
        ModelBundle f = ModelFixtures.bundle(8);
        java.util.Map<String, java.util.Map<String, Double>> metrics = new java.util.LinkedHashMap<>(f.metrics());
        metrics.put("test", java.util.Map.of("pr_auc", Double.NaN, "roc_auc", Double.POSITIVE_INFINITY, "f1", 0.5));
        java.util.Map<String, Object> provenance = new java.util.LinkedHashMap<>(f.provenance());
        provenance.put("someRate", Double.NaN);
        ModelBundle m = new ModelBundle(f.modelVersion(), f.createdAt(), f.schema(), f.preprocessing(), f.members(),
                f.threshold(), f.seed(), metrics, f.hyperparameters(), provenance, f.monitoring(), null);
        Path file = dir.resolve("m.json");

        // When it is written and read back
        ModelFile.write(m, file);
        ModelBundle loaded = ModelFile.read(file);

        // Then the file is strict JSON with nulls, it verifies, and the metrics are NaN again
        String text = Files.readString(file);
        assertThat(text).doesNotContain("NaN").doesNotContain("Infinity");
        assertThat(JSON.readTree(text).at("/model/metrics/test/pr_auc").isNull()).isTrue();
        assertThat(loaded.metrics().get("test").get("pr_auc")).isNaN();
        assertThat(loaded.metrics().get("test").get("roc_auc")).isNaN();
        assertThat(loaded.metrics().get("test").get("f1")).isEqualTo(0.5);
        assertThat(loaded.provenance()).containsEntry("someRate", null);
        assertThat(loaded.sha256()).isEqualTo(m.sealed().sha256());
    }

    @Test
    void writingTheSameBundleTwiceGivesTheSameChecksum() {
        ModelBundle m = ModelFixtures.bundle(5);
        assertThat(ModelFile.toBytes(m)).isEqualTo(ModelFile.toBytes(m));
        assertThat(ModelFile.fromBytes(ModelFile.toBytes(m), "x").sha256())
                .isNotEqualTo(ModelFile.fromBytes(ModelFile.toBytes(ModelFixtures.bundle(6)), "y").sha256());
    }

    @Test
    void refusesATruncatedFile() {
        byte[] good = ModelFile.toBytes(ModelFixtures.bundle(1));
        for (int cut : new int[] {0, 1, 100, good.length / 2, good.length - 2}) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThatThrownBy(() -> ModelFile.fromBytes(truncated, "t.json"))
                    .isInstanceOf(ModelFormatException.class).hasMessageContaining("t.json");
        }
    }

    @Test
    void refusesATamperedWeightWithAChecksumMessage() throws IOException {
        byte[] bad = edit(ModelFixtures.bundle(1), m -> {
            ArrayNode row = (ArrayNode) m.at("/members/0/layers/0/weights/3");
            row.set(2, row.get(2).doubleValue() + 1e-9);
        }, false);
        assertThatThrownBy(() -> ModelFile.fromBytes(bad, "tampered.json"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("checksum");
    }

    @Test
    void refusesABitFlip() {
        byte[] good = ModelFile.toBytes(ModelFixtures.bundle(2));
        String text = new String(good, StandardCharsets.UTF_8);
        int at = text.indexOf("\"threshold\"");
        int digit = at;
        while (!Character.isDigit(text.charAt(digit))) {
            digit++;
        }
        byte[] flipped = good.clone();
        flipped[digit] ^= 0x01; // a digit becomes another digit: still valid JSON, different content
        assertThatThrownBy(() -> ModelFile.fromBytes(flipped, "flip.json"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("checksum");
    }

    @Test
    void refusesAnUnknownFormatVersion() throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(ModelFile.toBytes(ModelFixtures.bundle(1)));
        root.put("formatVersion", 4);
        assertThatThrownBy(() -> ModelFile.fromBytes(JSON.writeValueAsBytes(root), "v3.json"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("format version 4")
                .hasMessageContaining("reads versions 1 to 3");
    }

    @Test
    void refusesAnActivationItDoesNotKnowAsAModelFromANewerBuild() throws IOException {
        // re-checksummed: a newer build's activation needs no new format version, so only the name tells
        byte[] newer = edit(ModelFixtures.bundle(1), m -> ((ObjectNode) m.at("/members/0/layers/0"))
                .put("activation", "elu"), true);
        assertThatThrownBy(() -> ModelFile.fromBytes(newer, "newer.json")).isInstanceOf(ModelFormatException.class)
                .hasMessage("model newer.json: member 0: layer 0 has activation 'elu', which this build does not "
                        + "know (one of relu, leaky_relu, sigmoid, tanh, linear): a model from a newer build?");
    }

    @Test
    void refusesAFileOfAnotherFormat() {
        assertThatThrownBy(() -> ModelFile.fromBytes("{\"hello\": 1}".getBytes(StandardCharsets.UTF_8), "o.json"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("not a fraud-scorer-model file");
        assertThatThrownBy(() -> ModelFile.fromBytes("[1,2]".getBytes(StandardCharsets.UTF_8), "a.json"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("not a JSON object");
    }

    @Test
    void refusesShapesThatDisagreeEvenWithAValidChecksum() throws IOException {
        // Re-signed files: the checksum matches, so only the shape checks can catch these.
        byte[] missingRow = edit(ModelFixtures.bundle(1), m -> ((ArrayNode) m.at("/members/0/layers/1/weights")).remove(0), true);
        assertThatThrownBy(() -> ModelFile.fromBytes(missingRow, "r.json")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("layer 1 weights have 15 rows, expected 16");
        byte[] shortRow = edit(ModelFixtures.bundle(1), m -> ((ArrayNode) m.at("/members/0/layers/0/weights/0")).remove(0), true);
        assertThatThrownBy(() -> ModelFile.fromBytes(shortRow, "s.json")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("layer 0 weight row 0 has 28 values, expected 29");
        byte[] sizes = edit(ModelFixtures.bundle(1), m -> ((ArrayNode) m.at("/members/0/sizes")).set(1, 17), true);
        assertThatThrownBy(() -> ModelFile.fromBytes(sizes, "z.json")).isInstanceOf(ModelFormatException.class);
        byte[] means = edit(ModelFixtures.bundle(1), m -> ((ArrayNode) m.at("/preprocessing/means")).remove(0), true);
        assertThatThrownBy(() -> ModelFile.fromBytes(means, "p.json")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("29 means");
        byte[] schema = edit(ModelFixtures.bundle(1), m -> ((ArrayNode) m.at("/schema/features")).remove(3), true);
        assertThatThrownBy(() -> ModelFile.fromBytes(schema, "f.json")).isInstanceOf(ModelFormatException.class);
        // values a lenient reader turned into others: a size of 29.7 read as 29, a dropout "abc" as 0
        byte[] fraction = edit(ModelFixtures.bundle(1), m -> ((ArrayNode) m.at("/members/0/sizes")).set(1, 16.7), true);
        assertThatThrownBy(() -> ModelFile.fromBytes(fraction, "q.json")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("network size 1 must be a positive integer, got 16.7");
        byte[] dropout = edit(ModelFixtures.bundle(1), m -> ((ObjectNode) m.at("/members/0")).put("dropout", "abc"),
                true);
        assertThatThrownBy(() -> ModelFile.fromBytes(dropout, "d.json")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("dropout must be a number, got \"abc\"");
        // a version that labels every metric and record is bounded (900,000 characters verified and grew /metrics)
        byte[] longVersion = edit(ModelFixtures.bundle(1), m -> m.put("modelVersion", "v".repeat(129)), true);
        assertThatThrownBy(() -> ModelFile.fromBytes(longVersion, "l.json")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model version must be at most 128 characters");
        byte[] controlVersion = edit(ModelFixtures.bundle(1), m -> m.put("modelVersion", "v1\u001b[2J"), true);
        assertThatThrownBy(() -> ModelFile.fromBytes(controlVersion, "c.json")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("without control characters");
        assertThat(ModelFile.fromBytes(edit(ModelFixtures.bundle(1), m -> m.put("modelVersion", "v".repeat(128)),
                true), "ok.json").modelVersion()).hasSize(128);
    }

    @Test
    void refusesARawEventSchemaNameOverOtherFeaturesThanThisBuildComputes() throws IOException {
        // The scorer computes handbook-v2's features with its own engine whatever the file lists: a file naming it
        // over another feature list (here the creditcard one, re-signed) would feed its network the wrong inputs.
        byte[] renamed = edit(ModelFixtures.bundle(1), m -> ((ObjectNode) m.get("schema")).put("name", "handbook-v2"),
                true);
        assertThatThrownBy(() -> ModelFile.fromBytes(renamed, "h.json")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("schema \"handbook-v2\" lists other features than this build's handbook-v2")
                .hasMessageContaining("its network expects V1, V2");
    }

    @Test
    void namesANaNTokenClearly() {
        String text = new String(ModelFile.toBytes(ModelFixtures.bundle(1)), java.nio.charset.StandardCharsets.UTF_8);
        for (String token : java.util.List.of("NaN", "Infinity", "-Infinity")) {
            byte[] bad = text.replaceFirst("(\"weights\"\\s*:\\s*\\[\\s*\\[\\s*)[-0-9.eE+]+", "$1" + token)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThatThrownBy(() -> ModelFile.fromBytes(bad, "nan.json")).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("model nan.json holds a non-finite number (" + token + ") at line")
                    .hasMessageNotContaining("JsonReadFeature");
        }
    }

    @Test
    void refusesNonFiniteAndNonNumericWeights() throws IOException {
        byte[] text = edit(ModelFixtures.bundle(1), m -> ((ArrayNode) m.at("/members/0/layers/0/weights/0")).set(0, "NaN"), true);
        assertThatThrownBy(() -> ModelFile.fromBytes(text, "n.json")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("weight must be a number");
        byte[] huge = edit(ModelFixtures.bundle(1), m -> ((ArrayNode) m.at("/members/0/layers/0/weights/0"))
                .set(0, new java.math.BigDecimal("1e400")), true);
        assertThatThrownBy(() -> ModelFile.fromBytes(huge, "h.json")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not finite");
    }

    @Test
    void refusesToWriteANetworkWithNaNWeights() {
        ModelBundle m = ModelFixtures.bundle(1);
        m.network().denseLayers().get(0).weights()[0] = Double.NaN;
        assertThatThrownBy(() -> ModelFile.toBytes(m)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-finite");
    }

    @Test
    void refusesAbsurdlyLargeFilesBeforeReadingThem() throws IOException {
        Path big = dir.resolve("big.json");
        try (var ch = Files.newByteChannel(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
            ch.position(ModelFile.MAX_BYTES + 1);
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {' '}));
        }
        assertThatThrownBy(() -> ModelFile.read(big)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("over the limit");
    }

    @Test
    void refusesLayerSizesWhoseParameterCountWouldWrapAroundBeforeAllocatingAnything() throws IOException {
        // Three layers of about 2^62 weights each sum past Long.MAX_VALUE to a negative count: a total checked
        // after the sum let this through, and the first layer's 2^31 weights were then allocated (OutOfMemoryError)
        byte[] wraps = edit(ModelFixtures.bundle(1), m -> {
            ObjectNode member = (ObjectNode) m.at("/members/0");
            ArrayNode sizes = member.putArray("sizes");
            for (int n : new int[] {46_340, 46_340, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
                    Integer.MAX_VALUE, 1}) {
                sizes.add(n);
            }
            ArrayNode layers = member.putArray("layers");
            for (int l = 0; l < 6; l++) {
                layers.addObject().put("activation", "relu");
            }
        }, true);
        assertThatThrownBy(() -> ModelFile.fromBytes(wraps, "wraps")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("parameters").hasMessageContaining("over the limit of " + ModelFile.MAX_PARAMETERS);
    }

    @Test
    void refusesAMissingFileClearly() {
        assertThatThrownBy(() -> ModelFile.read(dir.resolve("nope.json"))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> ModelFile.read(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessage("model file " + dir + " is a directory: name the model's .json file");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("org.fraudscorer.common.model.BadModelFiles#corpus")
    void refusesEveryKindOfTheBadFileCorpus(BadModelFiles.Case bad) {
        byte[] content = bad.content().get();
        assertThat(content).isNotEqualTo(BadModelFiles.good());
        assertThatThrownBy(() -> ModelFile.fromBytes(content, bad.name())).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("model ").hasMessageContaining(bad.refusal());
    }

    /** Applies an edit to the "model" object; with resign, recomputes the checksum so only deeper checks can refuse. */
    private static byte[] edit(ModelBundle b, Consumer<ObjectNode> change, boolean resign) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(ModelFile.toBytes(b));
        ObjectNode model = (ObjectNode) root.get("model");
        change.accept(model);
        if (resign) {
            root.put("sha256", ModelFile.sha256(model));
        }
        return JSON.writeValueAsBytes(root);
    }

    /** A model given through a pipe ({@code publish --model /dev/stdin}) has no size: it is read whole, bounded. */
    @Test
    void aModelFileThatIsAPipeIsReadWhole() throws Exception {
        Path fifo = dir.resolve("model.fifo");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
                "mkfifo is not available here");
        byte[] model = ModelFile.toBytes(ModelFixtures.bundle(3));
        Thread writer = new Thread(() -> {
            try {
                java.nio.file.Files.write(fifo, model);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        assertThat(ModelFile.readBounded(fifo)).isEqualTo(model);
        writer.join(10_000);
    }
}
