package org.fraudscorer.scorer.serde;

import ch.randelshofer.fastdoubleparser.JsonDoubleParser;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast path of {@link TransactionParser}: one pass over the payload bytes that <em>accepts</em> only the plain
 * shape almost every event has — one flat JSON object of ASCII text, field names without escapes, each input field
 * once with a JSON number, optionally {@code id} (an escape-free string or an integer) and the label (a scalar) —
 * and gives up on anything else, leaving the event to the full Jackson-based parser, which also writes every
 * rejection's reason. It never rejects: declining is always safe.
 *
 * <p>Whatever it accepts, the full parser accepts too, with bit-identical values (a property test compares the two
 * on valid, mutated and random payloads):
 * <ul>
 *   <li>numbers follow RFC 8259's grammar exactly (no leading zeros or '+', digits after '.' and 'e');</li>
 *   <li>integer literals of up to 18 digits are read as a {@code long} and converted, as Jackson does (so
 *       {@code -0} is +0.0); longer ones are declined; decimal literals go through FastDoubleParser's JSON parser,
 *       the library Jackson shades for the same job, correctly rounded; non-finite results are declined;</li>
 *   <li>control characters, non-ASCII bytes, backslashes in strings, nested values and duplicate, unknown or
 *       missing fields are all declined.</li>
 * </ul>
 * One instance per parser; not thread-safe (it remembers the field order it saw last, to match names in one
 * comparison when producers keep a fixed order).
 */
final class FastEventScanner {
    /** Longer numbers are left to the full parser (which enforces the real limit). */
    private static final int MAX_NUMBER_CHARS = 40;
    private static final int LONG_SAFE_DIGITS = 18;
    private static final int ID = -1;
    private static final int LABEL = -2;
    private static final int UNKNOWN = -3;

    private static final byte[][] WORDS = {
        "true".getBytes(StandardCharsets.US_ASCII), "false".getBytes(StandardCharsets.US_ASCII),
        "null".getBytes(StandardCharsets.US_ASCII)};

    private final byte[][] names;
    private final byte[] idName = TransactionParser.ID_FIELD.getBytes(StandardCharsets.US_ASCII);
    private final byte[] labelName = TransactionParser.LABEL_FIELD.getBytes(StandardCharsets.US_ASCII);
    private final boolean acceptLabel;
    private final int maxIdLength;
    /** Set by a successful {@link #scan}: the id, or null when the event has none. */
    private String id;
    /** Read position in the payload being scanned. */
    private int pos;
    /** Set by {@link #numberEnd}: whether the number just delimited has no fraction and no exponent. */
    private boolean isInteger;

    FastEventScanner(java.util.List<String> inputFields, boolean acceptLabel, int maxIdLength) {
        names = new byte[inputFields.size()][];
        for (int i = 0; i < names.length; i++) {
            names[i] = inputFields.get(i).getBytes(StandardCharsets.UTF_8);
        }
        this.acceptLabel = acceptLabel;
        this.maxIdLength = maxIdLength;
    }

    /** The id of the last accepted event (null when it had none). */
    String id() {
        return id;
    }

