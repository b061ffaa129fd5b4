package org.fraudscorer.trainer.data;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Splits a dataset into train, validation and test parts.
 *
 * <p>Part sizes are {@code round(n * trainFrac)} and {@code round(n * (trainFrac + validationFrac))} minus
 * that; the test part takes the rest. Each fraction must be in (0, 1) and their sum below 1: the test part
 * is never empty, and no part may come out empty after rounding.
 *
 * <p>The project's default protocol is {@link #latestAsTest} with 0.60 / 0.15 ({@code train --split time}): the
 * last 25% of the time line is the test part, so a model is never tested on transactions older than those it learnt
 * from; the earlier 75% is split into train and validation class by class. {@link #stratified} ({@code --split
 * stratified}) splits at random.
 */
public final class Splitter {

    /** The three parts of a split; each is a copy, independent of the dataset it came from. */
    public record Split(Dataset train, Dataset validation, Dataset test) {

        public Split {
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(validation, "validation");
            Objects.requireNonNull(test, "test");
        }
    }

    private Splitter() {
    }

    /**
     * Splits at random but class by class, so each part keeps the class proportions of the whole: within each
     * class the rows are shuffled with {@code seed} and cut by the fractions (so each part holds the exact
     * share of each class, rounded to the nearest row). Within a part, rows keep their order in
     * {@code data}. The same data and seed always give the same split.
     *
     * @throws IllegalArgumentException if the data is unlabelled, the fractions are out of range or a part
     *                                  would be empty
     */
    public static Split stratified(Dataset data, double trainFrac, double validationFrac, long seed) {
        checkFractions(trainFrac, validationFrac);
        if (!data.hasLabels()) {
            throw new IllegalArgumentException("a stratified split needs labels, but " + data.source()
                    + " has no Class column");
        }
        Random random = new Random(seed);
        int[][] parts = {new int[0], new int[0], new int[0]};
        for (int label = 0; label <= 1; label++) {
            int wanted = label;
            int[] rows = IntStream.range(0, data.rows()).filter(row -> data.label(row) == wanted).toArray();
            shuffle(rows, random);
            int[] cuts = cuts(rows.length, trainFrac, validationFrac);
            parts[0] = concat(parts[0], Arrays.copyOfRange(rows, 0, cuts[0]));
            parts[1] = concat(parts[1], Arrays.copyOfRange(rows, cuts[0], cuts[1]));
            parts[2] = concat(parts[2], Arrays.copyOfRange(rows, cuts[1], rows.length));
        }
        checkNotEmpty(data, new int[] {parts[0].length, parts[0].length + parts[1].length},
                trainFrac, validationFrac);
        for (int[] part : parts) {
            Arrays.sort(part);
        }
        return new Split(data.subset(parts[0]), data.subset(parts[1]), data.subset(parts[2]));
    }

    /**
     * The default protocol: the test part is the LATEST {@code 1 − trainFrac − validationFrac} of the time line
     * (a model is never tested on payments older than those it learnt from), and the earlier rows are split into
     * train and validation class by class at random ({@code seed}). Why not time-ordered validation as well: in
     * {@code creditcard-sample.csv} the first hour holds 4,000 normal payments and only 2 frauds, so a
     * time-ordered train part would hold almost no fraud to learn from.
     */
    public static Split latestAsTest(Dataset data, double trainFrac, double validationFrac, long seed) {
        checkFractions(trainFrac, validationFrac);
        if (!data.hasLabels()) {
            throw new IllegalArgumentException("a stratified validation split needs labels, but " + data.source()
                    + " has no Class column");
        }
        int[] order = timeOrder(data);
        int[] cuts = cuts(order.length, trainFrac, validationFrac);
        checkNotEmpty(data, cuts, trainFrac, validationFrac);
        int[] early = Arrays.copyOfRange(order, 0, cuts[1]);
        double trainShare = trainFrac / (trainFrac + validationFrac);
        Random random = new Random(seed);
        int[] train = new int[0];
        int[] validation = new int[0];
        for (int label = 0; label <= 1; label++) {
            int wanted = label;
            int[] rows = Arrays.stream(early).filter(row -> data.label(row) == wanted).toArray();
            shuffle(rows, random);
            int cut = (int) Math.round(rows.length * trainShare);
            train = concat(train, Arrays.copyOfRange(rows, 0, cut));
            validation = concat(validation, Arrays.copyOfRange(rows, cut, rows.length));
        }
        if (train.length == 0 || validation.length == 0) {
            throw new IllegalArgumentException(data.source() + " has too few rows (" + data.rows()
                    + ") for a split of " + trainFrac + " / " + validationFrac + " / rest: the "
                    + (train.length == 0 ? "training" : "validation") + " part would be empty");
        }
        Arrays.sort(train);
        Arrays.sort(validation);
        return new Split(data.subset(train), data.subset(validation),
                data.subset(Arrays.copyOfRange(order, cuts[1], order.length)));
    }

    /** Refuses fractions that leave a part empty, in one line (the command line checks them with this too). */
    public static void checkFractions(double trainFrac, double validationFrac) {
        checkFraction("trainFrac", trainFrac);
        checkFraction("validationFrac", validationFrac);
        if (!(trainFrac + validationFrac < 1)) {
            throw new IllegalArgumentException("trainFrac + validationFrac must be below 1 so that the test part "
                    + "is not empty, but " + trainFrac + " + " + validationFrac + " = " + (trainFrac + validationFrac));
        }
    }

    private static void checkFraction(String name, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1 (exclusive), but is " + value);
        }
    }

    /** End (exclusive) of the train part and of the validation part for {@code n} rows. */
    private static int[] cuts(int n, double trainFrac, double validationFrac) {
        int trainEnd = (int) Math.round(n * trainFrac);
        int validationEnd = (int) Math.min(n, Math.round(n * (trainFrac + validationFrac)));
        return new int[] {trainEnd, validationEnd};
    }

    private static void checkNotEmpty(Dataset data, int[] cuts, double trainFrac, double validationFrac) {
        int n = data.rows();
        String part = cuts[0] == 0 ? "train" : cuts[1] == cuts[0] ? "validation" : cuts[1] == n ? "test" : null;
        if (part != null) {
            throw new IllegalArgumentException(data.source() + " has too few rows (" + n + ") for a split of "
                    + trainFrac + " / " + validationFrac + " / rest: the " + part + " part would be empty");
        }
    }

    /** Row indices in stable {@code Time} order. */
    private static int[] timeOrder(Dataset data) {
        int n = data.rows();
        boolean sorted = true;
        for (int row = 1; row < n && sorted; row++) {
            sorted = data.input(row - 1, Dataset.TIME) <= data.input(row, Dataset.TIME);
        }
        if (sorted) {
            return IntStream.range(0, n).toArray();
        }
        return IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingDouble(row -> data.input(row, Dataset.TIME))) // a stable sort
                .mapToInt(Integer::intValue)
                .toArray();
    }

    /** Fisher-Yates shuffle; {@link Random} is specified exactly, so a seed gives the same order everywhere. */
    private static void shuffle(int[] values, Random random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    private static int[] concat(int[] first, int[] second) {
        int[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
