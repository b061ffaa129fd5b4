package org.fraudscorer.scorer.topology;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.NumberOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON written straight into a reused byte buffer, as Jackson's generator would write it: the writers of the scored
 * and shadow records build one record at a time here and copy it out once. Doubles in their shortest round-tripping
 * form (Schubfach, Jackson's {@link NumberOutput}), so they read back bit-exact; strings that are not plain printable
 * ASCII are written by Jackson's generator. One instance per writer (it reuses its buffer).
 */
final class JsonBytes {
    static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
    private static final byte[] NULL = ascii("null");

    private byte[] buf = new byte[2048];
    private int count;

    /** Starts a new record. */
    void reset() {
        count = 0;
    }

    /** The record written since {@link #reset()}: a new array. */
    byte[] toArray() {
        return Arrays.copyOf(buf, count);
    }

    /** A JSON string: printable ASCII without quotes or backslashes is copied, anything else written by Jackson. */
    void putString(String s) {
        if (s == null) {
            put(NULL);
            return;
        }
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                put(quoted(s));
                return;
            }
        }
        ensure(n + 2);
        buf[count++] = '"';
        for (int i = 0; i < n; i++) {
            buf[count++] = (byte) s.charAt(i);
        }
        buf[count++] = '"';
    }

    /** {@code s} as a JSON string, exactly as Jackson's generator writes it (escapes, surrogate pairs). */
    static byte[] quoted(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length() + 16);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Shortest round-tripping form; non-finite values as quoted strings, as Jackson writes them by default. */
    void putDouble(double v) {
        String text = NumberOutput.toString(v, true);
        boolean finite = Double.isFinite(v);
        ensure(text.length() + 2);
        if (!finite) {
            buf[count++] = '"';
        }
        for (int i = 0; i < text.length(); i++) {
            buf[count++] = (byte) text.charAt(i); // digits, '-', '.', 'E' (or "NaN", "Infinity")
        }
        if (!finite) {
            buf[count++] = '"';
        }
    }

    void putLong(long v) {
        ensure(20);
        count = NumberOutput.outputLong(v, buf, count);
    }

    void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, count, bytes.length);
        count += bytes.length;
    }

    void put(byte b) {
        ensure(1);
        buf[count++] = b;
    }

    private void ensure(int more) {
        if (count + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
