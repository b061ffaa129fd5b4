package org.fraudscorer.trainer.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The header line of a {@code creditcard.csv} file: which canonical input (or the label) each field holds.
 * Columns are matched by exact name, in any order; {@code Class} is optional, every input is required, an
 * {@code id} column (the row's identifier, as the live event's {@code id} field) is optional, and nothing else is
 * allowed.
 */
final class CsvHeader {

    static final String LABEL_NAME = "Class";

    /** The optional identifier column: the name of the live event's field. */
    static final String ID_NAME = "id";

    /** Target of the field holding the label; every other field targets its canonical input column. */
    static final int LABEL = -1;

    /** Target of the field holding the row's identifier. */
    static final int ID = -2;

    private static final String EXPECTED = "expected Time, V1..V28, Amount, and optionally Class and id (the row's "
            + "identifier)";

    private final String[] names;
    private final int[] targets;
    private final boolean hasLabels;
    private final boolean hasIds;

    private CsvHeader(String[] names, int[] targets, boolean hasLabels, boolean hasIds) {
        this.names = names;
        this.targets = targets;
        this.hasLabels = hasLabels;
        this.hasIds = hasIds;
    }

    /**
     * Reads the column names of the header line (line 1 of {@code file}).
     *
     * @throws DataFormatException naming the first unknown, duplicate or missing column
     */
    static CsvHeader parse(List<String> fields, String file) {
        String[] names = fields.toArray(String[]::new);
        if (names.length == 1 && names[0].isBlank()) {
            throw new DataFormatException(file, 1, "empty header line: " + EXPECTED);
        }
        int[] targets = new int[names.length];
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int field = 0; field < names.length; field++) {
            String name = names[field];
            int input = Dataset.INPUT_NAMES.indexOf(name);
            if (input < 0 && !name.equals(LABEL_NAME) && !name.equals(ID_NAME)) {
                throw new DataFormatException(file, 1, unknown(name));
            }
            if (!seen.add(name)) { // an input, Class or id given twice
                throw new DataFormatException(file, 1, "duplicate column '" + name + "'");
            }
            targets[field] = name.equals(LABEL_NAME) ? LABEL : name.equals(ID_NAME) ? ID : input;
        }
        boolean hasLabels = seen.contains(LABEL_NAME);
        boolean hasIds = seen.contains(ID_NAME);
        List<String> missing = new ArrayList<>();
        for (String input : Dataset.INPUT_NAMES) {
            if (!seen.contains(input)) {
                missing.add("'" + input + "'");
            }
        }
        if (!missing.isEmpty()) {
            throw new DataFormatException(file, 1, (missing.size() == 1 ? "missing column " : "missing columns ")
                    + String.join(", ", missing) + " (" + EXPECTED + ")");
        }
        return new CsvHeader(names, targets, hasLabels, hasIds);
    }

    private static String unknown(String name) {
        String separated = otherSeparator(name); // the whole header as one name: another separator
        if (separated != null) {
            return "unknown column '" + (name.length() > 40 ? name.substring(0, 40) + "..." : name) + "': "
                    + separated;
        }
        String reason = "unknown column '" + name + "'";
        for (String known : allNames()) {
            if (known.equalsIgnoreCase(name.strip())) {
                return reason + " (did you mean '" + known + "'? column names are case-sensitive)";
            }
        }
        return reason + " (" + EXPECTED + ")";
    }

    /**
     * Why a header's text is not comma-separated, or null: it has no comma, and the creditcard columns separated by
     * ';', tabs or '|' (a spreadsheet's export). Also asked of the raw first line, where quoted names (as
     * {@code "Time";"V1";...}) fail the CSV parser before any name is read.
     */
    static String otherSeparator(String header) {
        if (header.indexOf(',') >= 0 || !header.contains("V1")) {
            return null;
        }
        for (char separator : new char[] {';', '\t', '|'}) {
            if (header.indexOf(separator) >= 0) {
                return "the columns are separated by " + (separator == '\t' ? "tabs" : "'" + separator + "'")
                        + ", and the format is comma-separated (save or export the file as CSV with commas)";
            }
        }
        return null;
    }

    private static List<String> allNames() {
        List<String> all = new ArrayList<>(Dataset.INPUT_NAMES);
        all.add(LABEL_NAME);
        all.add(ID_NAME);
        return all;
    }

    /** Number of fields every data line must have. */
    int fieldCount() {
        return names.length;
    }

    /** The column name of a field. */
    String name(int field) {
        return names[field];
    }

    /** The canonical input column a field holds, or {@link #LABEL} or {@link #ID}. */
    int target(int field) {
        return targets[field];
    }

    /** Whether the file has a {@code Class} column. */
    boolean hasLabels() {
        return hasLabels;
    }

    /** Whether the file has an {@code id} column. */
    boolean hasIds() {
        return hasIds;
    }

    @Override
    public String toString() {
        return "CsvHeader" + Arrays.toString(names);
    }
}
