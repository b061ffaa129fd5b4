package org.fraudscorer.trainer.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

/**
 * Made-up {@code creditcard.csv} content for tests: every value is a formula of its row and column, so tests
 * know what a reader must produce without holding the file. No value comes from the real data set. Values
 * are multiples of 1/64 (Time whole seconds, Amount quarters), so sums of them are exact in any order.
 */
final class MadeUpCsv {

    /** All columns in canonical order: the inputs, then {@code Class}. */
    static final List<String> COLUMNS = columns();

    private MadeUpCsv() {
    }

    private static List<String> columns() {
        List<String> all = new ArrayList<>(Dataset.INPUT_NAMES);
        all.add("Class");
        return List.copyOf(all);
    }

    /** Input {@code col} (canonical) of data row {@code row} (0-based). */
    static double value(int row, int col) {
        if (col == Dataset.TIME) {
            return row / 3; // several transactions per second, like the real file
        }
        if (col == Dataset.AMOUNT) {
            return ((row * 37L + 11) % 5000) / 4.0;
        }
        return ((row * 131L + col * 7919L) % 16001 - 8000) / 64.0;
    }

    /** Label of data row {@code row}: about one fraud in 17. */
    static int label(int row) {
        return row % 17 == 3 ? 1 : 0;
    }

    /** The fields of data row {@code row} in {@link #COLUMNS} order, as text. */
    static String[] fields(int row) {
        String[] fields = new String[COLUMNS.size()];
        for (int col = 0; col < Dataset.INPUT_COUNT; col++) {
            fields[col] = Double.toString(value(row, col));
        }
        fields[Dataset.INPUT_COUNT] = Integer.toString(label(row));
        return fields;
    }

    /** The expected dataset of rows {@code 0..rows-1}, labelled or not. */
    static Dataset expected(int rows, boolean labelled) {
        double[] inputs = new double[rows * Dataset.INPUT_COUNT];
        int[] labels = new int[rows];
        for (int row = 0; row < rows; row++) {
            for (int col = 0; col < Dataset.INPUT_COUNT; col++) {
                inputs[row * Dataset.INPUT_COUNT + col] = value(row, col);
            }
            labels[row] = label(row);
        }
        return Dataset.of("expected", inputs, labelled ? labels : null);
    }

    /** A CSV line of the given fields, each one quoted if {@code quoted}. */
    static String line(List<String> fields, boolean quoted) {
        return fields.stream().map(f -> quoted ? '"' + f + '"' : f).collect(Collectors.joining(","));
    }

    /** Data line {@code row} with only the given {@code columns} (in that order). */
    static String line(int row, List<String> columns, boolean quoted) {
        String[] all = fields(row);
        return line(columns.stream().map(c -> all[COLUMNS.indexOf(c)]).toList(), quoted);
    }

    /** Writes a header of {@code columns} and {@code rows} data lines; gzip if the name ends in .gz. */
    static Path write(Path dir, String name, int rows, List<String> columns, boolean quoted) {
        Path file = dir.resolve(name);
        try (Writer out = writer(file)) {
            out.write(line(columns, quoted));
            out.write('\n');
            for (int row = 0; row < rows; row++) {
                out.write(line(row, columns, quoted));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Writes {@code content} as it is; gzip if the name ends in .gz. */
    static Path write(Path dir, String name, String content) {
        Path file = dir.resolve(name);
        try (Writer out = writer(file)) {
            out.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static Writer writer(Path file) throws IOException {
        OutputStream out = Files.newOutputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            out = new GZIPOutputStream(out, 1 << 16);
        }
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    }
}
