package org.fraudscorer.common.text;

import java.util.Locale;

/**
 * What an event identifier may be, wherever one enters: the {@code id} field of a live event and the {@code id}
 * column of a creditcard-format file (which {@code produce} sends as that field, and {@code score} writes back).
 * Non-empty, at most {@value #MAX_LENGTH} UTF-16 chars, no control characters, no invisible format characters and
 * no unpaired surrogates: ids end up in logs, record keys and headers, CSV lines and the analysts' page. A format
 * character (Unicode category Cf: the bidirectional overrides and isolates, zero-width spaces and joiners, a byte
 * order mark) is invisible, or reorders the text around it: an id {@code x}, U+202E, {@code evil.exe} showed on the
 * analysts' page as "xexe.live" (a hunt), and two ids that differ only by one look the same.
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
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                cp = Character.toCodePoint(c, chars[++i]);
            } else if (Character.isSurrogate(c)) {
                return "contains the unpaired surrogate U+" + hex(c);
            }
            if (Character.getType(cp) == Character.FORMAT) {
                return "contains the invisible format character U+" + String.format(Locale.ROOT, "%04X", cp)
                        + " (it can make an id look like another)";
            }
        }
        return null;
    }

    private static String hex(char c) {
        return String.format(Locale.ROOT, "%04X", (int) c);
    }
}
