package org.fraudscorer.scorer.topology;

import org.fraudscorer.common.model.ModelBundle;

/**
 * Serialises a shadow record: the event's id and times, then the champion's and the challenger's probability,
 * threshold, decision, model version and checksum (the same field names as a scored record), and whether they agree:
 * <pre>
 * {"id":"42","eventTimestampMs":…,"scoredAtMs":…,
 *  "champion":{"probability":0.91,"threshold":0.5,"decision":"FLAGGED","modelVersion":"v1","modelSha256":"…"},
 *  "challenger":{"probability":0.42,"threshold":0.6,"decision":"CLEAN","modelVersion":"v2","modelSha256":"…"},
 *  "agree":false}
 * </pre>
 * The fields fixed by a model are rendered once per model ({@link ModelFields}). One writer per processor: its buffer is reused.
 */
final class ShadowRecordWriter {
    private static final byte[] ID_FIELD = JsonBytes.ascii("{\"id\":");
    private static final byte[] EVENT_TIMESTAMP_FIELD = JsonBytes.ascii(",\"eventTimestampMs\":");
    private static final byte[] SCORED_AT_MS_FIELD = JsonBytes.ascii(",\"scoredAtMs\":");
    private static final byte[] CHAMPION_FIELD = JsonBytes.ascii(",\"champion\":{\"probability\":");
    private static final byte[] CHALLENGER_FIELD = JsonBytes.ascii("},\"challenger\":{\"probability\":");
    private static final byte[] AGREE = JsonBytes.ascii("},\"agree\":true}");
    private static final byte[] DISAGREE = JsonBytes.ascii("},\"agree\":false}");

    private final JsonBytes out = new JsonBytes();
    private final ModelFields champion = new ModelFields();
    private final ModelFields challenger = new ModelFields();

    byte[] write(String id, long eventTimestampMs, long scoredAtMs, ModelBundle championModel, double championP,
                 boolean championFlagged, ModelBundle challengerModel, double challengerP, boolean challengerFlagged) {
        out.reset();
        out.put(ID_FIELD);
        out.putString(id);
        out.put(EVENT_TIMESTAMP_FIELD);
        out.putLong(eventTimestampMs);
        out.put(SCORED_AT_MS_FIELD);
        out.putLong(scoredAtMs);
        out.put(CHAMPION_FIELD);
        out.putDouble(championP);
        out.put(champion.of(championModel, Decision.of(championFlagged)));
        out.put(CHALLENGER_FIELD);
        out.putDouble(challengerP);
        out.put(challenger.of(challengerModel, Decision.of(challengerFlagged)));
        out.put(championFlagged == challengerFlagged ? AGREE : DISAGREE);
        return out.toArray();
    }
}
