package org.fraudscorer.common.features.events;

import java.util.List;

/**
 * The handbook's 15 features ({@code BaselineFeatureTransformation}): names, order and the calendar flags.
 * The order is the handbook's {@code input_features} list and the order of {@code FeatureSchema.HANDBOOK_V1}
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
    /**
     * How far back from a payment a card feature may read, in seconds: the longest window (30 days). The card's
     * history offline ({@link CustomerHistory}) and the scorer's card store keep this much (and {@link #LATE_GRACE}),
     * so a card feature of a new feature set must be computable from it, with a value of its own for a card with
     * nothing there: one that reads further would differ between the replay and a scorer's pruned store.
     */
    public static final long CARD_HORIZON = WINDOW_DAYS[WINDOW_DAYS.length - 1] * DAY;
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
     * The same as {@link #CARD_HORIZON} for a terminal feature, whose windows end {@code delayDays} before the payment:
     * what {@link TerminalHistory} and the scorer's terminal store keep (and {@link #LATE_GRACE}).
     */
    public static long terminalHorizon(int delayDays) {
        return (delayDays + (long) WINDOW_DAYS[WINDOW_DAYS.length - 1]) * DAY;
    }

    /**
     * The largest value a feature may take, by name, for the model schema's input checks ({@code FeatureSchema}; every
     * feature's smallest is 0). Declared per feature, not told from its name: a feature of a new set gets its range
     * here, and {@link Version} refuses a set with a feature that has none.
     */
    private static final java.util.Map<String, Double> MAX_VALUE = maxValues();

    private static java.util.Map<String, Double> maxValues() {
        double amount = org.fraudscorer.common.features.FeatureSchema.MAX_AMOUNT;
        java.util.Map<String, Double> max = new java.util.HashMap<>();
        max.put("TX_AMOUNT", amount);
        max.put("TX_DURING_WEEKEND", 1.0);
        max.put("TX_DURING_NIGHT", 1.0);
        for (int w : WINDOW_DAYS) {
            max.put("CUSTOMER_ID_NB_TX_" + w + "DAY_WINDOW", (double) Integer.MAX_VALUE);
            max.put("CUSTOMER_ID_AVG_AMOUNT_" + w + "DAY_WINDOW", amount);
            max.put("TERMINAL_ID_NB_TX_" + w + "DAY_WINDOW", (double) Integer.MAX_VALUE);
            max.put("TERMINAL_ID_RISK_" + w + "DAY_WINDOW", 1.0);
        }
        max.put("CUSTOMER_ID_AMOUNT_OVER_MEDIAN_30DAY", PROFILE_CAP);
        max.put("CUSTOMER_ID_AMOUNT_OVER_MAX_30DAY", PROFILE_CAP);
        return java.util.Map.copyOf(max);
    }

    /**
     * The versions of the raw-event feature set: the one place a set is declared. A model file names its version
     * through its schema; the trainer and the scorer compute exactly that version's features, so a v1 model keeps being
     * served as it was trained. Derived from this list: the model schemas ({@code FeatureSchema.of}, with each
     * feature's range from {@link #maxValue}), the schemas a raw-event model may have ({@code EventFamily.RAW_EVENTS},
     * {@link #newestFirst}), the names {@code --features} accepts and the messages that list them. The computation
     * is {@code FeatureEngine.customerStage} and {@code terminalStage}, which read the flags here (docs/raw-events.md,
     * "Adding a raw-event feature set").
     */
    public enum Version {
        /** The handbook's 15 features. */
        V1("handbook-v1", NAMES, false, "the handbook's 15"),
        /** The 15, then the card's amount profile ({@link #PROFILE_NAMES}). */
        V2("handbook-v2", concat(NAMES, PROFILE_NAMES), true, "the handbook's 15 and the card's amount profile");

        /** What {@code train}, {@code handbook}, {@code retrain} without a champion and the engine default to. */
        public static final Version NEWEST = V2;

        static {
            for (Version v : values()) {
                for (Version w : values()) {
                    if (v != w && v.count() == w.count()) { // ofWidth tells replayed rows apart by their width
                        throw new IllegalStateException(v + " and " + w + " have the same width, " + v.count());
                    }
                }
            }
        }

        private final String schemaName;
        private final List<String> names;
        private final boolean cardProfile;
        private final String description;

        Version(String schemaName, List<String> names, boolean cardProfile, String description) {
            for (String n : names) {
                if (!MAX_VALUE.containsKey(n)) {
                    throw new IllegalStateException("feature " + n + " of " + schemaName + " has no range in "
                            + "HandbookFeatures.MAX_VALUE");
                }
            }
            this.schemaName = schemaName;
            this.names = names;
            this.cardProfile = cardProfile;
            this.description = description;
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

        /** What the set holds, in words, e.g. "the handbook's 15". */
        public String description() {
            return description;
        }

        /** The largest value feature {@code i} may take (the smallest is 0). */
        public double maxValue(int i) {
            return MAX_VALUE.get(names.get(i));
        }

        /** Every version, {@link #NEWEST} first, then the others from the latest declared to the first. */
        public static List<Version> newestFirst() {
            List<Version> all = new java.util.ArrayList<>(List.of(values()));
            java.util.Collections.reverse(all);
            all.remove(NEWEST);
            all.add(0, NEWEST);
            return List.copyOf(all);
        }

        /** The versions as a list for messages: "handbook-v2 (the handbook's 15 and …), handbook-v1 (…)". */
        public static String known() {
            return String.join(", ", newestFirst().stream().map(v -> v.schemaName + " (" + v.description + ")")
                    .toList());
        }

        /** The version a schema name denotes; refuses any other name with the known ones listed. */
        public static Version ofSchemaName(String name) {
            for (Version v : values()) {
                if (v.schemaName.equals(name)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("unknown raw-event feature set '" + name + "' (known: " + known() + ")");
        }

        /**
         * The version whose rows are {@code values / rows} wide: replayed feature arrays carry their version in their
         * width (each version's differs), so code that receives one needs no second argument that could disagree.
         */
        public static Version ofWidth(long values, int rows) {
            for (Version v : values()) {
                if (values == (long) rows * v.count()) {
                    return v;
                }
            }
            throw new IllegalArgumentException(values + " feature values are not " + rows + " rows of a known raw-event "
                    + "feature set (" + String.join(" or ", newestFirst().stream().map(v -> v.count() + "").toList())
                    + " per row)");
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
