package org.fraudscorer.common.features.events;

import java.util.List;

/**
 * The handbook's 15 features ({@code BaselineFeatureTransformation}): names, order and the calendar flags.
 * The order is the handbook's {@code input_features} list and the order of {@code FeatureSchema.HANDBOOK}
 * ({@code handbook-v1}); {@code handbook-v2} adds the card's amount profile ({@link #PROFILE_NAMES}), 17 in all
 * ({@link Version}).
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
    /**
     * How long a history keeps payments past its windows' reach from its newest payment: a payment that arrives up to
     * a day after a later one (another repartition's path, a card paying across time zones, a payment dated ahead
     * within the accepted clock skew) still finds every earlier payment its windows cover. The windows are bounded by
     * each payment's own time, so no feature of a payment in time order changes; the daily sweep keeps the same margin.
     */
    public static final long LATE_GRACE = DAY;
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
    /** The handbook's features: all of {@code handbook-v1}, the first 15 of {@code handbook-v2}. */
    public static final int COUNT = 15;
    /** {@code handbook-v2} only: the card's amount profile starts here ({@link CustomerHistory#profile}). */
    public static final int PROFILE = 15;

    public static final List<String> NAMES = List.of(
            "TX_AMOUNT", "TX_DURING_WEEKEND", "TX_DURING_NIGHT",
            "CUSTOMER_ID_NB_TX_1DAY_WINDOW", "CUSTOMER_ID_AVG_AMOUNT_1DAY_WINDOW",
            "CUSTOMER_ID_NB_TX_7DAY_WINDOW", "CUSTOMER_ID_AVG_AMOUNT_7DAY_WINDOW",
            "CUSTOMER_ID_NB_TX_30DAY_WINDOW", "CUSTOMER_ID_AVG_AMOUNT_30DAY_WINDOW",
            "TERMINAL_ID_NB_TX_1DAY_WINDOW", "TERMINAL_ID_RISK_1DAY_WINDOW",
            "TERMINAL_ID_NB_TX_7DAY_WINDOW", "TERMINAL_ID_RISK_7DAY_WINDOW",
            "TERMINAL_ID_NB_TX_30DAY_WINDOW", "TERMINAL_ID_RISK_30DAY_WINDOW");

    /**
     * The card's amount profile ({@code handbook-v2}), from the card's <em>previous</em> payments of the last 30 days
     * (the payment itself left out): the amount over their median and over their maximum. See
     * {@link CustomerHistory#profile}; docs/handbook-results.md gives the validation-fold measurements that kept these
     * two of five candidates.
     */
    public static final List<String> PROFILE_NAMES = List.of(
            "CUSTOMER_ID_AMOUNT_OVER_MEDIAN_30DAY", "CUSTOMER_ID_AMOUNT_OVER_MAX_30DAY");

    /**
     * How many days before a payment's day its features read: the longest window (30 days), for the terminal's
     * windows ending {@code delayDays} earlier, and the day of the payment's own time of day. A replay that starts
     * this many days before the first payment it trains on gives that payment the features a scorer with full stores
     * computes.
     */
    public static int historyDays(int delayDays) {
        return WINDOW_DAYS[WINDOW_DAYS.length - 1] + delayDays + 1;
    }

    /** Ratios are capped here: a first large payment after a few cents must not sit 10⁵ times out. */
    public static final double PROFILE_CAP = 50;

    /**
     * The versions of the raw-event feature set. A model file names its version through its schema; the trainer and
     * the scorer compute exactly that version's features, so a v1 model keeps being served as it was trained.
     */
    public enum Version {
        /** The handbook's 15 features. */
        V1("handbook-v1", NAMES, false),
        /** The 15, then the card's amount profile ({@link #PROFILE_NAMES}). */
        V2("handbook-v2", concat(NAMES, PROFILE_NAMES), true);

        /** What {@code train}, {@code handbook}, {@code retrain} without a champion and the engine default to. */
        public static final Version NEWEST = V2;

        private final String schemaName;
        private final List<String> names;
        private final boolean cardProfile;

        Version(String schemaName, List<String> names, boolean cardProfile) {
            this.schemaName = schemaName;
            this.names = names;
            this.cardProfile = cardProfile;
        }

        /** The feature schema's name, e.g. {@code handbook-v2}. */
        public String schemaName() {
            return schemaName;
        }

        public List<String> names() {
            return names;
        }

        public int count() {
            return names.size();
        }

        /** Whether the card stage also writes the amount profile. */
        public boolean cardProfile() {
            return cardProfile;
        }

        /** The version a schema name denotes; refuses any other name with the known ones listed. */
        public static Version ofSchemaName(String name) {
            for (Version v : values()) {
                if (v.schemaName.equals(name)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("unknown raw-event feature set '" + name + "' (known: handbook-v1, "
                    + "handbook-v2)");
        }

        /**
         * The version whose rows are {@code values / rows} wide: replayed feature arrays carry their version in their
         * width (15 or 17), so code that receives one needs no second argument that could disagree with it.
         */
        public static Version ofWidth(long values, int rows) {
            for (Version v : values()) {
                if (values == (long) rows * v.count()) {
                    return v;
                }
            }
            throw new IllegalArgumentException(values + " feature values are not " + rows + " rows of a known raw-event "
                    + "feature set (15 or 17 per row)");
        }

        private static List<String> concat(List<String> a, List<String> b) {
            List<String> all = new java.util.ArrayList<>(a);
            all.addAll(b);
            return List.copyOf(all);
        }
    }

    private HandbookFeatures() {
    }

    /** 1 on Saturday and Sunday. 1970-01-01 was a Thursday, so day 0 has ISO index 3 (Monday = 0). */
    public static double weekend(long epochSeconds) {
        long dow = Math.floorMod(day(epochSeconds) + 3, 7);
        return dow >= 5 ? 1 : 0;
    }

    /** 1 for hours 0 to 6 inclusive, as the handbook's code ({@code hour <= 6}). */
    public static double night(long epochSeconds) {
        return Math.floorMod(epochSeconds, DAY) / 3_600 <= 6 ? 1 : 0;
    }

    /** The UTC day (days since 1970-01-01) of an epoch-second time: the unit of the windows and of the stores. */
    public static long day(long epochSeconds) {
        return Math.floorDiv(epochSeconds, DAY);
    }

    /** Writes the three event-only features (amount, weekend, night) at {@code out[0..2]}. */
    public static void eventFeatures(long epochSeconds, double amount, double[] out) {
        out[AMOUNT] = amount;
        out[WEEKEND] = weekend(epochSeconds);
        out[NIGHT] = night(epochSeconds);
    }
}
