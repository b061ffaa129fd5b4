package org.fraudscorer.trainer.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes datasets in Kaggle's creditcard.csv format (quoted header, quoted Class), numbers in Java's exact
 * round-trip form, so that other tools (the peers of {@code ../shared/tools/peers.py}, pandas) see the very rows
 * this trainer used.
 */
public final class CreditCardCsvWriter {
    private CreditCardCsvWriter() {
    }

    /** Writes the parts one after the other, in the order given. */
    public static void write(Path file, Dataset... parts) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder header = new StringBuilder();
            for (String name : Dataset.INPUT_NAMES) {
                header.append('"').append(name).append("\",");
            }
            boolean labels = parts.length > 0 && parts[0].hasLabels();
            w.write(labels ? header.append("\"Class\"").toString() : header.substring(0, header.length() - 1));
            w.write('\n');
            double[] row = new double[Dataset.INPUT_COUNT];
            StringBuilder line = new StringBuilder(512);
            for (Dataset d : parts) {
                for (int r = 0; r < d.rows(); r++) {
                    d.copyRow(r, row, 0);
                    line.setLength(0);
                    for (int c = 0; c < row.length; c++) {
                        line.append(c == 0 ? "" : ",").append(row[c]);
                    }
                    if (labels) {
                        line.append(",\"").append(d.label(r)).append('"');
                    }
                    w.write(line.append('\n').toString());
                }
            }
        }
    }
}
