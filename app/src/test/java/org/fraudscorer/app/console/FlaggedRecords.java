package org.fraudscorer.app.console;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.scorer.serde.RawEventJson;
import org.fraudscorer.scorer.serde.TransactionJson;
import org.fraudscorer.scorer.topology.ScoredRecordWriter;

/** Flagged records in the scorer's exact output format, written by the scorer's own {@link ScoredRecordWriter}. */
final class FlaggedRecords {
    static final ModelBundle MODEL = ModelFixtures.bundle(3).sealed();
    private static final List<String> NAMES = FeatureSchema.CREDITCARD.inputFields();

    private FlaggedRecords() {
    }

    /**
     * When the records made without a time were scored: in the past (2023-11-14), as a console's clock sees a
     * scorer's alerts (one far ahead of its clock is not held).
     */
    static final long SCORED_AT = 1_700_000_000_000L;

    /** A flagged creditcard event with this id and probability; its top features are V1, V2 and Amount. */
    static byte[] creditcard(String id, double probability) {
        return creditcard(id, probability, SCORED_AT);
    }

    /** As {@link #creditcard(String, double)}, scored at {@code scoredAtMs}. */
    static byte[] creditcard(String id, double probability, long scoredAtMs) {
        double[] row = ModelFixtures.transactions(1, id.hashCode())[0];
        return write(TransactionJson.write(FeatureSchema.CREDITCARD, id, row, null), id, probability, scoredAtMs);
    }

    /** A flagged raw payment event. */
    static byte[] raw(long id, long epochSeconds, long card, long terminal, double amount, double probability) {
        return write(RawEventJson.event(id, epochSeconds, card, terminal, amount), Long.toString(id), probability,
                SCORED_AT);
    }

    private static byte[] write(byte[] event, String id, double probability, long scoredAtMs) {
        int n = NAMES.size();
        double[] contributions = new double[n];
        contributions[1] = 0.9;
        contributions[2] = -0.3;
        contributions[n - 1] = 0.5;
        return new ScoredRecordWriter().write(new ScoredRecordWriter.Scored()
                .event(event, true)
                .decision(id, probability, true, MODEL)
                .times(scoredAtMs, scoredAtMs)
                .explanation(NAMES, new double[n], contributions, new int[] {1, n - 1, 2}, 3)
                .inputFeatures(null));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
