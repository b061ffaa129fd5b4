package org.fraudscorer.app.console;

import java.util.Locale;

/**
 * An analyst's decision on one alert, as written to the labels topic.
 *
 * @param alertId    the alert's event id
 * @param action     what the reviewer said
 * @param reviewer   who said it (as typed on the page; checked by {@link #reviewerName})
 * @param atMs       when the label was written, epoch ms
 */
public record Verdict(String alertId, Action action, String reviewer, long atMs) {

    /** The two buttons of an alert. */
    public enum Action {
        CONFIRMED_FRAUD, FALSE_ALARM;

        public boolean fraud() {
            return this == CONFIRMED_FRAUD;
        }

        /** {@code confirmed_fraud} or {@code false_alarm} (the page's and the headers' spelling). */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Action parse(String s) {
            for (Action a : values()) {
                if (a.wire().equals(s)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("action must be confirmed_fraud or false_alarm");
        }
    }

    /**
     * A reviewer name: 1 to 64 printable characters, no control characters (it goes into record headers) and no
     * invisible format characters (a bidirectional override made a name display as another on the page; as ids).
     */
    static String reviewerName(String s) {
        String r = s == null ? "" : s.strip();
        if (r.isEmpty() || r.length() > 64 || r.codePoints().anyMatch(c -> Character.isISOControl(c)
                || Character.getType(c) == Character.SURROGATE || Character.getType(c) == Character.FORMAT)) {
            throw new IllegalArgumentException("reviewer must be 1 to 64 printable characters");
        }
        return r;
    }
}
