package org.fraudscorer.scorer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.fraudscorer.common.model.ModelBundle;
import org.junit.jupiter.api.Test;

/**
 * The hand-written record writer against an independent rendering of the same record by Jackson's generator (the
 * writer's former implementation): byte-for-byte equal, over ids that need escaping, awkward doubles, compact and
 * full records, flagged records with their top features and raw-path records with their feature vector.
 */
class ScoredRecordWriterTest {
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
    private static final ModelBundle PLAIN = FraudTopologyTest.modelWithThreshold(5, new double[][] {new double[30]}, 0.5);
    /** The same model under a version that needs escaping and is not ASCII: the once-per-model fields. */
    private static final ModelBundle ODD_VERSION = new ModelBundle("v\"2\\ é 日", PLAIN.createdAt(), PLAIN.schema(),
            PLAIN.preprocessing(), PLAIN.network(), PLAIN.threshold(), PLAIN.seed(), PLAIN.metrics(),
            PLAIN.hyperparameters(), PLAIN.provenance(), PLAIN.sha256());
    private static final List<String> NAMES = PLAIN.schema().featureNames();

    private static final String[] IDS = {null, "tx-1", "", "quote\"back\\slash", "tab\there", "ctrl\u0001", "é-ünïcode",
        "日本", "emoji \uD83D\uDE00", "/slash</script>", "\u007f"};
    private static final double[] DOUBLES = {0.0, -0.0, 1.0, 0.1, 1e-300, Double.MIN_VALUE, 0.5000000000000001,
        1.0 / 3, 123456789.125, -2.5e-7, Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY};

    @Test
    void writesExactlyWhatJacksonsGeneratorWrites() throws IOException {
        writesExactlyWhatJacksonsGeneratorWrites(PLAIN);
        writesExactlyWhatJacksonsGeneratorWrites(ODD_VERSION);
    }

    private void writesExactlyWhatJacksonsGeneratorWrites(ModelBundle model) throws IOException {
        ScoredRecordWriter writer = new ScoredRecordWriter();
        SplittableRandom random = new SplittableRandom(3);
        int n = NAMES.size();
        int checked = 0;
        for (String id : IDS) {
            for (double p : DOUBLES) {
                for (int variant = 0; variant < 4; variant++) {
                    boolean flagged = (variant & 1) == 1;
                    boolean withEvent = variant != 2;
                    byte[] raw = ("{\"id\":" + (id == null ? "1" : "\"x\"") + ",\"V1\":" + random.nextDouble() + "}")
                            .getBytes(StandardCharsets.UTF_8);
                    double[] features = random.doubles(n, -5, 5).toArray();
                    double[] contributions = random.doubles(n, -1, 1).toArray();
                    contributions[random.nextInt(n)] = p; // the awkward values in every position, sometimes
                    int[] top = {random.nextInt(n), random.nextInt(n), random.nextInt(n)};
                    int topCount = random.nextInt(4);
                    double[] inputFeatures = variant == 3 ? random.doubles(n, -1e6, 1e6).toArray() : null;
                    long scoredAt = 1_700_000_000_000L + random.nextInt(1_000_000);
                    long eventTs = variant == 0 ? -1 : scoredAt - random.nextInt(5000);

                    byte[] ours = writer.write(new ScoredRecordWriter.Scored().event(raw, withEvent)
                            .decision(id, p, flagged, model).times(scoredAt, eventTs)
                            .explanation(NAMES, features, contributions, top, topCount).inputFeatures(inputFeatures));
                    byte[] expected = jackson(model, raw, withEvent, id, p, flagged, scoredAt, eventTs, features,
                            contributions, top, topCount, inputFeatures);
                    assertThat(ours).withFailMessage("id %s, p %s, variant %d:%n ours     %s%n expected %s", id, p,
                            variant, new String(ours, StandardCharsets.UTF_8), new String(expected, StandardCharsets.UTF_8))
                            .isEqualTo(expected);
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(IDS.length * DOUBLES.length * 4);
    }

    @Test
    void readsBackWithTheEventIntactAndDoublesBitExact() throws IOException {
        ScoredRecordWriter writer = new ScoredRecordWriter();
        byte[] raw = "{\"id\":\"a\\\"b\",\"V1\":-1.25}".getBytes(StandardCharsets.UTF_8);
        double p = 0.1 + 0.2;
        ScoredRecordWriter.Scored r = new ScoredRecordWriter.Scored();
        byte[] out = writer.write(r.event(raw, true).decision("a\"b", p, false, ODD_VERSION)
                .times(1_700_000_000_123L, 1_700_000_000_000L)
                .explanation(NAMES, new double[NAMES.size()], new double[NAMES.size()], new int[3], 0).inputFeatures(null));
        JsonNode n = new ObjectMapper().readTree(out);
        assertThat(n.get("event")).isEqualTo(new ObjectMapper().readTree(raw));
        assertThat(n.get("id").asText()).isEqualTo("a\"b");
        assertThat(Double.doubleToLongBits(n.get("probability").asDouble())).isEqualTo(Double.doubleToLongBits(p));
        assertThat(n.get("decision").asText()).isEqualTo("CLEAN");
        assertThat(n.get("modelVersion").asText()).isEqualTo("v\"2\\ é 日");
        assertThat(n.has("scoredAt")).as("epoch ms only, no ISO copy").isFalse();
        assertThat(n.get("scoredAtMs").asLong()).isEqualTo(1_700_000_000_123L);
        // The buffer is reused: a shorter record after a longer one carries nothing over.
        byte[] second = writer.write(r.event(raw, false).decision(null, 0.5, false, ODD_VERSION).times(1L, 1L));
        assertThat(new ObjectMapper().readTree(second).has("event")).isFalse();
        assertThat(second.length).isLessThan(out.length);
    }

    /** The record as the writer's former, generator-based implementation wrote it. */
    private static byte[] jackson(ModelBundle model, byte[] raw, boolean withEvent, String id, double p, boolean flagged, long scoredAt,
                                  long eventTs, double[] features, double[] contributions, int[] top, int topCount,
                                  double[] inputFeatures) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            if (withEvent) {
                g.writeFieldName("event");
                g.writeRawValue(new String(raw, StandardCharsets.UTF_8));
            }
            if (id != null) {
                g.writeStringField("id", id);
            } else {
                g.writeNullField("id");
            }
            g.writeNumberField("probability", p);
            g.writeNumberField("threshold", model.threshold().value());
            g.writeStringField("decision", flagged ? "FLAGGED" : "CLEAN");
            g.writeStringField("modelVersion", model.modelVersion());
            g.writeStringField("modelSha256", model.sha256());
            g.writeNumberField("scoredAtMs", scoredAt);
            g.writeNumberField("eventTimestampMs", eventTs);
            if (inputFeatures != null) {
                g.writeArrayFieldStart("features");
                for (double v : inputFeatures) {
                    g.writeNumber(v);
                }
                g.writeEndArray();
            }
            if (flagged && topCount > 0) {
                g.writeArrayFieldStart("topFeatures");
                for (int k = 0; k < topCount; k++) {
                    g.writeStartObject();
                    g.writeStringField("feature", NAMES.get(top[k]));
                    g.writeNumberField("contribution", contributions[top[k]]);
                    g.writeNumberField("standardisedValue", features[top[k]]);
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
