package org.fraudscorer.common.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One corpus of bad model files, every kind docs/commands.md ("The model file") says is refused: truncated,
 * bit-flipped (a digit: the checksum fails; a high bit: the encoding breaks), another format version, a NaN weight, inconsistent shapes under a valid
 * checksum, and over 64 MiB (valid JSON padded with white space, so only the size limit can refuse it). Each is
 * built from a good file of {@link #GOOD_SEED}, and carries the words its refusal must contain, whichever way it is
 * loaded (a file path or bytes from the model topic). Used by the model-file test and by the application's test that
 * runs the corpus through {@code inspect}, the scorer's start-up and the live swap.
 */
public final class BadModelFiles {
    /** The seed of the good model every bad file is made from ({@link ModelFixtures#bundle(long)}). */
    public static final long GOOD_SEED = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A bad file: its name, its content (built on demand: one is over 64 MiB), what its refusal says. */
    public record Case(String name, Supplier<byte[]> content, String refusal) {
        @Override
        public String toString() {
            return name;
        }
    }

    private BadModelFiles() {
    }

    public static List<Case> corpus() {
        return List.of(
                new Case("truncated", () -> Arrays.copyOf(good(), good().length * 2 / 3), "is not valid JSON"),
                new Case("bit-flipped digit", BadModelFiles::bitFlippedDigit, "fails its checksum"),
                new Case("bit-flipped high bit", BadModelFiles::bitFlippedHighBit, "is not valid JSON"),
                new Case("format version 4", () -> text().replaceFirst("\"formatVersion\"\\s*:\\s*2",
                        "\"formatVersion\" : 4").getBytes(StandardCharsets.UTF_8), "has format version 4"),
                new Case("NaN weight", BadModelFiles::nanWeight, "holds a non-finite number (NaN)"),
                new Case("inconsistent shapes", BadModelFiles::missingWeightRow, "layer 1 weights have 15 rows, expected 16"),
                new Case("over 64 MiB", BadModelFiles::oversize, "over the limit of " + ModelFile.MAX_BYTES),
                new Case("gzip-compressed", BadModelFiles::gzipped, "is gzip-compressed: decompress it first"));
    }

    private static byte[] gzipped() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(good());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The good model file the corpus is made from. */
    public static byte[] good() {
        return ModelFile.toBytes(ModelFixtures.bundle(GOOD_SEED));
    }

    private static String text() {
        return new String(good(), StandardCharsets.UTF_8);
    }

    /** One bit of one weight digit flipped (0x30-0x39 xor 1 stays a digit): still JSON, but the checksum fails. */
    private static byte[] bitFlippedDigit() {
        Matcher m = Pattern.compile("\"weights\"\\s*:\\s*\\[\\s*\\[\\s*-?\\d\\.(\\d)").matcher(text());
        if (!m.find()) {
            throw new IllegalStateException("no weight digit in the good file");
        }
        byte[] b = good();
        b[m.start(1)] ^= 0x01;
        return b;
    }

    /** An ASCII letter becomes a stray UTF-8 continuation byte. */
    private static byte[] bitFlippedHighBit() {
        byte[] b = good();
        b[text().indexOf("\"members\"") + 3] ^= (byte) 0x80;
        return b;
    }

    /** What a non-strict JSON writer (e.g. Python's json.dump) produces for a NaN weight. */
    private static byte[] nanWeight() {
        Matcher m = Pattern.compile("\"weights\"\\s*:\\s*\\[\\s*\\[\\s*(-?[0-9.eE+-]+)").matcher(text());
        if (!m.find()) {
            throw new IllegalStateException("no weight in the good file");
        }
        String t = text();
        return (t.substring(0, m.start(1)) + "NaN" + t.substring(m.end(1))).getBytes(StandardCharsets.UTF_8);
    }

    /** A weight row removed and the checksum recomputed: only the shape checks can refuse it. */
    private static byte[] missingWeightRow() {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(good());
            ObjectNode model = (ObjectNode) root.get("model");
            ((ArrayNode) model.at("/members/0/layers/1/weights")).remove(0);
            root.put("sha256", ModelFile.sha256(model));
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The good file followed by white space up to one byte over the limit: valid JSON, only too big. */
    private static byte[] oversize() {
        byte[] g = good();
        byte[] b = Arrays.copyOf(g, Math.toIntExact(ModelFile.MAX_BYTES + 1));
        Arrays.fill(b, g.length, b.length, (byte) ' ');
        return b;
    }
}
