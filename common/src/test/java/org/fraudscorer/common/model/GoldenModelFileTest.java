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
 * A model file written by format version 1 is kept under test resources and must keep loading, with the same
 * checksum and the same predictions (to 1e-12), in every later build. Regenerate only on purpose, when the format
 * version changes: {@code mvn -pl common test -Dtest=GoldenModelFileTest -Dgolden.regenerate=true}.
 */
class GoldenModelFileTest {
    private static final String MODEL = "/golden/model-format-v1.json";
    private static final String EXPECTED = "/golden/model-format-v1-predictions.csv";

    @Test
    void modelFileWrittenByFormatVersion1StillLoadsAndPredictsTheSame() throws IOException {
        if (Boolean.getBoolean("golden.regenerate")) {
            regenerate(Path.of("src/test/resources/golden"));
        }
        byte[] file;
        try (InputStream in = GoldenModelFileTest.class.getResourceAsStream(MODEL)) {
            file = in.readAllBytes();
        }
        ModelBundle m = ModelFile.fromBytes(file, MODEL);
        assertThat(m.modelVersion()).isEqualTo("golden-format-v1");
        assertThat(m.network().sizes()).containsExactly(29, 16, 16, 1);
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

    private static void regenerate(Path dir) throws IOException {
        ModelBundle b = ModelFixtures.bundle(2026);
        ModelBundle golden = new ModelBundle("golden-format-v1", b.createdAt(), b.schema(), b.preprocessing(),
                b.network(), new ThresholdInfo(0.5, "fixed"), b.seed(), b.metrics(), b.hyperparameters(),
                b.provenance(), null);
        Files.createDirectories(dir);
        ModelBundle written = ModelFile.write(golden, dir.resolve("model-format-v1.json"));
        ModelScorer s = written.newScorer();
        StringBuilder csv = new StringBuilder("row,probability,flagged\n");
        double[][] rows = ModelFixtures.transactions(20, 77);
        for (int i = 0; i < rows.length; i++) {
            double p = s.probability(rows[i]);
            csv.append(String.format(Locale.ROOT, "%d,%s,%d%n", i, Double.toString(p), s.flagged(p) ? 1 : 0));
        }
        Files.writeString(dir.resolve("model-format-v1-predictions.csv"), csv.toString());
    }
}
