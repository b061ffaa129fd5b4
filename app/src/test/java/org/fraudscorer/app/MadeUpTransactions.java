package org.fraudscorer.app;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes a made-up, learnable file in Kaggle's creditcard.csv format: frauds are shifted in a few components and
 * spread over time. No real data involved.
 */
final class MadeUpTransactions {
    private MadeUpTransactions() {
    }

    static Path write(Path file, int rows, double fraudRate, long seed) throws IOException {
        Random r = new Random(seed);
        try (Writer w = Files.newBufferedWriter(file)) {
            StringBuilder h = new StringBuilder("\"Time\"");
            for (int v = 1; v <= 28; v++) {
                h.append(",\"V").append(v).append('"');
            }
            w.write(h.append(",\"Amount\",\"Class\"\n").toString());
            for (int i = 0; i < rows; i++) {
                boolean fraud = r.nextDouble() < fraudRate;
                StringBuilder line = new StringBuilder().append(i * 10);
                for (int v = 1; v <= 28; v++) {
                    double shift = fraud && (v == 3 || v == 10 || v == 14) ? -2.5 : 0;
                    line.append(',').append(r.nextGaussian() + shift);
                }
                line.append(',').append(Math.round(Math.exp(r.nextDouble() * 6) * 100) / 100.0);
                line.append(",\"").append(fraud ? 1 : 0).append("\"\n");
                w.write(line.toString());
            }
        }
        return file;
    }
}
