package org.fraudscorer.scorer.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.common.model.ModelScorer;
import org.fraudscorer.common.model.ThresholdInfo;
import org.fraudscorer.scorer.serde.RejectReason;
import org.fraudscorer.scorer.serde.TransactionJson;
import org.fraudscorer.scorer.serde.TransactionParser;

/** Made-up events (good and bad) and models for the real-broker tests. */
final class ItEvents {
    static final FeatureSchema SCHEMA = FeatureSchema.CREDITCARD;

    /**
     * One input event. The Kafka key is always {@link #id}, so every event — even one whose value is null or not
     * UTF-8 — can be found again in the outputs (the topology keeps the key).
     *
     * @param row            the input vector of a good event (null for a bad one)
     * @param expectedReason the dead-letter reason a bad event must get (null for a good one)
     */
    record Event(String id, byte[] value, double[] row, String expectedReason) {
        boolean good() {
            return expectedReason == null;
        }
    }

    private ItEvents() {
    }

    /** Good events: made-up transactions written exactly as producers write them, ids {@code <prefix>-<n>}. */
    static List<Event> good(String prefix, int n, long seed) {
        double[][] rows = ModelFixtures.transactions(n, seed);
        List<Event> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i;
            out.add(new Event(id, TransactionJson.write(SCHEMA, id, rows[i], null), rows[i], null));
        }
        return out;
    }

    /** The kinds of bad events produced by {@link #bad}, each with the reason the parser must give. */
    static final List<RejectReason> BAD_KINDS = List.of(RejectReason.MALFORMED_JSON, RejectReason.MISSING_FIELD,
            RejectReason.NOT_FINITE, RejectReason.OUT_OF_RANGE, RejectReason.NOT_UTF8, RejectReason.NULL_VALUE,
            RejectReason.OVERSIZE, RejectReason.EMPTY, RejectReason.NOT_AN_OBJECT, RejectReason.WRONG_TYPE,
            RejectReason.UNKNOWN_FIELD, RejectReason.DUPLICATE_FIELD, RejectReason.TRAILING_DATA);

    /** {@code n} bad events cycling through {@link #BAD_KINDS}, derived from good ones, ids {@code <prefix>-<n>}. */
    static List<Event> bad(String prefix, int n, long seed) {
        double[][] rows = ModelFixtures.transactions(n, seed);
        List<Event> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i;
            RejectReason kind = BAD_KINDS.get(i % BAD_KINDS.size());
            String json = new String(TransactionJson.write(SCHEMA, id, rows[i], null), StandardCharsets.UTF_8);
            byte[] value = switch (kind) {
                case MALFORMED_JSON -> utf8(json.substring(0, json.length() / 2));
                case MISSING_FIELD -> utf8(json.replaceFirst(",\"V7\":[^,}]+", ""));
                case NOT_FINITE -> utf8(json.replaceFirst("\"V3\":[^,}]+", "\"V3\":NaN"));
                case OUT_OF_RANGE -> utf8(json.replaceFirst("\"Amount\":[^,}]+", "\"Amount\":-12.5"));
                case NOT_UTF8 -> {
                    byte[] b = utf8(json.replaceFirst("\"id\":\"[^\"]*\"", "\"id\":\"xx\""));
                    b[7] = (byte) 0xC3; // {"id":"xx" → a lead byte followed by a non-continuation byte
                    b[8] = (byte) 0x28;
                    yield b;
                }
                case NULL_VALUE -> null;
                case OVERSIZE -> utf8(json + " ".repeat(TransactionParser.DEFAULT_MAX_BYTES));
                case EMPTY -> new byte[0];
                case NOT_AN_OBJECT -> utf8(Arrays.toString(rows[i]));
                case WRONG_TYPE -> utf8(json.replaceFirst("\"V5\":([^,}]+)", "\"V5\":\"$1\""));
                case UNKNOWN_FIELD -> utf8(json.replaceFirst("}$", ",\"merchant\":\"acme\"}"));
                case DUPLICATE_FIELD -> utf8(json.replaceFirst("}$", ",\"V2\":1.0}"));
                case TRAILING_DATA -> utf8(json + json);
                default -> throw new IllegalStateException(kind.name());
            };
            out.add(new Event(id, value, null, kind.code()));
        }
        return out;
    }

    /**
     * A fixture model whose threshold flags about {@code flagShare} of {@code rows}: the threshold is the
     * corresponding quantile of the offline probabilities. Returned as read back from its file bytes, so it has
     * its sha256 exactly as a scorer loading the file would.
     */
    static ModelBundle model(String version, long seed, double[][] rows, double flagShare) {
        ModelBundle b = ModelFixtures.bundle(seed);
        ModelScorer s = b.newScorer();
        double[] p = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            p[i] = s.probability(rows[i]);
        }
        Arrays.sort(p);
        double threshold = p[(int) Math.floor((1 - flagShare) * (p.length - 1))];
        ModelBundle withThreshold = new ModelBundle(version, b.createdAt(), b.schema(), b.preprocessing(), b.network(),
                new ThresholdInfo(threshold, "it-quantile"), b.seed(), b.metrics(), b.hyperparameters(),
                b.provenance(), null);
        return withThreshold.sealed();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
