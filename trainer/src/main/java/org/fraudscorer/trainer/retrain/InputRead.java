package org.fraudscorer.trainer.retrain;

import java.util.Map;
import org.fraudscorer.trainer.train.Provenance;

/**
 * Where creditcard rows read back from the topics came from: on the input topic, the end offsets per partition the
 * read went to and the places of each row's events; on the labels topic, the same for the rows' labels. A model fitted
 * on the rows records both topics and their end offsets in its provenance ({@link #provenance}); a next retrain tells
 * by them which of its window's rows that model may have been fit on ({@link #seen}). Creditcard {@code Time} is no
 * date, so the offsets are the only order both runs share.
 *
 * @param topic      the input topic
 * @param endOffsets its end offsets per partition when the read started: the read took the records below them
 * @param positions  per row of the rows read (in their order), the partition and offset of the first event of its id on
 *                   each partition the id came on: {@code {partition, offset, partition, offset, …}}
 * @param labels     the same of the labels topic (each row's first label record on each partition), or null when not
 *                   known
 */
public record InputRead(String topic, Map<Integer, Long> endOffsets, long[][] positions, Labels labels) {

    /**
     * @param topic      the labels topic
     * @param endOffsets its end offsets per partition when the read started
     * @param positions  per row, the partition and offset of the first label record of its id on each partition
     */
    public record Labels(String topic, Map<Integer, Long> endOffsets, long[][] positions) {
    }

    /** The provenance entries of a model fitted on these rows. */
    public Map<String, Object> provenance() {
        return Provenance.inputRead(topic, endOffsets, labels == null ? null : labels.topic(),
                labels == null ? null : labels.endOffsets());
    }

    /**
     * Whether a model whose rows were read to {@code ends} (the same topic's end offsets, from its provenance) and
     * whose labels were read to {@code labelEnds} (the labels topic's, null when its provenance does not say) may
     * have been fit on row {@code row}: an event of its id was on the input topic below {@code ends}, and a label of
     * it on the labels topic below {@code labelEnds}. Conservative: such a read saw the id and a label of it (perhaps
     * corrected since); a row whose id, or whose every label, came only later cannot have been in it. Without
     * {@code labelEnds} (a champion from before they were recorded, or this read's labels not known) the event alone
     * decides.
     */
    public boolean seen(int row, Map<Integer, Long> ends, Map<Integer, Long> labelEnds) {
        return below(positions[row], ends)
                && (labelEnds == null || labels == null || below(labels.positions()[row], labelEnds));
    }

    private static boolean below(long[] p, Map<Integer, Long> ends) {
        for (int i = 0; i < p.length; i += 2) {
            Long end = ends.get((int) p[i]);
            if (end != null && p[i + 1] < end) {
                return true;
            }
        }
        return false;
    }
}
