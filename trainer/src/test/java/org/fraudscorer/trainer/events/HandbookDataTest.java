package org.fraudscorer.trainer.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Arrays;
import org.fraudscorer.trainer.SharedData;
import org.fraudscorer.trainer.data.RawEventCsv;
import org.fraudscorer.trainer.data.RawEvents;
import org.junit.jupiter.api.Test;

/** Data-gated: the handbook's 1.5 M simulated payments from ../shared/data (never copied into the project). */
class HandbookDataTest {
    static final String FILE = "handbook-transactions.csv.gz";

    @Test
    void fullFileReadsAndReplaysInTheDefaultHeapAndMatchesTheSlowDefinition() {
        Path file = SharedData.require(FILE);
        long t0 = System.nanoTime();
        RawEvents e = RawEventCsv.read(file);
        long t1 = System.nanoTime();
        double[] x = FeatureReplay.replay(e, 7);
        long t2 = System.nanoTime();
        System.out.printf("handbook file: read %d events in %.1f s, replayed in %.1f s, heap max %d MB%n",
                e.size(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, Runtime.getRuntime().maxMemory() >> 20);

        assertThat(e.size()).isEqualTo(1_504_628); // SOURCES.md
        assertThat(e.frauds()).isEqualTo(12_484);
        assertThat(e.isTimeOrdered()).isTrue();
        int f = 17; // handbook-v2
        assertThat(x).hasSize(e.size() * f);
        // every 7,919th row against the slow definitions (a scan of the whole file per row)
        for (int i = 3; i < e.size(); i += 7_919) {
            assertThat(Arrays.copyOfRange(x, i * f, i * f + 15)).as("row %d", i)
                    .containsExactly(ReferenceFeatures.row(e, i, 7), within(1e-9));
            assertThat(Arrays.copyOfRange(x, i * f + 15, i * f + 17)).as("row %d profile", i)
                    .containsExactly(ReferenceFeatures.profile(e, i), within(1e-9));
        }
    }
}
