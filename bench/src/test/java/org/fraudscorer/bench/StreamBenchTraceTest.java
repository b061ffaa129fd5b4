package org.fraudscorer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code --trace} file: its header and rows, read back with commons-csv. */
class StreamBenchTraceTest {

    @TempDir
    Path dir;

    private static List<CSVRecord> read(Path file, List<String> header) throws IOException {
        try (Reader in = Files.newBufferedReader(file);
             CSVParser csv = CSVParser.parse(in, CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            header.addAll(csv.getHeaderNames());
            return csv.getRecords();
        }
    }

    @Test
    void theFirstNSamplesReadBackAsTheSameNumbersUnderTheHeader() throws IOException {
        long[] sent = {1_764_680_400_123L, 1_764_680_400_124L, Long.MAX_VALUE, 0L, 99L};
        int[] micros = {17_250, 0, Integer.MAX_VALUE, 42, 7};
        Path file = dir.resolve("traces/run 1/scorer-latency.csv"); // directories made as needed
        TraceCsv.write(file, sent, micros, 4);

        List<String> header = new java.util.ArrayList<>();
        List<CSVRecord> rows = read(file, header);
        assertThat(header).containsExactly("sent_ms", "latency_us");
        assertThat(rows).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(Long.parseLong(rows.get(i).get("sent_ms"))).isEqualTo(sent[i]);
            assertThat(Integer.parseInt(rows.get(i).get("latency_us"))).isEqualTo(micros[i]);
        }
    }

    @Test
    void theFileIsTheFormatWrittenBeforeCommonsCsvByteForByte() throws IOException {
        Path file = dir.resolve("parse-latency.csv");
        TraceCsv.write(file, new long[] {1_764_680_400_123L, 1_764_680_400_200L}, new int[] {950, 120_000}, 2);
        assertThat(Files.readString(file)).isEqualTo("sent_ms,latency_us\n1764680400123,950\n1764680400200,120000\n");
    }

    /**
     * An input event as the load producer sends it: wall-clock timestamp; its key the nanoTime it was due (here 10 s
     * before the send: a producer far behind its schedule), then the send's.
     */
    private static ProducerRecord<byte[], byte[]> sentAt(long wallMillis, long sentNanos) {
        byte[] key = ByteBuffer.allocate(16).putLong(sentNanos - 10_000_000_000L).putLong(sentNanos).array();
        return new ProducerRecord<>("t", null, wallMillis, key, new byte[0]);
    }

    @Test
    void theAcknowledgementTraceKeepsEachSendsTimeAndMarksTheUnacknowledged() throws Exception {
        AckTrace acks = new AckTrace(2);
        long sentNanos = System.nanoTime() - 5_000_000; // sent 5 ms ago
        ProducerRecord<byte[], byte[]> second = sentAt(1_764_680_400_124L, sentNanos);
        var ok = acks.callback(sentAt(1_764_680_400_123L, sentNanos));
        var failed = acks.callback(second);
        assertThat(acks.callback(second)).as("a full trace records nothing more").isNull();
        assertThat(acks.count()).isEqualTo(2);
        assertThat(acks.micros).containsExactly(-1, -1); // neither acknowledged yet
        ok.onCompletion(null, null);
        failed.onCompletion(null, new TimeoutException("never acknowledged"));
        assertThat(acks.sentMillis).containsExactly(1_764_680_400_123L, 1_764_680_400_124L);
        assertThat(acks.micros[0]).as("acknowledged at least 5 ms after the send, timed from the send, not from when "
                + "it was due 10 s earlier").isBetween(5_000, 9_000_000);
        assertThat(acks.micros[1]).as("a failed send stays unacknowledged").isEqualTo(-1);
    }

    /** Capacity's median of rounds: with two rounds it used to be the larger one. */
    @Test
    void theMedianOfAnEvenNumberOfRoundsIsTheMeanOfTheMiddleTwo() {
        assertThat(StreamBench.median(List.of(37_377.0, 22_453.0))).isEqualTo(29_915.0);
        assertThat(StreamBench.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(StreamBench.lowerMedian(List.of(37_377.0, 22_453.0))).isEqualTo(22_453.0);
        assertThat(StreamBench.lowerMedian(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    }

    @Test
    void noSamplesIsTheHeaderAloneAndAnEarlierFileIsReplaced() throws IOException {
        Path file = dir.resolve("passthrough-latency.csv");
        Files.writeString(file, "old,contents\n1,2\n3,4\n5,6\n");
        TraceCsv.write(file, new long[8], new int[8], 0);
        assertThat(Files.readString(file)).isEqualTo("sent_ms,latency_us\n");
        List<String> header = new java.util.ArrayList<>();
        assertThat(read(file, header)).isEmpty();
        assertThat(header).containsExactly("sent_ms", "latency_us");
    }
}
