package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fraudscorer.trainer.data.CreditCardCsv;
import org.fraudscorer.trainer.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo --data}: the events carry the file's ids, as {@code produce} and {@code score} do. */
class CreditCardDemoKeyTest {

    @TempDir
    Path dir;

    @Test
    void theDemoKeysEventsByTheFilesIdsOrByRowWithoutThem() throws IOException {
        Path plain = MadeUpTransactions.write(dir.resolve("plain.csv"), 50, 0.1, 3);
        List<String> lines = Files.readAllLines(plain);
        List<String> withIds = new ArrayList<>(List.of("id," + lines.get(0)));
        for (int row = 1; row < lines.size(); row++) {
            withIds.add("TX-" + (900 + row) + "," + lines.get(row));
        }
        Dataset ids = CreditCardCsv.read(Files.write(dir.resolve("ids.csv"), withIds));
        Dataset rows = CreditCardCsv.read(plain);

        Dataset streamed = ids.subset(new int[] {41, 7}); // the demo streams a later part of the file
        assertThat(CreditCardApp.demoKey(streamed, 0)).isEqualTo("TX-942");
        assertThat(CreditCardApp.demoKey(streamed, 1)).isEqualTo("TX-908");
        assertThat(CreditCardApp.demoKey(rows.subset(new int[] {41}), 0)).isEqualTo("row-42");
    }
}
