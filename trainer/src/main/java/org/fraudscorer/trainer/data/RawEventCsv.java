package org.fraudscorer.trainer.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.fraudscorer.common.features.EventFamily;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.features.events.TxDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads raw payment events in the handbook's CSV format:
 * {@code TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT[,TX_TIME_SECONDS,TX_TIME_DAYS][,TX_FRAUD][,TX_FRAUD_SCENARIO]}.
 *
 * <p>The header names the columns, in any order; the five event columns are required, {@code TX_FRAUD} is the
 * optional label (0 or 1; an empty cell for a payment whose verdict is not known yet), every other column
 * ({@code TX_TIME_*} are derived from the datetime, {@code TX_FRAUD_SCENARIO} is the generator's secret) is
 * ignored. {@code TX_DATETIME} is {@code YYYY-MM-DDTHH:MM:SS} (or a space for the
 * T), a wall-clock time without zone. Values are unquoted (the format has no text fields).
 *
 * <p>Hand-parsed rather than through commons-csv: 1.5 M rows is the normal size. {@code TX_DATETIME} is read by
 * {@link TxDateTime}, the scorer's reader of the field too, which consults the calendar only when the date changes
 * (the file is sorted by time).
 */
public final class RawEventCsv {
    private static final Logger LOG = LoggerFactory.getLogger(RawEventCsv.class);
    static final List<String> REQUIRED = EventFamily.RAW_EVENT_COLUMNS;
    static final String LABEL = "TX_FRAUD";
    /**
     * Amounts above this are not card payments (overflow, unit error): refused, like the creditcard reader, and by
     * the scorer's raw-event parser with the same bound.
     */
    static final double MAX_AMOUNT = FeatureSchema.MAX_AMOUNT;

    private RawEventCsv() {
    }

    /**
     * The event family of a file, told from its header alone ({@link EventFamily#ofColumns}): the commands that take
     * both formats call this once to pick their family's half. An unreadable file answers creditcard, whose reader
     * then gives its usual one-line error.
     */
    public static EventFamily family(Path file) {
        requireRegularFile(file);
        try (BufferedReader reader = CreditCardCsv.open(file, file.toString())) {
            String header = reader.readLine();
            return header == null ? EventFamily.CREDITCARD : EventFamily.ofColumns(names(header));
        } catch (IOException | UncheckedIOException e) {
            return EventFamily.CREDITCARD;
        }
    }

    /**
     * Refuses a pipe, {@code /dev/stdin} or another device as a data file: the commands read it more than once (its
     * header tells its format first), and a pipe's second read found it empty ("empty file") or half read ("unknown
     * column '835090405'"). A missing file or a directory is left to the reader's own message.
     */
    public static void requireRegularFile(Path file) {
        if (java.nio.file.Files.exists(file) && !java.nio.file.Files.isRegularFile(file)
                && !java.nio.file.Files.isDirectory(file)) { // a directory: the reader's own message says so
            throw new IllegalArgumentException(file + " is not a regular file (a pipe or a device, e.g. /dev/stdin or "
                    + "<(...)): the data is read more than once, so write it to a file first");
        }
    }

    public static RawEvents read(Path file) {
        String name = file.toString();
        long start = System.nanoTime();
        RawEvents events;
        try (BufferedReader reader = CreditCardCsv.open(file, name)) {
            events = read(reader, name);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot read (" + CreditCardCsv.readProblem(e) + ")", e);
        }
        int unknown = events.unknownLabels();
        LOG.info("Read {} raw events ({}) from {} in {} ms", events.size(), unknown == events.size() ? "unlabelled"
                : events.frauds() + " frauds" + (unknown == 0 ? "" : ", " + unknown + " labels not known"), name,
                (System.nanoTime() - start) / 1_000_000);
        return events;
    }

    static RawEvents read(BufferedReader reader, String file) throws IOException {
        String headerLine = reader.readLine();
        if (headerLine == null) {
            throw new DataFormatException(file, 1, "empty file: expected a header line " + String.join(",", REQUIRED));
        }
        List<String> names = names(headerLine);
        int[] col = new int[REQUIRED.size()];
        for (int k = 0; k < col.length; k++) {
            col[k] = names.indexOf(REQUIRED.get(k));
            if (col[k] < 0) {
                throw new DataFormatException(file, 1, "missing column " + REQUIRED.get(k) + " (header: "
                        + headerLine + ")");
            }
            requireOnce(names, REQUIRED.get(k), file);
        }
        int labelCol = names.indexOf(LABEL);
        requireOnce(names, LABEL, file);
        Columns c = new Columns(labelCol >= 0);
        LineParser p = new LineParser(file, names.size(), col, labelCol);
        long line = 1;
        for (String text; (text = reader.readLine()) != null; ) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            p.parse(text, line, c);
        }
        if (c.n == 0) {
            throw new DataFormatException(file, 1, "header only, no data rows");
        }
        return c.toEvents(file);
    }

    /** A column the reader uses, named twice, is refused: which one holds the data would be a guess. */
    private static void requireOnce(List<String> names, String column, String file) {
        if (names.indexOf(column) != names.lastIndexOf(column)) {
            throw new DataFormatException(file, 1, "duplicate column " + column);
        }
    }

    private static List<String> names(String headerLine) {
        String h = headerLine.startsWith("\uFEFF") ? headerLine.substring(1) : headerLine;
        return Arrays.stream(h.split(",", -1)).map(s -> s.strip().replace("\"", "").toUpperCase(Locale.ROOT)).toList();
    }

    /** Growing flat columns. */
    private static final class Columns {
        long[] ids = new long[1 << 16];
        long[] times = new long[1 << 16];
        long[] customers = new long[1 << 16];
        long[] terminals = new long[1 << 16];
        double[] amounts = new double[1 << 16];
        byte[] labels;
        int n;

        Columns(boolean labelled) {
            labels = labelled ? new byte[1 << 16] : null;
        }

        void add(long id, long time, long customer, long terminal, double amount, int label) {
            if (n == ids.length) {
                int cap = Math.min(Integer.MAX_VALUE - 8, n * 2);
                ids = Arrays.copyOf(ids, cap);
                times = Arrays.copyOf(times, cap);
                customers = Arrays.copyOf(customers, cap);
                terminals = Arrays.copyOf(terminals, cap);
                amounts = Arrays.copyOf(amounts, cap);
                labels = labels == null ? null : Arrays.copyOf(labels, cap);
            }
            ids[n] = id;
            times[n] = time;
            customers[n] = customer;
            terminals[n] = terminal;
            amounts[n] = amount;
            if (labels != null) {
                labels[n] = (byte) label;
            }
            n++;
        }

        RawEvents toEvents(String file) {
            return new RawEvents(file, Arrays.copyOf(ids, n), Arrays.copyOf(times, n), Arrays.copyOf(customers, n),
                    Arrays.copyOf(terminals, n), Arrays.copyOf(amounts, n), labels == null ? null : Arrays.copyOf(labels, n));
        }
    }

    /** Splits and checks one line; remembers the last date so a sorted file parses each date once. */
    private static final class LineParser {
        private final String file;
        private final int fields;
        private final int[] col;
        private final int labelCol;
        private final int[] starts;
        private final int[] ends;
        private final TxDateTime dateTime = new TxDateTime();

        LineParser(String file, int fields, int[] col, int labelCol) {
            this.file = file;
            this.fields = fields;
            this.col = col;
            this.labelCol = labelCol;
            this.starts = new int[fields];
            this.ends = new int[fields];
        }

        void parse(String s, long line, Columns out) {
            int f = 0;
            int from = 0;
            for (int i = 0; i <= s.length(); i++) {
                if (i == s.length() || s.charAt(i) == ',') {
                    if (f == fields) {
                        throw new DataFormatException(file, line, "more fields than the header's " + fields);
                    }
                    boolean quoted = i - from >= 2 && s.charAt(from) == '"' && s.charAt(i - 1) == '"';
                    starts[f] = quoted ? from + 1 : from; // "2018-04-01 00:11:47", as databases export them
                    ends[f] = quoted ? i - 1 : i;
                    f++;
                    from = i + 1;
                }
            }
            if (f != fields) {
                throw new DataFormatException(file, line, "expected " + fields + " fields, as in the header, but found " + f);
            }
            long id = integer(s, 0, line);
            long time = dateTime(s, starts[col[1]], ends[col[1]], line);
            long customer = integer(s, 2, line);
            long terminal = integer(s, 3, line);
            double amount = amount(s, starts[col[4]], ends[col[4]], line);
            int label = labelCol < 0 ? -1 : label(s, starts[labelCol], ends[labelCol], line);
            out.add(id, time, customer, terminal, amount, label);
        }

        private long integer(String s, int k, long line) {
            int a = starts[col[k]];
            int b = ends[col[k]];
            if (a == b) {
                throw new DataFormatException(file, line, "empty " + REQUIRED.get(k));
            }
            try {
                long v = Long.parseLong(s, a, b, 10);
                if (v < 0) {
                    throw new NumberFormatException();
                }
                return v;
            } catch (NumberFormatException e) {
                throw new DataFormatException(file, line, REQUIRED.get(k) + " must be a non-negative integer, got '"
                        + cut(s, a, b) + "'");
            }
        }

        private double amount(String s, int a, int b, long line) {
            double v;
            try {
                v = Double.parseDouble(s.substring(a, b));
            } catch (NumberFormatException e) {
                throw new DataFormatException(file, line, "TX_AMOUNT is not a number: '" + cut(s, a, b) + "'");
            }
            if (!(v >= 0 && v <= MAX_AMOUNT)) {
                throw new DataFormatException(file, line, "TX_AMOUNT must be in [0, " + MAX_AMOUNT + "], got '"
                        + cut(s, a, b) + "'");
            }
            if (!RowParser.plainDecimal(s, a, b)) {
                throw new DataFormatException(file, line, "TX_AMOUNT is not a plain decimal number (as in JSON): '"
                        + cut(s, a, b) + "'");
            }
            return v;
        }

        private int label(String s, int a, int b, long line) {
            if (a == b) {
                return RawEvents.UNKNOWN;
            }
            if (b - a == 1 && (s.charAt(a) == '0' || s.charAt(a) == '1')) {
                return s.charAt(a) - '0';
            }
            throw new DataFormatException(file, line, "TX_FRAUD must be 0, 1 or empty (not known yet), got '"
                    + cut(s, a, b) + "'");
        }

        /** YYYY-MM-DD[T ]HH:MM:SS → seconds since 1970-01-01T00:00 on the wall clock, by {@link TxDateTime}. */
        private long dateTime(String s, int a, int b, long line) {
            long t = dateTime.parse(s, a, b);
            if (t >= 0) {
                return t;
            }
            if (t != TxDateTime.INVALID) { // a placeholder date (0001-01-01, 1900-01-01): the scorer refuses it too
                throw new DataFormatException(file, line, TxDateTime.FIELD + " is before 1970-01-01, the first day "
                        + "the scorer reads (it dead-letters such a payment): '" + cut(s, a, b) + "'");
            }
            String why = switch (dateTime.problem()) {
                case FORMAT -> "must be YYYY-MM-DDTHH:MM:SS, got";
                case NON_DIGIT -> "has a non-digit:";
                case INVALID_DATE -> "has an invalid date:";
                case INVALID_TIME -> "has an invalid time:";
            };
            throw new DataFormatException(file, line, TxDateTime.FIELD + " " + why + " '" + cut(s, a, b) + "'");
        }

        private static String cut(String s, int a, int b) {
            return b - a <= 40 ? s.substring(a, b) : s.substring(a, a + 40) + "...";
        }
    }
}
