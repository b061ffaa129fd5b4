package org.fraudscorer.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.fraudscorer.common.features.EventFamily;
import org.junit.jupiter.api.Test;

public class RawEventCsvTest {
    private java.nio.file.Path dir;

    /** The family {@link RawEventCsv#family} tells from a file holding just this header. */
    private EventFamily familyOfHeader(String header) throws IOException {
        java.nio.file.Path f = java.nio.file.Files.createTempFile(dir, "header", ".csv");
        java.nio.file.Files.writeString(f, header + "\n");
        return RawEventCsv.family(f);
    }

    static final String HEADER = "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,"
            + "TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO";

    public static RawEvents parse(String text) throws IOException {
        return RawEventCsv.read(new BufferedReader(new StringReader(text)), "made-up.csv");
    }

    private static long epoch(String iso) {
        return LocalDateTime.parse(iso).toEpochSecond(ZoneOffset.UTC);
    }

    @Test
    void readsTheHandbookFormatIgnoringDerivedAndScenarioColumns() throws IOException {
        RawEvents e = parse(HEADER + "\n"
                + "0,2018-04-01T00:00:42,101,2001,12.34,42,0,0,0\n"
                + "\n"
                + "1,2018-04-01 23:59:59,202,3003,45.67,999,9,1,3\n"
                + "2,2018-04-02T00:00:00,3,4004,0.0,0,0,0,0\n");
        assertThat(e.size()).isEqualTo(3);
        assertThat(e.hasLabels()).isTrue();
        assertThat(e.frauds()).isEqualTo(1);
        assertThat(e.id(1)).isEqualTo(1);
        assertThat(e.time(0)).isEqualTo(epoch("2018-04-01T00:00:42"));
        assertThat(e.time(1)).as("TX_TIME_SECONDS is not read").isEqualTo(epoch("2018-04-01T23:59:59"));
        assertThat(e.time(2)).isEqualTo(epoch("2018-04-02T00:00:00"));
        assertThat(e.customer(1)).isEqualTo(202);
        assertThat(e.terminal(1)).isEqualTo(3003);
        assertThat(e.amount(1)).isEqualTo(45.67);
        assertThat(e.label(1)).isEqualTo(1);
        assertThat(e.isTimeOrdered()).isTrue();
    }

    @Test
    void columnsInAnyOrderAndNoLabel() throws IOException {
        RawEvents e = parse("TX_AMOUNT,CUSTOMER_ID,TX_DATETIME,TERMINAL_ID,TRANSACTION_ID\n"
                + "12.5,7,2018-05-01T10:00:00,8,100\n"
                + "3,7,2018-05-01T09:00:00,9,101\n");
        assertThat(e.hasLabels()).isFalse();
        assertThat(e.amount(0)).isEqualTo(12.5);
        assertThat(e.id(1)).isEqualTo(101);
        assertThat(e.terminal(1)).isEqualTo(9);
        assertThat(e.isTimeOrdered()).isFalse();
        assertThat(e.timeOrder()).containsExactly(1, 0);
        assertThat(e.label(0)).isEqualTo(RawEvents.UNKNOWN);
        assertThat(e.hasLabelColumn()).isFalse();
        assertThat(e.unknownLabels()).isEqualTo(2);
        assertThatThrownBy(() -> e.requireLabels("x needs them")).hasMessage("made-up.csv has no TX_FRAUD column: "
                + "x needs them");
    }

    @Test
    void anEmptyLabelIsAVerdictNotKnownYet() throws IOException {
        RawEvents e = parse("TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_FRAUD\n"
                + "7,2018-05-01T10:00:00,1,8,5.0,1\n"
                + "8,2018-05-02T10:00:00,1,8,5.0,\n"
                + "9,2018-05-03T10:00:00,1,8,5.0,0\n"
                + "10,2018-05-04T10:00:00,1,8,5.0,\n");
        assertThat(e.hasLabelColumn()).isTrue();
        assertThat(e.hasLabels()).as("not every label is known").isFalse();
        assertThat(e.unknownLabels()).isEqualTo(2);
        assertThat(e.frauds()).isEqualTo(1);
        assertThat(new int[] {e.label(0), e.label(1), e.label(2)}).containsExactly(1, RawEvents.UNKNOWN, 0);
        e.requireLabels(new int[] {0, 2}, "", "fine");
        assertThatThrownBy(() -> e.requireLabels("x needs them")).hasMessage("made-up.csv: 2 of the 4 payments have "
                + "no TX_FRAUD label (the first: TRANSACTION_ID 8): x needs them");
        assertThatThrownBy(() -> e.requireLabels(new int[] {2, 3}, "scored ", "y")).hasMessage("made-up.csv: 1 of the "
                + "2 scored payments has no TX_FRAUD label (the first: TRANSACTION_ID 10): y");
        RawEvents kept = e.subset(new int[] {3, 0}, "s");
        assertThat(new int[] {kept.label(0), kept.label(1)}).containsExactly(RawEvents.UNKNOWN, 1);
    }

    @Test
    void headerRecognition(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        this.dir = dir;
        assertThat(familyOfHeader(HEADER)).isEqualTo(EventFamily.RAW_EVENTS);
        assertThat(familyOfHeader("\"Time\",\"V1\",\"Amount\",\"Class\"")).isEqualTo(EventFamily.CREDITCARD);
        assertThat(familyOfHeader("TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TX_AMOUNT")).as("short of TERMINAL_ID")
                .isEqualTo(EventFamily.RAW_EVENTS);
        assertThat(familyOfHeader("transaction_id,tx_datetime,customer_id,terminal_id")).as("lower case, no amount")
                .isEqualTo(EventFamily.RAW_EVENTS);
    }