    /**
     * @return true if the payload was read completely into {@code inputs} (every input field, once); false to
     *         decline — {@code inputs} is then garbage and the caller must run the full parser
     */
    boolean scan(byte[] b, double[] inputs) {
        Arrays.fill(inputs, Double.NaN); // NaN marks "not seen": a second value for a slot is a duplicate
        id = null;
        boolean idSeen = false;
        boolean labelSeen = false;
        int seen = 0;
        int n = b.length;
        pos = skipWs(b, 0);
        if (pos >= n || b[pos] != '{') {
            return false;
        }
        pos = skipWs(b, pos + 1);
        int expected = 0; // the field expected next if producers keep the schema's order
        while (true) {
            if (pos >= n || b[pos] != '"') {
                return false; // also an empty object: the full parser names the missing fields
            }
            int nameStart = pos + 1;
            int nameEnd = endOfPlainString(b, nameStart);
            if (nameEnd < 0) {
                return false;
            }
            int field = lookup(b, nameStart, nameEnd - nameStart, expected);
            pos = skipWs(b, nameEnd + 1);
            if (pos >= n || b[pos] != ':') {
                return false;
            }
            pos = skipWs(b, pos + 1);
            if (pos >= n) {
                return false;
            }
            if (field >= 0) {
                if (!Double.isNaN(inputs[field])) {
                    return false;
                }
                double v = number(b);
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    return false; // NaN here is "not a plain number", never a value: JSON has no NaN literal
                }
                inputs[field] = v;
                seen++;
                expected = field + 1;
            } else if (field == ID) {
                if (idSeen) {
                    return false;
                }
                idSeen = true;
                if (!readId(b)) {
                    return false;
                }
            } else if (field == LABEL) {
                if (labelSeen) {
                    return false;
                }
                labelSeen = true;
                if (!skipScalar(b)) {
                    return false;
                }
            } else {
                return false;
            }
            pos = skipWs(b, pos);
            if (pos >= n) {
                return false;
            }
            if (b[pos] == ',') {
                pos = skipWs(b, pos + 1);
            } else if (b[pos] == '}') {
                pos = skipWs(b, pos + 1);
                return pos == n && seen == names.length;
            } else {
                return false;
            }
        }
    }

    private static int skipWs(byte[] b, int i) {
        while (i < b.length) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            i++;
        }
        return i;
    }

    /** Index of the closing quote of a string starting at {@code i}, or -1 if it has escapes, controls or non-ASCII. */
    private static int endOfPlainString(byte[] b, int i) {
        for (; i < b.length; i++) {
            byte c = b[i];
            if (c == '"') {
                return i;
            }
            // negative bytes (non-ASCII) are below 0x20 as signed values; DEL (0x7f) is a control character the
            // full parser refuses in an id: declined, so the full parser decides
            if (c == '\\' || c < 0x20 || c == 0x7f) {
                return -1;
            }
        }
        return -1;
    }

    private int lookup(byte[] b, int start, int length, int expected) {
        if (expected < names.length && same(b, start, length, names[expected])) {
            return expected;
        }
        for (int i = 0; i < names.length; i++) {
            if (same(b, start, length, names[i])) {
                return i;
            }
        }
        if (same(b, start, length, idName)) {
            return ID;
        }
        if (acceptLabel && same(b, start, length, labelName)) {
            return LABEL;
        }
        return UNKNOWN;
    }

    private static boolean same(byte[] b, int start, int length, byte[] name) {
        return length == name.length && Arrays.equals(b, start, start + length, name, 0, length);
    }

    /** End of a JSON number starting at {@code i} (RFC 8259 grammar), or -1; sets {@link #isInteger}. */
    private int numberEnd(byte[] b, int i) {
        int n = b.length;
        isInteger = true;
        if (i < n && b[i] == '-') {
            i++;
        }
        if (i >= n) {
            return -1;
        }
        if (b[i] == '0') {
            i++;
        } else if (b[i] >= '1' && b[i] <= '9') {
            while (i < n && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
        } else {
            return -1;
        }
        if (i < n && b[i] == '.') {
            isInteger = false;
            int digits = ++i;
            while (i < n && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == digits) {
                return -1;
            }
        }
        if (i < n && (b[i] == 'e' || b[i] == 'E')) {
            isInteger = false;
            i++;
            if (i < n && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int digits = i;
            while (i < n && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == digits) {
                return -1;
            }
        }
        return i;
    }

    /** The number at {@link #pos}, advancing past it; NaN to decline. */
    private double number(byte[] b) {
        int start = pos;
        int end = numberEnd(b, start);
        if (end < 0 || end - start > MAX_NUMBER_CHARS || !terminates(b, end)) {
            return Double.NaN;
        }
        pos = end;
        if (isInteger) {
            boolean negative = b[start] == '-';
            int d = negative ? start + 1 : start;
            if (end - d > LONG_SAFE_DIGITS) {
                return Double.NaN; // Jackson goes through BigInteger for these; leave them to it
            }
            long v = 0;
            for (int i = d; i < end; i++) {
                v = v * 10 + (b[i] - '0');
            }
            return negative ? (double) -v : (double) v; // as Jackson: the long, converted (so -0 is +0.0)
        }
        try {
            return JsonDoubleParser.parseDouble(b, start, end - start);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** A value must be followed by whitespace, ',' or '}' (e.g. "1x" or "1-2" are not numbers). */
    private static boolean terminates(byte[] b, int end) {
        if (end >= b.length) {
            return false;
        }
        byte c = b[end];
        return c == ',' || c == '}' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private boolean readId(byte[] b) {
        if (b[pos] == '"') {
            int start = pos + 1;
            int end = endOfPlainString(b, start);
            // The full parser also refuses control characters (none here: endOfPlainString declines them) and unpaired
            // surrogates (ASCII has none).
            if (end < 0 || end == start || end - start > maxIdLength) {
                return false;
            }
            id = new String(b, start, end - start, StandardCharsets.US_ASCII);
            pos = end + 1;
            return true;
        }
        int start = pos;
        int end = numberEnd(b, start);
        if (end < 0 || !isInteger || end - start > maxIdLength || !terminates(b, end)) {
            return false;
        }
        id = new String(b, start, end - start, StandardCharsets.US_ASCII); // the literal as written, as Jackson's getText
        pos = end;
        return true;
    }

    /** Skips a number, an escape-free string, true, false or null. */
    private boolean skipScalar(byte[] b) {
        byte c = b[pos];
        if (c == '"') {
            int end = endOfPlainString(b, pos + 1);
            if (end < 0) {
                return false;
            }
            pos = end + 1;
            return true;
        }
        for (byte[] word : WORDS) {
            if (c == word[0]) {
                int end = pos + word.length;
                if (end <= b.length && Arrays.equals(b, pos, end, word, 0, word.length) && terminates(b, end)) {
                    pos = end;
                    return true;
                }
                return false;
            }
        }
        int end = numberEnd(b, pos);
        if (end < 0 || end - pos > MAX_NUMBER_CHARS || !terminates(b, end)) {
            return false;
        }
        pos = end;
        return true;
    }
}
