package org.fraudscorer.trainer.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A {@code creditcard.csv} file read one row at a time, with the checks of {@link CreditCardCsv#read}: what
 * {@code score} streams through, so that a file of any length is scored in the memory of one row (and, for a file with
 * an {@code id} column, of the ids met so far, which a repeated id is refused against). {@link CreditCardCsv#read}
 * collects these rows into a {@link Dataset}.
 *
 * <pre>{@code
 * try (CreditCardRows rows = CreditCardRows.open(file)) {
 *     double[] inputs = new double[Dataset.INPUT_COUNT];
 *     while (rows.next(inputs)) {
 *         ... rows.id(), rows.label() ...
 *     }
 * }
 * }</pre>
 */
public final class CreditCardRows implements AutoCloseable {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreEmptyLines(false) // keeps the line count right; blank lines are skipped below
            .setIgnoreSurroundingSpaces(true)
            .get();

    private final String file;
    private final BufferedReader reader;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final CsvHeader header;
    private final RowParser rowParser;
    private long line = 1;
    private int rows;
    private int label = -1;

    private CreditCardRows(String file, BufferedReader reader) throws IOException {
        this.file = file;
        this.reader = reader;
        // Quoted names separated by another character fail the CSV parser on the header itself ("invalid character
        // between encapsulated token and delimiter"): said as the unquoted ones are, from the first line's text
        char[] start = new char[4096];
        reader.mark(start.length);
        int n = reader.read(start, 0, start.length);
        reader.reset();
        if (n > 0) {
            String first = new String(start, 0, n).lines().findFirst().orElse("");
            String separated = CsvHeader.otherSeparator(first);
            if (separated != null && first.indexOf('"') >= 0) {
                throw new DataFormatException(file, 1, separated);
            }
        }
        this.parser = FORMAT.parse(reader);
        this.records = parser.iterator();
        this.header = guard(() -> {
            if (!records.hasNext()) {
                throw new DataFormatException(file, line, "empty file: expected a header line "
                        + "Time,V1,...,V28,Amount,Class (creditcard format) or "
                        + String.join(",", RawEventCsv.REQUIRED) + " (raw payment events)");
            }
            return CsvHeader.parse(records.next().toList(), file);
        });
        this.rowParser = new RowParser(header, file);
    }

    /**
     * Opens a file and reads its header.
     *
     * @param file a {@code creditcard.csv} file, gzip-compressed or not (told from its content)
     * @throws DataFormatException  on a bad header or an empty file; the message is one line,
     *                              {@code <file>:<line>: <reason>}
     * @throws UncheckedIOException if the file is missing or cannot be read; one line, {@code <file>: <reason>}
     */
    public static CreditCardRows open(Path file) {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        BufferedReader reader = CreditCardCsv.open(file, name);
        try {
            return new CreditCardRows(name, reader);
        } catch (IOException e) {
            closeAfter(reader, e);
            throw new UncheckedIOException(name + ": cannot read (" + CreditCardCsv.readProblem(e) + ")", e);
        } catch (RuntimeException e) {
            closeAfter(reader, e);
            throw e;
        }
    }

    /** The file's name, as in error messages. */
    public String source() {
        return file;
    }

    /** Whether the file has a {@code Class} column. */
    public boolean hasLabels() {
        return header.hasLabels();
    }

    /** Whether the file has an {@code id} column. */
    public boolean hasIds() {
        return header.hasIds();
    }

    /**
     * Reads the next data row (blank lines are skipped).
     *
     * @param inputs receives the row's {@link Dataset#INPUT_COUNT} inputs in canonical order
     * @return false at the end of the file
     * @throws DataFormatException on a bad line (one line, {@code <file>:<line>: <reason>}), or at the end of a file
     *                             that held no data row
     */
    public boolean next(double[] inputs) {
        return guard(() -> {
            while (true) {
                line = parser.getCurrentLineNumber() + 1;
                if (!records.hasNext()) {
                    if (rows == 0) {
                        throw new DataFormatException(file, 1, "header only, no data rows");
                    }
                    return false;
                }
                CSVRecord record = records.next();
                if (record.size() == 1 && record.get(0).isEmpty()) {
                    continue; // a blank line
                }
                if (rows == Integer.MAX_VALUE) {
                    throw new DataFormatException(file, line, "too many rows: at most " + Integer.MAX_VALUE);
                }
                label = rowParser.parse(record, line, inputs);
                rows++;
                return true;
            }
        });
    }

    /** The current row's label, 0 or 1, or -1 when the file has no {@code Class} column. */
    public int label() {
        return label;
    }

    /** The current row's 1-based position among the file's data rows (blank lines not counted). */
    public int rowNumber() {
        return rows;
    }

    /** The current row's {@code id}, or null when the file has no {@code id} column. */
    public String id() {
        return rowParser.id();
    }

    /** The line of the file the current row starts on. */
    public long line() {
        return line;
    }

    @Override
    public void close() {
        try {
            parser.close();
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot close (" + e.getMessage() + ")", e);
        }
    }

    /** Runs a read, turning the CSV library's failures into one-line messages with the line. */
    private <T> T guard(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CSVException) {
                throw new DataFormatException(file, line, "malformed CSV: "
                        + e.getCause().getMessage().replaceFirst("^\\(startline \\d+\\)\\s*", ""));
            }
            throw new UncheckedIOException(file + ":" + line + ": cannot read ("
                    + CreditCardCsv.readProblem(e.getCause()) + ")",
                    e.getCause());
        }
    }

    private static void closeAfter(BufferedReader reader, Exception failure) {
        try {
            reader.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
