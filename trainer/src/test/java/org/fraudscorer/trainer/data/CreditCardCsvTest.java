package org.fraudscorer.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fraudscorer.trainer.data.MadeUpCsv.COLUMNS;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CreditCardCsvTest {

    private static final List<String> INPUTS_ONLY = COLUMNS.subList(0, Dataset.INPUT_COUNT);

    @TempDir
    Path dir;

    @Test
    void readsTheKaggleLayoutWithQuotedHeaderAndQuotedClass() {
        Dataset data = CreditCardCsv.read(MadeUpCsv.write(dir, "quoted.csv", 50, COLUMNS, true));

        assertSameContent(data, MadeUpCsv.expected(50, true));
        assertThat(data.positives()).isEqualTo(3); // rows 3, 20 and 37
        assertThat(data.rowNumbers()).containsExactly(IntStream.rangeClosed(1, 50).toArray());
        assertThat(data.source()).isEqualTo(dir.resolve("quoted.csv").toString());
    }

    @Test
    void quotedAndUnquotedFilesGiveIdenticalDatasets() {
        Dataset quoted = CreditCardCsv.read(MadeUpCsv.write(dir, "quoted.csv", 40, COLUMNS, true));
        Dataset unquoted = CreditCardCsv.read(MadeUpCsv.write(dir, "unquoted.csv", 40, COLUMNS, false));

        assertSameContent(unquoted, quoted);
    }

    @Test
    void columnsInAnyOrderMapToTheCanonicalOrder() {
        List<String> shuffled = new ArrayList<>(COLUMNS);
        Collections.shuffle(shuffled, new Random(42));
        assertThat(shuffled).isNotEqualTo(COLUMNS);

        Dataset data = CreditCardCsv.read(MadeUpCsv.write(dir, "shuffled.csv", 30, shuffled, false));

        assertSameContent(data, MadeUpCsv.expected(30, true));
        assertThat(data.inputNames()).isEqualTo(Dataset.INPUT_NAMES);
        assertThat(data.input(7, Dataset.AMOUNT)).isEqualTo(MadeUpCsv.value(7, Dataset.AMOUNT));
    }

    @Test
    void aFileWithoutClassIsUnlabelled() {
        Dataset data = CreditCardCsv.read(MadeUpCsv.write(dir, "unlabelled.csv", 20, INPUTS_ONLY, false));

        assertThat(data.hasLabels()).isFalse();
        assertThat(data.labels()).isNull();
        assertThat(data.inputs()).containsExactly(MadeUpCsv.expected(20, false).inputs());
        assertThatThrownBy(data::positives).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no labels");
    }

    @Test
    void anIdColumnGivesEachRowItsIdentifierAndIsNotAnInput() {
        List<String> columns = new ArrayList<>(COLUMNS);
        columns.add(3, "id");
        StringBuilder content = new StringBuilder(header(columns)).append('\n');
        String[] ids = {"tx-0001", "\"A,1\"\"b\"", " 42 ", "\u00e9t\u00e9-\ud83d\ude00"};
        for (int row = 0; row < ids.length; row++) {
            List<String> fields = new ArrayList<>(List.of(MadeUpCsv.fields(row)));
            fields.add(3, ids[row]);
            content.append(String.join(",", fields)).append('\n');
        }
        Dataset data = CreditCardCsv.read(MadeUpCsv.write(dir, "ids.csv", content.toString()));

        assertSameContent(data, MadeUpCsv.expected(4, true)); // the id is not a model input
        assertThat(data.hasIds()).isTrue();
        // quoted as CSV (a comma, a doubled quote), surrounding spaces dropped as for every field
        assertThat(IntStream.range(0, 4).mapToObj(data::id))
                .containsExactly("tx-0001", "A,1\"b", "42", "\u00e9t\u00e9-\ud83d\ude00");
        Dataset picked = data.subset(new int[] {3, 1});
        assertThat(picked.id(0)).isEqualTo(data.id(3));
        assertThat(picked.id(1)).isEqualTo(data.id(1));
        assertThat(Dataset.concat(picked, data).id(2)).isEqualTo("tx-0001");
    }

    @Test
    void anIdInLatin1IsRefusedRatherThanMergedWithAnother() throws IOException {
        // TX-\u00e9 and TX-\u00e8 in Latin-1: read as UTF-8 both would be "TX-\uFFFD", one id for two payments
        String header = String.join(",", COLUMNS) + ",id\n";
        String row = String.join(",", MadeUpCsv.fields(0)) + ",TX-";
        byte[] start = (header + row).getBytes(StandardCharsets.US_ASCII);
        Path file = dir.resolve("latin1.csv");
        Files.write(file, start);
        Files.write(file, new byte[] {(byte) 0xE9, '\n'}, java.nio.file.StandardOpenOption.APPEND);

        assertThatThrownBy(() -> CreditCardCsv.read(file)).isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(file + ":2: column id holds U+FFFD, the mark of bytes that were not UTF-8 "
                        + "text (a Latin-1 accent?); save the file as CSV in UTF-8");
    }

    @Test
    void withoutAnIdColumnARowsIdentifierIsItsRowNumber() {
        Dataset data = CreditCardCsv.read(MadeUpCsv.write(dir, "plain.csv", 5, COLUMNS, false));

        assertThat(data.hasIds()).isFalse();
        assertThat(IntStream.range(0, 5).mapToObj(data::id)).containsExactly("1", "2", "3", "4", "5");
        assertThat(data.subset(new int[] {4}).id(0)).isEqualTo("5");
    }

    @Test
    void readsGzipToldFromTheContentNotTheName() throws IOException {
        Path plainFile = MadeUpCsv.write(dir, "data.csv", 200, COLUMNS, true);
        Path gzipFile = MadeUpCsv.write(dir, "data.csv.gz", 200, COLUMNS, true);
        Dataset plain = CreditCardCsv.read(plainFile);

        assertThat(Files.readAllBytes(gzipFile)).startsWith((byte) 0x1f, (byte) 0x8b);
        assertSameContent(CreditCardCsv.read(gzipFile), plain);
        // a gzip file that lost its .gz on the way, and a text file given a .gz name: both are read
        assertSameContent(CreditCardCsv.read(Files.copy(gzipFile, dir.resolve("unzipped-name.csv"))), plain);
        assertSameContent(CreditCardCsv.read(Files.copy(plainFile, dir.resolve("zipped-name.csv.gz"))), plain);
        // cut short, at its end (the trailer: an EOFException without a message, said as "(null)") or in its middle
        byte[] gz = Files.readAllBytes(gzipFile);
        for (int keep : new int[] {gz.length - 4, gz.length / 2}) {
            Path cut = Files.write(dir.resolve("cut-" + keep + ".csv.gz"), java.util.Arrays.copyOf(gz, keep));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> CreditCardCsv.read(cut))
                    .hasMessageEndingWith("cannot read (it ends early: a gzip file cut short, by an interrupted "
                            + "download or copy?)");
        }
    }

    @Test
    void blankLinesAreSkippedAndNotCountedAsRows() {
        String content = MadeUpCsv.line(COLUMNS, false) + "\n"
                + MadeUpCsv.line(0, COLUMNS, false) + "\n\n"
                + MadeUpCsv.line(1, COLUMNS, false) + "\n\n";

        Dataset data = CreditCardCsv.read(MadeUpCsv.write(dir, "blank.csv", content));

        assertSameContent(data, MadeUpCsv.expected(2, true));
    }

    @Test
    void acceptsWindowsLineEndingsAByteOrderMarkAndNoFinalNewline() {
        String content = "\uFEFF" + MadeUpCsv.line(COLUMNS, true) + "\r\n"
                + MadeUpCsv.line(0, COLUMNS, false) + "\r\n"
                + MadeUpCsv.line(1, COLUMNS, false);

        Dataset data = CreditCardCsv.read(MadeUpCsv.write(dir, "excel.csv", content));

        assertSameContent(data, MadeUpCsv.expected(2, true));
    }

    @Test
    void streamsThreeHundredThousandRows() {
        int rows = 300_000;
        Path file = MadeUpCsv.write(dir, "big.csv", rows, COLUMNS, false);

        Dataset data = CreditCardCsv.read(file);

        assertThat(data.rows()).isEqualTo(rows);
        double sum = 0;
        double weighted = 0;
        long frauds = 0;
        for (int row = 0; row < rows; row++) {
            for (int col = 0; col < Dataset.INPUT_COUNT; col++) {
                double value = MadeUpCsv.value(row, col);
                sum += value;
                weighted += value * ((row * 30L + col) % 97 + 1);
            }
            frauds += MadeUpCsv.label(row);
        }
        double[] inputs = data.inputs();
        double readSum = 0;
        double readWeighted = 0;
        for (int i = 0; i < inputs.length; i++) {
            readSum += inputs[i];
            readWeighted += inputs[i] * (i % 97 + 1);
        }
        assertThat(readSum).isEqualTo(sum); // exact: all values are multiples of 1/64
        assertThat(readWeighted).isEqualTo(weighted); // catches values in the wrong place
        assertThat(data.positives()).isEqualTo(frauds);
        assertThat(data.rowNumber(rows - 1)).isEqualTo(rows);
    }

    @Test
    void aMissingFileSaysSoInOneLine() {
        Path missing = dir.resolve("nowhere.csv");

        assertThatThrownBy(() -> CreditCardCsv.read(missing))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage(missing + ": no such file");
    }

    /** A spreadsheet's "Unicode text" export, with and without its byte order mark, and gzip-compressed. */
    @Test
    void utf16TextIsRefusedSayingHowToSaveIt() throws IOException {
        String csv = "Time,V1,Amount,Class\n0,1.5,10,0\n";
        java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("bom-be.csv", csv.getBytes(java.nio.charset.StandardCharsets.UTF_16)); // FE FF, big-endian
        byte[] le = csv.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        byte[] excel = new byte[le.length + 2]; // Excel's "Unicode text": FF FE, then little-endian
        excel[0] = (byte) 0xFF;
        excel[1] = (byte) 0xFE;
        System.arraycopy(le, 0, excel, 2, le.length);
        files.put("bom-le.csv", excel);
        files.put("le.csv", csv.getBytes(java.nio.charset.StandardCharsets.UTF_16LE)); // "T\0i\0..." no mark
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(csv.getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
        }
        files.put("le.csv.gz", gz.toByteArray());
        for (var e : files.entrySet()) {
            Path f = Files.write(dir.resolve(e.getKey()), e.getValue());
            assertThatThrownBy(() -> CreditCardCsv.read(f)).as(e.getKey()).isInstanceOf(DataFormatException.class)
                    .hasMessage(f + ":1: the file is UTF-16 text (e.g. a spreadsheet's \"Unicode text\"); save it as "
                            + "CSV in UTF-8");
        }
    }

    /**
     * An archive, a spreadsheet or a file compressed otherwise than by gzip is said to be, for either format: its
     * header read as text was 'unknown column 'PK\u0003\u0004\u0014...' (bad-input hunt).
     */
    @Test
    void archivesSpreadsheetsAndOtherCompressionsAreSaidToBe() throws IOException {
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.ZipOutputStream(zip)) {
            out.putNextEntry(new java.util.zip.ZipEntry("creditcard.csv"));
            out.write("Time,V1,Amount,Class\n0,1.5,10,0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("a zip archive (a spreadsheet's .xlsx is one): unzip it, or save the sheet as CSV",
                zip.toByteArray());
        files.put("a spreadsheet in Excel's .xls format: save the sheet as CSV", new byte[] {(byte) 0xD0, (byte) 0xCF,
            0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1, 0, 0});
        files.put("bzip2-compressed: decompress it first (gzip is read as it is)", new byte[] {'B', 'Z', 'h', '9',
            0x31, 0x41, 0x59, 0x26, 0x53, 0x59});
        files.put("xz-compressed: decompress it first (gzip is read as it is)", new byte[] {(byte) 0xFD, '7', 'z', 'X',
            'Z', 0, 0, 4});
        files.put("zstd-compressed: decompress it first (gzip is read as it is)", new byte[] {0x28, (byte) 0xB5, 0x2F,
            (byte) 0xFD, 0, 0});
        int n = 0;
        for (var e : files.entrySet()) {
            Path f = Files.write(dir.resolve("data-" + n++ + ".csv"), e.getValue());
            assertThatThrownBy(() -> CreditCardCsv.read(f)).as(e.getKey()).isInstanceOf(DataFormatException.class)
                    .hasMessage(f + ":1: the file is " + e.getKey());
            assertThatThrownBy(() -> RawEventCsv.read(f)).as(e.getKey()).isInstanceOf(DataFormatException.class)
                    .hasMessage(f + ":1: the file is " + e.getKey());
        }
    }

    @Test
    void aDirectoryIsRejected() {
        assertThatThrownBy(() -> CreditCardCsv.read(dir))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage(dir + ": is a directory, not a CSV file");
    }

    @Test
    void aDamagedGzipFileIsOneLineNamingTheFile() throws IOException {
        Path whole = MadeUpCsv.write(dir, "data.csv.gz", 200, COLUMNS, true);
        byte[] bytes = Files.readAllBytes(whole);
        bytes[3] = (byte) 0xff; // reserved header flags: not a valid gzip header
        Path file = Files.write(dir.resolve("damaged.csv.gz"), bytes);

        assertThatThrownBy(() -> CreditCardCsv.read(file))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith(file + ": not a valid gzip file (")
                .hasMessageNotContaining("\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFiles")
    void eachMalformedFileFailsWithOneLineNamingFileLineAndReason(String what, String content, int line,
            String reason) {
        Path file = MadeUpCsv.write(dir, "bad.csv", content);

        assertThatThrownBy(() -> CreditCardCsv.read(file))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(file + ":" + line + ": " + reason)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\r"))
                .satisfies(e -> assertThat(((DataFormatException) e).line()).isEqualTo(line));
    }

    static Stream<Arguments> malformedFiles() {
        String expected = " (expected Time, V1..V28, Amount, and optionally Class and id (the row's identifier))";
        List<String> withId = with(COLUMNS, "id");
        return Stream.of(
                Arguments.of("empty file", "", 1,
                        "empty file: expected a header line Time,V1,...,V28,Amount,Class (creditcard format) or "
                                + "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT (raw payment events)"),
                Arguments.of("header only", header(COLUMNS) + "\n", 1, "header only, no data rows"),
                Arguments.of("header and blank lines only", header(COLUMNS) + "\n\n\n", 1,
                        "header only, no data rows"),
                Arguments.of("unknown column", header(with(COLUMNS, "Merchant")) + "\n" + rows(2), 1,
                        "unknown column 'Merchant'" + expected),
                Arguments.of("misspelt column", header(replace(COLUMNS, "Amount", "amount")) + "\n" + rows(2), 1,
                        "unknown column 'amount' (did you mean 'Amount'? column names are case-sensitive)"),
                Arguments.of("missing column", header(without(COLUMNS, "V17")) + "\n" + rows(2), 1,
                        "missing column 'V17'" + expected),
                Arguments.of("duplicate column", header(with(COLUMNS, "V5")) + "\n" + rows(2), 1,
                        "duplicate column 'V5'"),
                Arguments.of("duplicate id column", header(with(withId, "id")) + "\n" + rows(2), 1,
                        "duplicate column 'id'"),
                Arguments.of("misspelt id column", header(with(COLUMNS, "ID")) + "\n" + rows(2), 1,
                        "unknown column 'ID' (did you mean 'id'? column names are case-sensitive)"),
                Arguments.of("empty id", withIds(withId, "tx-1", ""), 3, "column id must not be empty"),
                Arguments.of("id too long", withIds(withId, "x".repeat(129)), 2,
                        "column id is 129 characters long, above the limit of 128 ('" + "x".repeat(40) + "...')"),
                Arguments.of("id with a control character", withIds(withId, "tx-1", "\"a\u0007b\""), 3,
                        "column id contains the control character U+0007 ('a\\u0007b')"),
                Arguments.of("repeated id", withIds(withId, "tx-1", "tx-2", "tx-1"), 4,
                        "id 'tx-1' repeats the id of line 2 (an id names one transaction: score's and the live "
                                + "scorer's results pair by it)"),
                Arguments.of("id that was not UTF-8", withIds(withId, "caf\uFFFD"), 2,
                        "column id holds U+FFFD, the mark of bytes that were not UTF-8 text (a Latin-1 accent?); save "
                                + "the file as CSV in UTF-8 ('caf\uFFFD')"),
                Arguments.of("too few fields", header(COLUMNS) + "\n" + rows(2)
                                + MadeUpCsv.line(2, without(COLUMNS, "V9"), false) + "\n",
                        4, "expected 31 fields, as in the header, but found 30"),
                Arguments.of("non-numeric value", file(3, 2, "V3", v -> "abc"), 4,
                        "non-numeric value in column V3 ('abc')"),
                Arguments.of("empty value", file(3, 0, "V28", v -> ""), 2, "empty value in column V28"),
                Arguments.of("semicolon-separated", MadeUpCsv.line(COLUMNS, false).replace(',', ';') + "\n"
                                + rows(2).replace(',', ';'), 1, "unknown column '" + MadeUpCsv.line(COLUMNS, false)
                                .replace(',', ';').substring(0, 40) + "...': the columns are separated by ';', and "
                                + "the format is comma-separated (save or export the file as CSV with commas)"),
                Arguments.of("quoted names, semicolon-separated (the CSV parser failed on the header)",
                        "\"" + MadeUpCsv.line(COLUMNS, false).replace(",", "\";\"") + "\"\n"
                                + rows(2).replace(',', ';'), 1, "the columns are separated by ';', and "
                                + "the format is comma-separated (save or export the file as CSV with commas)"),
                Arguments.of("a Java double literal", file(3, 1, "V2", v -> "1.5d"), 3,
                        "non-numeric value in column V2 ('1.5d'): a plain decimal number is expected, as in JSON"),
                Arguments.of("a hexadecimal float", file(3, 1, "Amount", v -> "0x1p6"), 3,
                        "non-numeric value in column Amount ('0x1p6'): a plain decimal number is expected, as in JSON"),
                Arguments.of("a plus sign", file(3, 2, "V5", v -> "+1.5"), 4,
                        "non-numeric value in column V5 ('+1.5'): a plain decimal number is expected, as in JSON"),
                Arguments.of("NaN", file(3, 1, "V7", v -> "NaN"), 3, "NaN or infinite value in column V7 ('NaN')"),
                Arguments.of("a terminal escape in a value is shown escaped", file(3, 1, "V4", v -> "\u001b[31mred"),
                        3, "non-numeric value in column V4 ('\\u001B[31mred')"),
                Arguments.of("infinite amount", file(3, 2, "Amount", v -> "Infinity"), 4,
                        "NaN or infinite value in column Amount ('Infinity')"),
                Arguments.of("negative amount", file(3, 1, "Amount", v -> "-12.5"), 3, "negative Amount ('-12.5')"),
                Arguments.of("amount beyond the scorer's bound", file(3, 1, "Amount", v -> "1e12"), 3,
                        "Amount = 1.0E12 is above the maximum 1.0E7 (column Amount, the scorer refuses it too)"),
                Arguments.of("PCA value beyond the scorer's bound", file(3, 2, "V1", v -> "-5000"), 4,
                        "V1 = -5000.0 is below the minimum -1000.0 (column V1, the scorer refuses it too)"),
                Arguments.of("negative time", file(3, 0, "Time", v -> "-1"), 2,
                        "negative Time ('-1'): Time counts seconds from the first transaction"),
                Arguments.of("class not 0/1", file(3, 2, "Class", v -> "2"), 4, "Class must be 0 or 1 but is '2'"),
                Arguments.of("class as a decimal", file(3, 0, "Class", v -> "1.0"), 2,
                        "Class must be 0 or 1 but is '1.0'"),
                Arguments.of("unterminated quote", file(3, 1, "V1", v -> "\"" + v), 3,
                        "malformed CSV: EOF reached before encapsulated token finished"),
                Arguments.of("line number counts blank lines", header(COLUMNS) + "\n\n" + rows(1) + "\n"
                                + MadeUpCsv.line(1, COLUMNS, false).replace(",", ";") + "\n",
                        5, "expected 31 fields, as in the header, but found 1"),
                Arguments.of("windows line endings", file(3, 2, "V12", v -> "1,5").replace("\n", "\r\n"), 4,
                        "expected 31 fields, as in the header, but found 32"),
                Arguments.of("line break inside a quoted value stays on one line",
                        file(3, 1, "V2", v -> "\"4\n2\""), 3, "non-numeric value in column V2 ('4\\n2')"));
    }

    /** A header of {@code columns} (one of them id) and one row per id, the id written as given. */
    private static String withIds(List<String> columns, String... ids) {
        StringBuilder out = new StringBuilder(header(columns)).append('\n');
        for (int row = 0; row < ids.length; row++) {
            String[] fields = MadeUpCsv.fields(row);
            List<String> line = new ArrayList<>();
            for (String column : columns) {
                line.add(column.equals("id") ? ids[row] : fields[COLUMNS.indexOf(column)]);
            }
            out.append(String.join(",", line)).append('\n');
        }
        return out.toString();
    }

    /** A header of {@code columns}, rows {@code 0..rows-1}, and row {@code badRow} with {@code column} edited. */
    private static String file(int rows, int badRow, String column, UnaryOperator<String> edit) {
        StringBuilder out = new StringBuilder(header(COLUMNS)).append('\n');
        for (int row = 0; row < rows; row++) {
            String[] fields = MadeUpCsv.fields(row);
            if (row == badRow) {
                int field = COLUMNS.indexOf(column);
                fields[field] = edit.apply(fields[field]);
            }
            out.append(String.join(",", fields)).append('\n');
        }
        return out.toString();
    }

    private static String header(List<String> columns) {
        return MadeUpCsv.line(columns, true);
    }

    private static String rows(int count) {
        StringBuilder out = new StringBuilder();
        for (int row = 0; row < count; row++) {
            out.append(MadeUpCsv.line(row, COLUMNS, false)).append('\n');
        }
        return out.toString();
    }

    private static List<String> with(List<String> columns, String extra) {
        List<String> all = new ArrayList<>(columns);
        all.add(5, extra);
        return all;
    }

    private static List<String> without(List<String> columns, String left) {
        return columns.stream().filter(c -> !c.equals(left)).toList();
    }

    private static List<String> replace(List<String> columns, String from, String to) {
        return columns.stream().map(c -> c.equals(from) ? to : c).toList();
    }

    static void assertSameContent(Dataset actual, Dataset expected) {
        assertThat(actual.rows()).isEqualTo(expected.rows());
        assertThat(actual.inputs()).containsExactly(expected.inputs());
        assertThat(actual.labels()).isEqualTo(expected.labels());
        assertThat(actual.rowNumbers()).containsExactly(expected.rowNumbers());
    }
}
