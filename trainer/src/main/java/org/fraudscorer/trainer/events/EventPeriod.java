package org.fraudscorer.trainer.events;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.stream.IntStream;
import org.fraudscorer.common.features.events.HandbookFeatures;
import org.fraudscorer.trainer.data.RawEvents;

/**
 * A period of whole days, both ends inclusive ({@code --train-from 2018-07-25 --train-to 2018-07-31} is 7 days), on
 * the events' wall clock. A null end is open: the period then reaches the first or last event.
 */
public record EventPeriod(LocalDate from, LocalDate to) {

    public EventPeriod {
        if (from != null && to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("period ends (" + to + ") before it starts (" + from + ")");
        }
    }

    /**
     * Parses two optional option values.
     *
     * @param option the options' stem for messages, e.g. {@code train} for {@code --train-from/--train-to}
     */
    public static EventPeriod parse(String option, String from, String to) {
        LocalDate a = date("--" + option + "-from", from);
        LocalDate b = date("--" + option + "-to", to);
        if (a != null && b != null && b.isBefore(a)) {
            throw new IllegalArgumentException("--" + option + "-to " + b + " is before --" + option + "-from " + a);
        }
        return new EventPeriod(a, b);
    }

    /** An inclusive day given on a command line (null stays null); a bad one names its option. */
    public static LocalDate date(String option, String text) {
        if (text == null) {
            return null;
        }
        LocalDate d;
        try {
            d = LocalDate.parse(text.strip()); // ISO YYYY-MM-DD, strict about month and day ranges
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be a date YYYY-MM-DD, got '" + text + "'");
        }
        // the days TX_DATETIME is read in (simulate's bound too); -999999999-01-01 ended in a JDK EpochDay error
        if (d.isBefore(org.fraudscorer.common.features.events.TxDateTime.FIRST_DAY)
                || d.isAfter(org.fraudscorer.common.features.events.TxDateTime.LAST_DAY)) {
            throw new IllegalArgumentException(option + " must be a date from "
                    + org.fraudscorer.common.features.events.TxDateTime.FIRST_DAY + " to "
                    + org.fraudscorer.common.features.events.TxDateTime.LAST_DAY + ", got " + d);
        }
        return d;
    }

    public boolean contains(long epochSeconds) {
        long day = HandbookFeatures.day(epochSeconds);
        return (from == null || day >= from.toEpochDay()) && (to == null || day <= to.toEpochDay());
    }

    /**
     * Indices of the events inside the period, in file order.
     *
     * @throws IllegalArgumentException naming the period and the file's date range when no event falls inside
     */
    public int[] rows(RawEvents events, String what) {
        int[] rows = IntStream.range(0, events.size()).filter(i -> contains(events.time(i))).toArray();
        if (rows.length == 0) {
            throw new IllegalArgumentException("no " + what + " events from " + (from == null ? "the start" : from)
                    + " to " + (to == null ? "the end" : to) + " in " + events.source() + " (its events run from "
                    + firstDay(events) + " to " + lastDay(events) + ")");
        }
        return rows;
    }

    /** This period with {@code days} more days before its start (an open start stays open). */
    public EventPeriod withDaysBefore(int days) {
        return new EventPeriod(from == null ? null : from.minusDays(days), to);
    }

    /** The number of days of a closed period. */
    public int days() {
        if (from == null || to == null) {
            throw new IllegalStateException("the period " + this + " is open");
        }
        return (int) (to.toEpochDay() - from.toEpochDay() + 1);
    }

    @Override
    public String toString() {
        return (from == null ? "start" : from.toString()) + ".." + (to == null ? "end" : to.toString());
    }

    /** The day of the earliest event of {@code e}. */
    public static LocalDate firstDay(RawEvents e) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < e.size(); i++) {
            min = Math.min(min, e.time(i));
        }
        return LocalDate.ofEpochDay(HandbookFeatures.day(min));
    }

    /** The day of the latest event of {@code e}. */
    public static LocalDate lastDay(RawEvents e) {
        return LocalDate.ofEpochDay(HandbookFeatures.day(lastTime(e)));
    }

    private static long lastTime(RawEvents e) {
        long max = Long.MIN_VALUE;
        for (int i = 0; i < e.size(); i++) {
            max = Math.max(max, e.time(i));
        }
        return max;
    }

    /**
     * The last whole day all of whose payments are at least {@code delayDays} older than the last payment of
     * {@code e}: every label of that day has arrived by then (a day later than the last payment's date minus the
     * delay would hold payments whose labels are still due). What {@code train}'s refit and {@code retrain}'s
     * labelled window both end on.
     */
    public static LocalDate lastLabelledDay(RawEvents e, int delayDays) {
        long max = lastTime(e);
        // Day d is whole and labelled when its end, (d + 1) · DAY, is at most max − delay · DAY + 1 second.
        return LocalDate.ofEpochDay(Math.floorDiv(max - delayDays * HandbookFeatures.DAY + 1, HandbookFeatures.DAY) - 1);
    }
}
