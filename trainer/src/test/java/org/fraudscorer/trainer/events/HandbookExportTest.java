package org.fraudscorer.trainer.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.trainer.data.RawEvents;
import org.fraudscorer.trainer.train.TrainerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peers' files hold exactly the fold's training and test rows, with the MLP's held-out 20% marked. */
class HandbookExportTest {
    @TempDir
    Path dir;

    @Test
    void writesTheFoldsTrainingAndTestRows() throws Exception {
        LocalDate start = LocalDate.of(2018, 7, 25);
        int perDay = 10;
        int n = 21 * perDay; // 7 training days, 7 gap days, 7 test days
        long[] ids = new long[n];
        long[] times = new long[n];
        long[] cards = new long[n];
        byte[] fraud = new byte[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
            times[i] = start.toEpochDay() * HandbookFeatures.DAY + (i / perDay) * HandbookFeatures.DAY + 60L * i;
            cards[i] = i % 30;
            fraud[i] = (byte) (i % 7 == 0 && (i < 35 || i >= 150) ? 1 : 0);
        }
        RawEvents e = new RawEvents("hand-made", ids, times, cards, new long[n], new double[n], fraud);
        double[] x = new double[n * HandbookFeatures.COUNT];
        for (int i = 0; i < n; i++) {
            x[i * HandbookFeatures.COUNT] = i; // TX_AMOUNT carries the row index
        }
        HandbookProtocol p = new HandbookProtocol(e, x, 7, TrainerConfig.defaults());
        HandbookSplit split = HandbookSplit.of(e, start, 7, 7, 7);

        int[] counts = p.export(start, dir, "single");

        assertThat(split.test()).isNotEmpty();
        assertThat(counts).containsExactly(split.train().length, split.test().length);
        List<String> train = Files.readAllLines(dir.resolve("single-train.csv"));
        List<String> test = Files.readAllLines(dir.resolve("single-test.csv"));
        assertThat(train.get(0)).startsWith(String.join(",", HandbookFeatures.NAMES))
                .endsWith(",TX_FRAUD,CUSTOMER_ID,TX_DAY,MLP_VALIDATION");
        assertThat(train).hasSize(split.train().length + 1);
        assertThat(test).hasSize(split.test().length + 1);
        int[][] parts = p.stratifiedHoldOut(split.train(), HandbookProtocol.VALIDATION_SHARE, 42);
        int held = 0;
        for (int r = 0; r < split.train().length; r++) {
            String[] c = train.get(r + 1).split(",");
            int i = split.train()[r];
            assertThat(Double.parseDouble(c[0])).isEqualTo(i);
            assertThat(c[15]).isEqualTo(String.valueOf(fraud[i]));
            assertThat(c[16]).isEqualTo(String.valueOf(cards[i]));
            assertThat(c[17]).isEqualTo(start.plusDays(i / perDay).toString());
            held += Integer.parseInt(c[18]);
        }
        assertThat(held).isEqualTo(parts[1].length);
        String[] first = test.get(1).split(",");
        assertThat(Double.parseDouble(first[0])).isEqualTo(split.test()[0]);
        assertThat(first[17]).isEqualTo(start.plusDays(14).toString());
    }
}
