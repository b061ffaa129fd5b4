package org.fraudscorer.trainer.data;

import org.fraudscorer.common.text.ControlChars;

/**
 * A data file that cannot be used as it is: a bad header, a malformed line or no data at all.
 *
 * <p>The message is always a single line, {@code <file>:<line>: <reason>}, so that a command line tool can
 * print it as it is and an editor can jump to the line. Lines are counted from 1, the header being line 1.
 */
public final class DataFormatException extends RuntimeException {

    private final String file;
    private final long line;
    private final String reason;

    /**
     * @param file   the file as the user named it
     * @param line   the 1-based physical line of the file the problem is on
     * @param reason what is wrong, in words a data engineer understands; line breaks are escaped as {@code \\n} and
     *               {@code \\r}, any other control character (a terminal escape in a quoted value) as {@code \\uXXXX}
     */
    public DataFormatException(String file, long line, String reason) {
        super(file + ":" + line + ": " + oneLine(reason));
        this.file = file;
        this.line = line;
        this.reason = oneLine(reason);
    }

    /** The file as the user named it. */
    public String file() {
        return file;
    }

    /** The 1-based line of the file the problem is on (the header is line 1). */
    public long line() {
        return line;
    }

    /** What is wrong, without the file and line prefix. */
    public String reason() {
        return reason;
    }

    private static String oneLine(String text) {
        return ControlChars.escape(text.replace("\r", "\\r").replace("\n", "\\n"));
    }
}
