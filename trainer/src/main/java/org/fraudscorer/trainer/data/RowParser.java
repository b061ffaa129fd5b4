package org.fraudscorer.trainer.data;

import org.apache.commons.csv.CSVRecord;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.common.text.EventIds;

/**
 * Checks one data line of a {@code creditcard.csv} file and turns it into canonical inputs, a label and, when the
 * file has an {@code id} column, the row's identifier ({@link #id()}).
 */
final class RowParser {

    /** Longest raw value quoted in an error message; longer ones are cut. */
    private static final int MAX_SHOWN = 40;

    private final CsvHeader header;
    private final String file;
    private final java.util.Map<String, Long> firstLines = new java.util.HashMap<>();
    private String id;

    RowParser(CsvHeader header, String file) {
        this.header = header;
        this.file = file;
    }

    /**
     * Parses {@code record} into {@code inputs} (canonical order, {@link Dataset#INPUT_COUNT} values) and the
     * identifier {@link #id()} returns.
     *
     * @param line the 1-based line of the file the record starts on, for error messages
     * @return the label, 0 or 1, or -1 if the file has no {@code Class} column
     * @throws DataFormatException on the first problem found in the line
     */
    int parse(CSVRecord record, long line, double[] inputs) {
        if (record.size() != header.fieldCount()) {
            throw new DataFormatException(file, line, "expected " + header.fieldCount()
                    + " fields, as in the header, but found " + record.size());
        }
        int label = -1;
        id = null;
        for (int field = 0; field < header.fieldCount(); field++) {
            String text = record.get(field);
            int target = header.target(field);
            if (target == CsvHeader.LABEL) {
                label = parseLabel(text, line);
            } else if (target == CsvHeader.ID) {
                id = parseId(text, line);
            } else {
                inputs[target] = parseInput(text, header.name(field), target, line);
            }
        }
        return label;
    }

    /** The identifier of the last parsed line, or null when the file has no {@code id} column. */
    String id() {
        return id;
    }

    /**
     * The live scorer's rules for an event's id (a row {@code produce} could not send is refused here), and one
     * more: no U+FFFD, the character that decoding puts for bytes that are not UTF-8 (a Latin-1 file's {@code é}),
     * which would make distinct ids one.
     */
    private String parseId(String text, long line) {
        String problem = EventIds.problem(text);
        if (problem == null && text.indexOf('\uFFFD') >= 0) {
            problem = "holds U+FFFD, the mark of bytes that were not UTF-8 text (a Latin-1 accent?); save the file "
                    + "as CSV in UTF-8";
        }
        if (problem != null) {
            throw new DataFormatException(file, line, "column " + CsvHeader.ID_NAME + " " + problem
                    + (text.isEmpty() ? "" : " (" + shown(text) + ")"));
        }
        Long first = firstLines.putIfAbsent(text, line);
        if (first != null) {
            throw new DataFormatException(file, line, "id " + shown(text) + " repeats the id of line " + first
                    + " (an id names one transaction: score's and the live scorer's results pair by it)");
        }
        return text;
    }

    private int parseLabel(String text, long line) {
        switch (text) {
            case "0":
                return 0;
            case "1":
                return 1;
            default:
                throw new DataFormatException(file, line,
                        CsvHeader.LABEL_NAME + " must be 0 or 1 but is " + shown(text));
        }
    }

    private double parseInput(String text, String column, int target, long line) {
        if (text.isEmpty()) {
            throw new DataFormatException(file, line, "empty value in column " + column);
        }
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, "non-numeric value in column " + column + " (" + shown(text) + ")");
        }
        if (!Double.isFinite(value)) {
            throw new DataFormatException(file, line,
                    "NaN or infinite value in column " + column + " (" + shown(text) + ")");
        }
        if (!plainDecimal(text, 0, text.length())) {
            throw new DataFormatException(file, line, "non-numeric value in column " + column + " (" + shown(text)
                    + "): a plain decimal number is expected, as in JSON");
        }
        if (value < 0 && target == Dataset.AMOUNT) {
            throw new DataFormatException(file, line, "negative Amount (" + shown(text) + ")");
        }
        if (value < 0 && target == Dataset.TIME) {
            throw new DataFormatException(file, line,
                    "negative Time (" + shown(text) + "): Time counts seconds from the first transaction");
        }
        // the scorer's own bounds: a row it would dead-letter (OUT_OF_RANGE) is neither trained on nor scored here
        String outside = FeatureSchema.CREDITCARD.ranges().get(target).check(value);
        if (outside != null) {
            throw new DataFormatException(file, line, outside + " (column " + column + ", the scorer refuses it too)");
        }
        return value;
    }

    private static String shown(String text) {
        String cut = text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
        return "'" + cut + "'";
    }

    /**
     * Whether {@code s[a, b)} is a plain decimal number: an optional minus, digits with an optional decimal point, and
     * an optional exponent ({@code 12}, {@code -0.5}, {@code 1.5e-3}, {@code 12.}). {@link Double#parseDouble} also takes
     * Java's literals ({@code 1.5d}, {@code 1.5f}, {@code +1.5}, {@code 0x1p6}), which no export writes and no JSON
     * event may hold: a file holding them is refused, not read as numbers (found by a hunt).
     */
    static boolean plainDecimal(CharSequence s, int a, int b) {
        int i = a;
        if (i < b && s.charAt(i) == '-') {
            i++;
        }
        int digits = 0;
        for (; i < b && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128; i++) {
            digits++;
        }
        if (i < b && s.charAt(i) == '.') {
            for (i++; i < b && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128; i++) {
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < b && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < b && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponent = 0;
            for (; i < b && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128; i++) {
                exponent++;
            }
            if (exponent == 0) {
                return false;
            }
        }
        return i == b;
    }
}
