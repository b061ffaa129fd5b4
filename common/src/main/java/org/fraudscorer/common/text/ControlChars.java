package org.fraudscorer.common.text;

/**
 * Text from outside (an event's bytes, a parser's echo of them, a record read back from a topic) made safe for one
 * line of a log, a header or a terminal: every control character and unpaired surrogate is written as
 * {@code \\uXXXX}, so a line break cannot split the line, an escape sequence cannot drive the terminal and the text
 * encodes as UTF-8; a character beyond the BMP (an emoji, a surrogate pair) is kept, so an id prints as written. Used
 * by the dead-letter details, by {@code ./fraud tail} and by the trainer's data errors.
 */
public final class ControlChars {
    private ControlChars() {
    }

    /** {@code s} with its control characters and unpaired surrogates escaped; {@code s} itself when it has none. */
    public static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1));
            if (pair) {
                if (out != null) {
                    out.append(c).append(s.charAt(i + 1));
                }
                i++;
            } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                out.append(String.format("\\u%04X", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