    @Test
    void aGzipFileCutShortIsSaidToBe(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        StringBuilder text = new StringBuilder(HEADER + "\n");
        for (int i = 0; i < 2000; i++) {
            text.append(i).append(",2018-04-01T00:00:").append(String.format("%02d", i % 60)).append(",").append(i % 7)
                    .append(",").append(i % 11).append(",12.5,0,0,0,0\n");
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(bytes)) {
            gz.write(text.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        byte[] whole = bytes.toByteArray();
        assertThat(RawEventCsv.read(java.nio.file.Files.write(dir.resolve("whole.csv.gz"), whole)).size())
                .isEqualTo(2000);
        for (int keep : new int[] {whole.length - 4, whole.length / 2}) { // the trailer, or the middle, lost
            java.nio.file.Path cut = java.nio.file.Files.write(dir.resolve("cut.csv.gz"),
                    java.util.Arrays.copyOf(whole, keep));
            assertThatThrownBy(() -> RawEventCsv.read(cut)).hasMessage(cut + ": cannot read (it ends early: a gzip "
                    + "file cut short, by an interrupted download or copy?)");
        }
    }

    @Test
    void badLinesNameFileLineAndReason() throws IOException {
        String h = "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_FRAUD\n";
        assertThatThrownBy(() -> parse(h + "1,2018-04-01T00:00:00,1,1,5,2\n"))
                .isInstanceOf(DataFormatException.class)
                .hasMessage("made-up.csv:2: TX_FRAUD must be 0, 1 or empty (not known yet), got '2'");
        assertThatThrownBy(() -> parse(h + "1,2018-04-01T00:00:00,1,1,5,0\n1,2018-02-30T00:00:00,1,1,5,0\n"))
                .hasMessageContaining("made-up.csv:3: TX_DATETIME has an invalid date");
        assertThatThrownBy(() -> parse(h + "1,2018-04-01T24:00:00,1,1,5,0\n")).hasMessageContaining("invalid time");
        // a placeholder date of an export: read, it stretched the default training period back to year 1
        assertThatThrownBy(() -> parse(h + "1,0001-01-01T00:00:00,1,1,5,0\n")).hasMessage("made-up.csv:2: TX_DATETIME "
                + "is before 1970-01-01, the first day the scorer reads (it dead-letters such a payment): "
                + "'0001-01-01T00:00:00'");
        assertThatThrownBy(() -> parse(h + "1,1969-12-31T23:59:59,1,1,5,0\n"))
                .hasMessageContaining("before 1970-01-01");
        assertThat(parse(h + "1,1970-01-01T00:00:00,1,1,5,0\n").time(0)).isZero();
        assertThatThrownBy(() -> parse(h + "1,2018-04-01,1,1,5,0\n")).hasMessageContaining("YYYY-MM-DDTHH:MM:SS");
        assertThatThrownBy(() -> parse(h + "1,2018-04-01T00:00:00,1,1,-5,0\n")).hasMessageContaining("TX_AMOUNT must be");
        assertThatThrownBy(() -> parse(h + "1,2018-04-01T00:00:00,1,1,NaN,0\n")).hasMessageContaining("TX_AMOUNT must be");
        assertThatThrownBy(() -> parse(h + "1,2018-04-01T00:00:00,1,1,1.5d,0\n")).hasMessage("made-up.csv:2: TX_AMOUNT "
                + "is not a plain decimal number (as in JSON): '1.5d'");
        assertThatThrownBy(() -> parse(h + "1,2018-04-01T00:00:00,1,1,0x1p6,0\n"))
                .hasMessageContaining("plain decimal");
        // values quoted as a database exports them are read as they are without the quotes
        RawEvents quoted = parse(h + "\"7\",\"2018-04-01 00:11:47\",\"3\",\"4\",\"12.50\",\"1\"\n");
        assertThat(quoted.time(0)).isEqualTo(epoch("2018-04-01T00:11:47"));
        assertThat(quoted.id(0)).isEqualTo(7);
        assertThat(quoted.amount(0)).isEqualTo(12.5);
        assertThat(quoted.label(0)).isEqualTo(1);
        assertThatThrownBy(() -> parse(h + "1,2018-04-01T00:00:00,x,1,5,0\n")).hasMessageContaining("CUSTOMER_ID must be");
        assertThatThrownBy(() -> parse(h + "1,2018-04-01T00:00:00,1,1,5\n")).hasMessageContaining("expected 6 fields");
        assertThatThrownBy(() -> parse(h + "1,2018-04-01T00:00:00,1,1,5,0,9\n")).hasMessageContaining("more fields");
        assertThatThrownBy(() -> parse(h)).hasMessageContaining("header only");
        assertThatThrownBy(() -> parse("TRANSACTION_ID,TX_DATETIME\n")).hasMessageContaining("missing column CUSTOMER_ID");
        // a used column twice (a second, inverted label; amounts in cents beside the amounts): which holds the data?
        assertThatThrownBy(() -> parse("TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_FRAUD,tx_fraud\n"
                + "0,2018-04-01T00:00:46,61,162,58.93,0,1\n")).hasMessageContaining("duplicate column TX_FRAUD");
        assertThatThrownBy(() -> parse("TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_AMOUNT\n"
                + "0,2018-04-01T00:00:46,61,162,58.93,5893\n")).hasMessageContaining("duplicate column TX_AMOUNT");
    }
}
