package org.fraudscorer.trainer.events;

import java.time.LocalDate;
import java.util.Locale;
import org.fraudscorer.common.features.events.HandbookFeatures;

/**
 * Whether payments replayed from what was read (a file, or the topics {@code retrain} reads) have the history their
 * features need behind them: the longest window and the label delay from the first day read. The first
 * payments of a shorter history see card and terminal windows that started empty, which no scorer with warm stores
 * computes. One rule and one wording for {@code train}, {@code score}, {@code handbook} and {@code retrain}.
 */
public final class WarmHistory {
    private WarmHistory() {
    }

    /**
     * The warning for payments from {@code from} when the first payment read is on {@code firstRead}, or null when the
     * history is whole.
     *
     * @param what        the payments, e.g. {@code the training period}
     * @param consequence what follows, e.g. {@code so their counts are lower}
     * @param option      the option that moves them later, or null when none does
     */
    public static String warning(LocalDate firstRead, LocalDate from, int delayDays, String what, String consequence,
                                 String option) {
        int[] w = HandbookFeatures.WINDOW_DAYS;
        // A payment at t reads its terminal's payments of (t - delay - 30 days, t - delay]: from the day the delay and
        // the longest window after the first day read, every one is there (a read starting at a day boundary)
        LocalDate warm = firstRead.plusDays(w[w.length - 1] + delayDays);
        if (!from.isBefore(warm)) {
            return null;
        }
        return String.format(Locale.ROOT, "%s start%s %s, %d days after the first payment read (%s): the %d-day card "
                + "and terminal windows (the terminal's %d days before them) of the first payments see less history "
                + "than a live scorer with warm stores, %s; give %smore history",
                what, what.endsWith("s") ? "" : "s", from, java.time.temporal.ChronoUnit.DAYS.between(firstRead, from),
                firstRead, w[w.length - 1], delayDays, consequence, option == null ? "" : option + " " + warm
                        + " or later, or ");
    }
}
