package org.fraudscorer.common.text;

import java.util.Locale;

/**
 * What an event identifier may be, wherever one enters: the {@code id} field of a live event and the {@code id}
 * column of a creditcard-format file (which {@code produce} sends as that field, and {@code score} writes back).
 * Non-empty, at most {@value #MAX_LENGTH} UTF-16 chars, no control characters and no unpaired surrogates: ids end
 * up in logs, record keys and headers, and CSV lines.
 */
public final class EventIds {

    /** Longest accepted id, in UTF-16 chars. */
    public static final int MAX_LENGTH = 128;

    private EventIds() {
    }

    /** @return why {@code id} is not an acceptable identifier, or null if it is */
    public static String problem(String id) {
        return problem(id.toCharArray(), 0, id.length());
    }

    /**
     * The check on a slice of a character buffer (a JSON parser's), without copying it.
     *
     * @return why the {@code length} chars from {@code offset} are not an acceptable identifier, or null if they are
     */
    public static String problem(char[] chars, int offset, int length) {
        if (length == 0) {
            return "must not be empty";
        }
        if (length > MAX_LENGTH) {
            return "is " + length + " characters long, above the limit of " + MAX_LENGTH;
        }
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            char c = chars[i];
            if (Character.isISOControl(c)) {
                return "contains the control character U+" + hex(c);
            }
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains the unpaired surrogate U+" + hex(c);
            }
        }
        return null;
    }

    private static String hex(char c) {
        return String.format(Locale.ROOT, "%04X", (int) c);
    }
}
