package org.fraudscorer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * StreamBench's {@code --trace} files, {@code <mode>-latency.csv} (the latency samples) and {@code <mode>-produce.csv}
 * (the input acknowledgements, {@link AckTrace}): one row per sample under the header {@code sent_ms,latency_us}.
 */
final class TraceCsv {
    /** The {@code --trace} file's columns: send wall-clock time (ms since the epoch), latency (µs). */
    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader("sent_ms", "latency_us")
            .setRecordSeparator('\n')
            .get();

    private TraceCsv() {
    }

    /**
     * One row per sample, the first {@code n} of {@code sent} and {@code micros} in their order (latency samples in
     * arrival order, input acknowledgements in send order), under the header {@code sent_ms,latency_us}; creates the
     * file's directory if needed.
     */
    static void write(Path file, long[] sent, int[] micros, int n) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (CSVPrinter csv = new CSVPrinter(Files.newBufferedWriter(file), FORMAT)) {
            for (int i = 0; i < n; i++) {
                csv.printRecord(sent[i], micros[i]);
            }
        }
    }
}
