package org.fraudscorer.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A model file written by format version 1 (one network) is kept under test resources and must keep loading, with
 * the same checksum and the same predictions (to 1e-12), in every later build. This build writes version 2, so the
 * file cannot be regenerated; {@code -Dgolden.regenerate=true} rewrites only the expected predictions.
 */
class GoldenModelFileTest {
    private static final String MODEL = "/golden/model-format-v1.json";
    private static final String EXPECTED = "/golden/model-format-v1-predictions.csv";
    /** The checksum the file declares and the content hashes to (as computed when the file was written). */
    private static final String GOLDEN_SHA256 = "f30fed1bfd2687138608b8e7aa3b34b9e22698f43ba650a7a74039d9b251538a";

    @Test
    void modelFileWrittenByFormatVersion1StillLoadsAndPredictsTheSame() throws IOException {
        byte[] file;
        try (InputStream in = GoldenModelFileTest.class.getResourceAsStream(MODEL)) {
            file = in.readAllBytes();
        }
        assertThat(new String(file, StandardCharsets.UTF_8)).contains("\"formatVersion\" : 1").contains("\"network\"");
        // The same checksum: the one the file declares, and the one its model body hashes to in this build
        com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file);
        assertThat(root.get("sha256").asText()).as("declared checksum").isEqualTo(GOLDEN_SHA256);
        assertThat(ModelFile.sha256(root.get("model"))).as("checksum of the model body").isEqualTo(GOLDEN_SHA256);
        ModelBundle m = ModelFile.fromBytes(file, MODEL);
        if (Boolean.getBoolean("golden.regenerate")) {
            regenerate(m, Path.of("src/test/resources/golden"));
        }
        assertThat(m.modelVersion()).isEqualTo("golden-format-v1");
        assertThat(m.sha256()).isEqualTo(GOLDEN_SHA256);
        assertThat(m.members()).hasSize(1);
        assertThat(m.network().sizes()).containsExactly(29, 16, 16, 1);
        Path copy = Files.createTempFile("golden", ".json");
        try {
            Files.write(copy, file);
            ModelFile.Loaded loaded = ModelFile.load(copy);
            assertThat(loaded.formatVersion()).as("the version the file declared, read with it").isEqualTo(1);
            assertThat(loaded.bundle().sha256()).isEqualTo(GOLDEN_SHA256);
        } finally {
            Files.delete(copy);
        }
        List<String> lines;
        try (InputStream in = GoldenModelFileTest.class.getResourceAsStream(EXPECTED)) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        assertThat(lines).hasSize(21);
        ModelScorer s = m.newScorer();
        double[][] rows = ModelFixtures.transactions(20, 77);
        for (int i = 0; i < 20; i++) {
            String[] f = lines.get(i + 1).split(",");
            assertThat(Integer.parseInt(f[0])).isEqualTo(i);
            assertThat(s.probability(rows[i])).isCloseTo(Double.parseDouble(f[1]), within(1e-12));
            assertThat(s.flagged(s.probability(rows[i]))).isEqualTo(f[2].equals("1"));
        }
    }

    private static void regenerate(ModelBundle golden, Path dir) throws IOException {
        ModelScorer s = golden.newScorer();
        StringBuilder csv = new StringBuilder("row,probability,flagged\n");
        double[][] rows = ModelFixtures.transactions(20, 77);
        for (int i = 0; i < rows.length; i++) {
            double p = s.probability(rows[i]);
            csv.append(String.format(Locale.ROOT, "%d,%s,%d%n", i, Double.toString(p), s.flagged(p) ? 1 : 0));
        }
        Files.writeString(dir.resolve("model-format-v1-predictions.csv"), csv.toString());
    }
}
