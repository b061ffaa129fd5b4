package org.fraudscorer.trainer.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the ULB / Worldline {@code creditcard.csv} format (as published on Kaggle) into a {@link Dataset}.
 *
 * <p>The first line is the header {@code Time,V1,...,V28,Amount,Class}, names quoted or not, in any order;
 * {@code Class} may be left out for unlabelled data, and an {@code id} column may give each row its identifier
 * (not a model input: {@code produce} sends it as the event's id, {@code score} writes it back; the live event's
 * rules for an id apply, {@link org.fraudscorer.common.text.EventIds}). Each further line is one transaction:
 * finite numbers, {@code Amount} and {@code Time} not negative, {@code Class} {@code 0} or {@code 1} (quoted or
 * not). Blank lines are skipped. A gzip-compressed file is read as such, whatever its name (told from its first two bytes).
 *
 * <p>The file is streamed ({@link CreditCardRows}, which {@code score} reads row by row): memory holds the parsed
 * values in flat arrays, never the text or an object per row (but for an {@code id} column: one string per row, and a
 * map of them to refuse a repeated id), so the full Kaggle file (284,807 rows) needs about 70 MB for its values.
 */
public final class CreditCardCsv {

    private static final Logger LOG = LoggerFactory.getLogger(CreditCardCsv.class);

    private static final int READ_BUFFER_BYTES = 1 << 16;
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private CreditCardCsv() {
    }

    /**
     * Why a data file could not be read, for {@code "cannot read (...)"}: a gzip file cut short ends in an
     * {@link java.io.EOFException} without a message, which read "cannot read (null)".
     */
    static String readProblem(IOException e) {
        if (e instanceof java.io.EOFException) { // also "Unexpected end of ZLIB input stream": a cut in the middle
            return "it ends early: a gzip file cut short, by an interrupted download or copy?";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * Reads a whole file.
     *
     * @param file a {@code creditcard.csv} file, gzip-compressed or not (told from its content)
     * @return the rows, in file order; labelled if the file has a {@code Class} column
     * @throws DataFormatException  on the first bad header or line, or if there are no data rows; the message
     *                              is one line, {@code <file>:<line>: <reason>}
     * @throws UncheckedIOException if the file is missing or cannot be read; the message is one line,
     *                              {@code <file>: <reason>}
     */
    public static Dataset read(Path file) {
        long start = System.nanoTime();
        Dataset dataset;
        try (CreditCardRows rows = CreditCardRows.open(file)) {
            RowBuffer buffer = new RowBuffer(rows.hasLabels(), rows.hasIds());
            double[] inputs = new double[Dataset.INPUT_COUNT];
            while (rows.next(inputs)) {
                if (buffer.isFull()) {
                    throw new DataFormatException(rows.source(), rows.line(), "too many rows: at most "
                            + RowBuffer.MAX_ROWS + " fit in memory");
                }
                buffer.add(inputs, rows.label(), rows.rowNumber(), rows.id());
            }
            dataset = buffer.toDataset(rows.source());
        }
        LOG.info("Read {} rows ({}) from {} in {} ms", dataset.rows(),
                dataset.hasLabels() ? dataset.positives() + " frauds" : "unlabelled", dataset.source(),
                (System.nanoTime() - start) / 1_000_000);
        return dataset;
    }

    static BufferedReader open(Path file, String name) {
        if (Files.isDirectory(file)) {
            throw new UncheckedIOException(name + ": is a directory, not a CSV file", new IOException(name));
        }
        InputStream in = null;
        try {
            in = new BufferedInputStream(Files.newInputStream(file), READ_BUFFER_BYTES);
            // told from the content, not the name: a gzip file named .csv is read, a text file named .gz too
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            if (gzip) {
                try {
                    in = new BufferedInputStream(new GZIPInputStream(in, READ_BUFFER_BYTES), READ_BUFFER_BYTES);
                } catch (IOException e) { // a damaged header: ZipException, or EOFException for a cut one
                    throw new ZipException(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
                }
            }
            in.mark(8);
            byte[] head = new byte[8];
            int n = in.readNBytes(head, 0, head.length);
            in.reset();
            String notText = notText(head, n);
            if (notText != null) {
                in.close();
                throw new DataFormatException(name, 1, "the file is " + notText);
            }
            int b0 = n > 0 ? head[0] & 0xFF : -1;
            int b1 = n > 1 ? head[1] & 0xFF : -1;
            // UTF-16 (a spreadsheet's "Unicode text"): its byte order mark, or a zero byte in an ASCII header's first
            // character; read as UTF-8 the header came out as "unknown column '\0T\0i\0m\0e...'"
            if ((b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF) || ((b0 == 0) != (b1 == 0) && b1 >= 0)) {
                in.close();
                throw new DataFormatException(name, 1, "the file is UTF-16 text (e.g. a spreadsheet's \"Unicode "
                        + "text\"); save it as CSV in UTF-8");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8),
                    READ_BUFFER_BYTES);
            skipByteOrderMark(reader);
            return reader;
        } catch (IOException e) {
            closeQuietly(in, e);
            throw new UncheckedIOException(name + ": " + openFailure(e), e);
        }
    }

    /**
     * What a file that is no text file is, told from its first {@code n} bytes, and what to do, or null: an archive or
     * a spreadsheet, or a compression other than gzip (which is read as it is). Read as text, its header was
     * "unknown column 'PK\u0003\u0004\u0014...'".
     */
    static String notText(byte[] head, int n) {
        if (startsWith(head, n, 'P', 'K', 3, 4) || startsWith(head, n, 'P', 'K', 5, 6)) {
            return "a zip archive (a spreadsheet's .xlsx is one): unzip it, or save the sheet as CSV";
        }
        if (startsWith(head, n, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
            return "a spreadsheet in Excel's .xls format: save the sheet as CSV";
        }
        String compression = startsWith(head, n, 'B', 'Z', 'h') && n >= 6 && head[3] >= '1' && head[3] <= '9'
                && head[4] == 0x31 && head[5] == 0x41 ? "bzip2"
                : startsWith(head, n, 0xFD, '7', 'z', 'X', 'Z', 0) ? "xz"
                : startsWith(head, n, 0x28, 0xB5, 0x2F, 0xFD) ? "zstd" : null;
        return compression == null ? null : compression + "-compressed: decompress it first (gzip is read as it is)";
    }

    private static boolean startsWith(byte[] head, int n, int... magic) {
        if (n < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** Files saved by spreadsheet programs may start with a UTF-8 byte order mark; it is not data. */
    private static void skipByteOrderMark(BufferedReader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != BYTE_ORDER_MARK) {
            reader.reset();
        }
    }

    private static String openFailure(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof ZipException) {
            return "not a valid gzip file (" + e.getMessage() + ")";
        }
        return (e instanceof java.io.EOFException ? "cannot read (" : "cannot open (") + readProblem(e) + ")";
    }

    private static void closeQuietly(InputStream in, IOException failure) {
        if (in == null) {
            return;
        }
        try {
            in.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
