package org.fraudscorer.trainer.retrain;

import java.util.Map;
import org.fraudscorer.trainer.train.Provenance;

/**
 * Where creditcard rows read back from the topics came from on the input topic: the end offsets per partition the
 * read went to, and the places of each row's events. A model fitted on the rows records the topic and its end offsets
 * in its provenance ({@link #provenance}); a next retrain tells by them which of its window's rows that model may have
 * been fit on ({@link #seen}). Creditcard {@code Time} is no date, so the offsets are the only order both runs share.
 *
 * @param topic      the input topic
 * @param endOffsets its end offsets per partition when the read started: the read took the records below them
 * @param positions  per row of the rows read (in their order), the partition and offset of the first event of its id on
 *                   each partition the id came on: {@code {partition, offset, partition, offset, …}}
 */
public record InputRead(String topic, Map<Integer, Long> endOffsets, long[][] positions) {

    /** The provenance entries of a model fitted on these rows. */
    public Map<String, Object> provenance() {
        return Provenance.inputRead(topic, endOffsets);
    }

    /**
     * Whether a model whose rows were read to {@code ends} (the same topic's end offsets, from its provenance) may have
     * been fit on row {@code row}: an event of its id was on the topic below them. Conservative: such a read saw the
     * id, and may have had its label; a row whose id came only later cannot have been in it.
     */
    public boolean seen(int row, Map<Integer, Long> ends) {
        long[] p = positions[row];
        for (int i = 0; i < p.length; i += 2) {
            Long end = ends.get((int) p[i]);
            if (end != null && p[i + 1] < end) {
                return true;
            }
        }
        return false;
    }
}
