package org.fraudscorer.common.text;

import java.util.Locale;

/**
 * A count and its noun for the commands' output: {@code 1 fraud}, {@code 2,345 frauds}, {@code 0 frauds}. Lines
 * with a count that can be one read "1 frauds" before.
 */
public final class Counted {
    private Counted() {
    }

    /** {@code n} with thousands separators, then {@code one} when {@code n} is 1, else {@code many}. */
    public static String of(long n, String one, String many) {
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? one : many);
    }

    /** As {@link #of(long, String, String)} for a noun whose plural adds an s ({@code fraud}, {@code event}). */
    public static String of(long n, String one) {
        return of(n, one, one + "s");
    }
}
