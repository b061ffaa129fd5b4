package org.fraudscorer.common.features.events;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Reads the handbook's {@code TX_DATETIME}, {@code "YYYY-MM-DDTHH:MM:SS"} (a space for the {@code T} is accepted,
 * as the CSV files spell it), into seconds since 1970-01-01T00:00:00 on the same wall clock: no zone, as in
 * {@link RawEvent#epochSeconds()}. The one reader of the field: the trainer's CSV reader, the scorer's event
 * parser and the console all call it, each turning a {@link Problem} into its own kind of error; and the one writer,
 * {@link #format(long)}.
 *
 * <p>Events come roughly in time order, so the day of the last date read is kept and the calendar is consulted
 * only when the date changes. Nothing is allocated on any path. Not thread-safe (the kept day and the last
 * problem): one instance per reader.
 */
public final class TxDateTime {
    /** The field's name in the CSV header and the event JSON. */
    public static final String FIELD = "TX_DATETIME";
    /** Characters of the string form. */
    public static final int LENGTH = 19;
    /** Returned by the parse methods for a value that is not a date-time; {@link #problem()} says why. */
    public static final long INVALID = Long.MIN_VALUE;
    /** 9999-12-31T23:59:59: the last second the string form can spell. */
    public static final long MAX_EPOCH_SECONDS = 253_402_300_799L;
    /** The days a payment may be dated on the command line (simulate's start, a training or retraining period). */
    public static final java.time.LocalDate FIRST_DAY = java.time.LocalDate.of(1970, 1, 1);
    public static final java.time.LocalDate LAST_DAY = java.time.LocalDate.of(9999, 12, 31);

    /** Why a value is not a date-time, in the order they are checked: the first that applies is reported. */
    public enum Problem {
        /** Not 19 characters with {@code -}, {@code -}, {@code T} or space, {@code :}, {@code :} in their places. */
        FORMAT,
        /** A character that should be a digit is not. */
        NON_DIGIT,
        /** No such day (month 13, February 30). */
        INVALID_DATE,
        /** Hour above 23, minute or second above 59. */
        INVALID_TIME
    }

    /** Always with seconds: {@code LocalDateTime.toString} drops a {@code :00}, which the format does not allow. */
    private static final DateTimeFormatter WRITTEN = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT);

    private final char[] scratch = new char[LENGTH];
    private int keptDate = -1; // yyyymmdd of the last valid date, -1 before the first
    private long keptEpochDay;
    private Problem problem;

    /** Reads {@code s[from, to)}; {@link #INVALID} when it is not a date-time. */
    public long parse(CharSequence s, int from, int to) {
        if (to - from != LENGTH) {
            return invalid(Problem.FORMAT);
        }
        for (int i = 0; i < LENGTH; i++) {
            scratch[i] = s.charAt(from + i);
        }
        return parse(scratch, 0, LENGTH);
    }

    /** Reads {@code length} characters of {@code c} from {@code offset}; {@link #INVALID} when not a date-time. */
    public long parse(char[] c, int offset, int length) {
        int a = offset;
        if (length != LENGTH || c[a + 4] != '-' || c[a + 7] != '-' || (c[a + 10] != 'T' && c[a + 10] != ' ')
                || c[a + 13] != ':' || c[a + 16] != ':') {
            return invalid(Problem.FORMAT);
        }
        int y = digits(c, a, 4);
        int mo = digits(c, a + 5, 2);
        int d = digits(c, a + 8, 2);
        int h = digits(c, a + 11, 2);
        int mi = digits(c, a + 14, 2);
        int s = digits(c, a + 17, 2);
        if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) {
            return invalid(Problem.NON_DIGIT);
        }
        int date = y * 10_000 + mo * 100 + d;
        if (date != keptDate) {
            try {
                keptEpochDay = LocalDate.of(y, mo, d).toEpochDay();
            } catch (DateTimeException e) {
                return invalid(Problem.INVALID_DATE);
            }
            keptDate = date;
        }
        if (h > 23 || mi > 59 || s > 59) {
            return invalid(Problem.INVALID_TIME);
        }
        problem = null;
        return keptEpochDay * 86_400L + h * 3_600L + mi * 60L + s;
    }

    /** The string form, {@code "YYYY-MM-DDTHH:MM:SS"}, of seconds since 1970 on the payment's wall clock. */
    public static String format(long epochSeconds) {
        return WRITTEN.format(LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC));
    }

    /** Why the last parse returned {@link #INVALID}; null after a valid value. */
    public Problem problem() {
        return problem;
    }

    private long invalid(Problem p) {
        problem = p;
        return INVALID;
    }

    /** The value of n ASCII digits, or −1 if one is not a digit. */
    private static int digits(char[] c, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            if (c[i] < '0' || c[i] > '9') {
                return -1;
            }
            v = v * 10 + (c[i] - '0');
        }
        return v;
    }
}
