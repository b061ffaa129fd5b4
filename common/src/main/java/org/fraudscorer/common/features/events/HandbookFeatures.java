package org.fraudscorer.common.features.events;

import java.util.List;

/**
 * The handbook's 15 features ({@code BaselineFeatureTransformation}): names, order and the calendar flags.
 * The order is the handbook's {@code input_features} list and the order of {@code FeatureSchema.HANDBOOK}.
 *
 * <p>Window semantics (pandas time-based rolling windows, which are closed on the right):
 * <ul>
 *   <li>customer, window w days, payment at t: payments of the card with time in (t − w·86400, t], the current
 *       one included; count and mean amount;</li>
 *   <li>terminal, window w days, delay d days: payments of the terminal with time in (t − (d+w)·86400, t − d·86400]
 *       (the handbook computes it as rolling(d+w) − rolling(d)); count and fraud rate, 0 when the count is 0.
 *       Only payments at or before t − d are used, and their labels are taken as known by then;</li>
 *   <li>night: the handbook's code tests {@code hour <= 6}, i.e. 00:00:00–06:59:59 (its prose says "0pm to 6am");
 *       we follow the code, because the published numbers come from it;</li>
 *   <li>weekend: Saturday or Sunday.</li>
 * </ul>
 */
public final class HandbookFeatures {
    public static final long DAY = 86_400L;
    /** Window lengths in days, shared by customer and terminal features. */
    public static final int[] WINDOW_DAYS = {1, 7, 30};
    /** Days before a payment's label is known (the handbook's {@code delay_period}). */
    public static final int DEFAULT_DELAY_DAYS = 7;

    public static final int AMOUNT = 0;
    public static final int WEEKEND = 1;
    public static final int NIGHT = 2;
    /** Customer features start here: count then mean amount for 1, 7, 30 days. */
    public static final int CUSTOMER = 3;
    /** Terminal features start here: count then risk for 1, 7, 30 days. */
    public static final int TERMINAL = 9;
    public static final int COUNT = 15;

    public static final List<String> NAMES = List.of(
            "TX_AMOUNT", "TX_DURING_WEEKEND", "TX_DURING_NIGHT",
            "CUSTOMER_ID_NB_TX_1DAY_WINDOW", "CUSTOMER_ID_AVG_AMOUNT_1DAY_WINDOW",
            "CUSTOMER_ID_NB_TX_7DAY_WINDOW", "CUSTOMER_ID_AVG_AMOUNT_7DAY_WINDOW",
            "CUSTOMER_ID_NB_TX_30DAY_WINDOW", "CUSTOMER_ID_AVG_AMOUNT_30DAY_WINDOW",
            "TERMINAL_ID_NB_TX_1DAY_WINDOW", "TERMINAL_ID_RISK_1DAY_WINDOW",
            "TERMINAL_ID_NB_TX_7DAY_WINDOW", "TERMINAL_ID_RISK_7DAY_WINDOW",
            "TERMINAL_ID_NB_TX_30DAY_WINDOW", "TERMINAL_ID_RISK_30DAY_WINDOW");

    private HandbookFeatures() {
    }

    /** 1 on Saturday and Sunday. 1970-01-01 was a Thursday, so day 0 has ISO index 3 (Monday = 0). */
    public static double weekend(long epochSeconds) {
        long dow = Math.floorMod(Math.floorDiv(epochSeconds, DAY) + 3, 7);
        return dow >= 5 ? 1 : 0;
    }

    /** 1 for hours 0 to 6 inclusive, as the handbook's code ({@code hour <= 6}). */
    public static double night(long epochSeconds) {
        return Math.floorMod(epochSeconds, DAY) / 3_600 <= 6 ? 1 : 0;
    }

    /** Writes the three event-only features (amount, weekend, night) at {@code out[0..2]}. */
    public static void eventFeatures(long epochSeconds, double amount, double[] out) {
        out[AMOUNT] = amount;
        out[WEEKEND] = weekend(epochSeconds);
        out[NIGHT] = night(epochSeconds);
    }
}
