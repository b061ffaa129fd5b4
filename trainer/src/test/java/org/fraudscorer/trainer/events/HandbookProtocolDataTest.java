package org.fraudscorer.trainer.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fraudscorer.trainer.SharedData;
import org.fraudscorer.trainer.data.RawEventCsv;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.fraudscorer.trainer.train.TrainingListener;
import org.junit.jupiter.api.Test;

/** Data-gated: the handbook protocol on the shared handbook file; prints the comparison table. */
class HandbookProtocolDataTest {

    @Test
    void singleSplitHasThePublishedTestSetAndPrequentialBeatsAFloor() {
        RawEvents e = RawEventCsv.read(SharedData.require(HandbookDataTest.FILE));
        double[] x = FeatureReplay.replay(e, 7);

        HandbookSplit split = HandbookSplit.of(e, HandbookProtocol.SINGLE_SPLIT_START, 7, 7, 7);
        int frauds = 0;
        for (int i : split.test()) {
            frauds += e.label(i);
        }
        assertThat(split.test().length).as("BaselineModeling's test set").isEqualTo(58_264);
        assertThat(frauds).isEqualTo(385);

        HandbookProtocol p = new HandbookProtocol(e, x, 7, TrainerConfig.defaults());
        HandbookProtocol.FoldResult single = p.fold(HandbookProtocol.SINGLE_SPLIT_START, TrainingListener.NONE);
        List<HandbookProtocol.FoldResult> folds = p.prequential(TrainingListener.NONE);
        System.out.print(HandbookProtocol.table(single, folds));
        // floors well under the handbook's baselines (AUC ~0.87, AP ~0.6): a broken feature or split falls below
        assertThat(single.aucRoc()).isGreaterThan(0.8);
        assertThat(single.averagePrecision()).isGreaterThan(0.5);
        for (HandbookProtocol.FoldResult f : folds) {
            assertThat(f.averagePrecision()).as("fold %s", f.trainStart()).isGreaterThan(0.45);
        }
    }
}
