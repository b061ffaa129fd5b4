package org.fraudscorer.trainer.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fraudscorer.common.nn.Activation;

/**
 * Seeded random search over the training options, judged by k-fold cross-validation on the development rows only
 * (never the test part): each trial runs {@link CrossValidation} on the same folds, so trials are compared on the
 * same rows, and its score is the folds' mean validation PR-AUC at its best epoch. Trial 0 is the starting
 * configuration itself (the defaults, or a configuration file), so the search reports what it gained over it.
 */
public final class Tuner {

    /**
     * The values each option may take. Learning rates are drawn log-uniformly from {@code [lrMin, lrMax]}; every
     * other option uniformly from its list.
     */
    public record Space(List<int[]> hidden, List<Activation> activation, double lrMin, double lrMax,
                        List<Integer> batchSize, List<Double> dropout, List<Double> l2, List<Integer> epochs,
                        List<Double> classWeightScale, List<Double> inputClip) {
        public Space {
            nonEmpty(hidden, "hidden sizes");
            nonEmpty(activation, "activations");
            nonEmpty(batchSize, "batch sizes");
            nonEmpty(dropout, "dropouts");
            nonEmpty(l2, "L2 values");
            nonEmpty(epochs, "epoch budgets");
            nonEmpty(classWeightScale, "class-weight scales");
            nonEmpty(inputClip, "input clips");
            if (!(lrMin > 0 && lrMax >= lrMin && Double.isFinite(lrMax))) {
                throw new IllegalArgumentException("the learning-rate range must be 0 < min <= max, got " + lrMin
                        + ".." + lrMax);
            }
            hidden = List.copyOf(hidden);
        }

        private static void nonEmpty(List<?> l, String what) {
            if (l == null || l.isEmpty()) {
                throw new IllegalArgumentException("the search space has no " + what + ": give at least one value");
            }
        }

        /** Refuses a value no configuration may take (e.g. dropout 1), before any trial runs. */
        public void check(TrainerConfig base) {
            for (int[] h : hidden) {
                base.toBuilder().hidden(h).build();
            }
            batchSize.forEach(v -> base.toBuilder().batchSize(v).build());
            dropout.forEach(v -> base.toBuilder().dropout(v).build());
            l2.forEach(v -> base.toBuilder().l2(v).build());
            epochs.forEach(v -> base.toBuilder().epochs(v).build());
            classWeightScale.forEach(v -> base.toBuilder().classWeightScale(v).build());
            inputClip.forEach(v -> base.toBuilder().inputClip(v).build());
        }

        TrainerConfig draw(TrainerConfig base, Random r) {
            double lr = Math.exp(Math.log(lrMin) + r.nextDouble() * (Math.log(lrMax) - Math.log(lrMin)));
            // Rounded to 3 significant digits: a readable configuration file, and no meaningful loss.
            lr = Double.parseDouble(String.format(java.util.Locale.ROOT, "%.3g", lr));
            return base.toBuilder()
                    .hidden(pick(hidden, r))
                    .activation(pick(activation, r))
                    // the drawn initial rate on the base's schedule (a --lr-schedule step search keeps its steps)
                    .schedule(new LearningRateSchedule(base.schedule().kind(), lr, base.schedule().gamma(),
                            base.schedule().stepEpochs()))
                    .batchSize(pick(batchSize, r))
                    .dropout(pick(dropout, r))
                    .l2(pick(l2, r))
                    .epochs(pick(epochs, r))
                    .classWeightScale(pick(classWeightScale, r))
                    .inputClip(pick(inputClip, r))
                    .build();
        }

        private static <T> T pick(List<T> l, Random r) {
            return l.get(r.nextInt(l.size()));
        }
    }

    /** One evaluated configuration. */
    public record Trial(int index, TrainerConfig config, double meanPrAuc, double sdPrAuc, int bestEpoch,
                        double seconds, String error) {
    }

    /** Progress of a search (a console progress bar, tests). */
    public interface Listener {
        void onTrial(Trial trial, int done, int total, Trial best);
    }

    private Tuner() {
    }

    /**
     * Runs {@code trials} configurations (the base one, then {@code trials - 1} drawn with {@code seed}) on the same
     * folds; returns them best first (by mean fold PR-AUC; a diverged trial sorts last with its error).
     */
    public static List<Trial> search(List<CrossValidation.FoldData> folds, TrainerConfig base, Space space, int trials,
                                     long seed, int threads, Listener listener) {
        if (trials < 1) {
            throw new IllegalArgumentException("--trials must be at least 1, got " + trials);
        }
        Random r = new Random(seed);
        List<Trial> done = new ArrayList<>();
        Trial best = null;
        for (int i = 0; i < trials; i++) {
            TrainerConfig c = i == 0 ? base : space.draw(base, r);
            long t0 = System.nanoTime();
            Trial t;
            try {
                CrossValidation.Result cv = CrossValidation.run(folds, c, threads, TrainingListener.NONE);
                t = new Trial(i, c, cv.meanPrAuc(), cv.sdPrAuc(), cv.bestEpoch(), (System.nanoTime() - t0) / 1e9, null);
            } catch (TrainingDivergedException e) {
                t = new Trial(i, c, Double.NaN, Double.NaN, 0, (System.nanoTime() - t0) / 1e9, e.getMessage());
            }
            done.add(t);
            if (t.error() == null && (best == null || t.meanPrAuc() > best.meanPrAuc())) {
                best = t;
            }
            listener.onTrial(t, i + 1, trials, best);
        }
        List<Trial> sorted = new ArrayList<>(done);
        sorted.sort(Comparator.comparingDouble((Trial t) -> Double.isNaN(t.meanPrAuc()) ? Double.NEGATIVE_INFINITY
                : t.meanPrAuc()).reversed().thenComparingInt(Trial::index));
        return sorted;
    }

    // ---- configuration files ----------------------------------------------------------------------------

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Every training option of a configuration but its seed, as written to a configuration file: the searched ones
     * and the ones the trials ran with (optimizer, schedule, clipping, patience, resampling…), so that
     * {@code train --config} trains what the search measured. Files written before the second group was added hold
     * the searched options only; the others then keep the defaults of the data's family.
     */
    public static Map<String, Object> toMap(TrainerConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hidden", Arrays.stream(c.hidden()).boxed().toList());
        m.put("activation", c.activation().id());
        m.put("learningRate", c.schedule().initial());
        m.put("batchSize", c.batchSize());
        m.put("dropout", c.dropout());
        m.put("l2", c.l2());
        m.put("epochs", c.epochs());
        m.put("classWeightScale", c.classWeightScale());
        m.put("inputClip", c.inputClip());
        m.put("optimizer", c.optimizer());
        m.put("momentum", c.momentum());
        m.put("learningRateSchedule", c.schedule().kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("learningRateDecay", c.schedule().gamma());
        m.put("learningRateStep", c.schedule().stepEpochs());
        m.put("clipNorm", c.clipNorm());
        m.put("patience", c.patience());
        m.put("stratifiedBatches", c.stratified());
        m.put("resample", c.resample());
        m.put("resampleRatio", c.resampleRatio());
        m.put("epochNegatives", c.epochNegatives());
        m.put("inputTransform", c.inputTransform());
        return m;
    }

    /**
     * Writes a configuration file: its {@code family} is the data the search ran on, which {@link #apply} holds it to
     * (a creditcard search's 29-input settings replaced the raw-event defaults silently, the 70,000-row draw of
     * genuine payments per epoch among them; found by a hunt).
     */
    public static void write(Path file, TrainerConfig c, org.fraudscorer.common.features.EventFamily family,
                             Map<String, Object> about) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", "fraud-scorer-training-config");
        root.put("family", family.name());
        root.put("config", toMap(c));
        root.put("search", about);
        // whole or not at all, as a model file: train --config must never read half a configuration
        org.fraudscorer.common.model.AtomicFiles.write(file,
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    /**
     * Applies a configuration file written by {@link #write} over {@code base}, the defaults of {@code family}'s data;
     * unknown keys are refused, and so is a file searched on another family's data. A file that names no family
     * (written by hand, or before 2026-12-07) applies to either. (Options given on the command line are applied after
     * it, by {@code NetworkOptions}.)
     */
    public static TrainerConfig apply(Path file, TrainerConfig base, org.fraudscorer.common.features.EventFamily family)
            throws IOException {
        JsonNode root;
        // read once: a pipe (--config <(jq ...)) is fine; a missing file or a directory is a usage error
        if (!java.nio.file.Files.exists(file) || java.nio.file.Files.isDirectory(file)) {
            throw new IllegalArgumentException("--config " + file + (java.nio.file.Files.isDirectory(file)
                    ? " is a directory, not a configuration file" : " does not exist"));
        }
        try {
            root = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("configuration " + file + " is not valid JSON: "
                    + e.getOriginalMessage());
        }
        if (root == null || !"fraud-scorer-training-config".equals(root.path("format").asText())
                || !root.path("config").isObject()) {
            throw new IllegalArgumentException("configuration " + file + " is not a fraud-scorer-training-config file "
                    + "(written by ./fraud tune)");
        }
        String searched = root.path("family").asText("");
        if (!searched.isEmpty() && !searched.equals(family.name())) {
            var of = java.util.Arrays.stream(org.fraudscorer.common.features.EventFamily.values())
                    .filter(f -> f.name().equals(searched)).findFirst();
            throw new IllegalArgumentException("configuration " + file + " was searched on " + (of.isPresent()
                    ? of.get().description() : "'" + searched + "' data") + ", not on " + family.description()
                    + ": its settings are not for this data (leave --config out to train with this data's defaults)");
        }
        TrainerConfig.Builder b = base.toBuilder();
        LearningRateSchedule schedule = base.schedule();
        double learningRate = schedule.initial();
        LearningRateSchedule.Kind kind = schedule.kind();
        double decay = schedule.gamma();
        int step = schedule.stepEpochs();
        for (var it = root.get("config").fields(); it.hasNext(); ) {
            var e = it.next();
            if (!toMap(base).containsKey(e.getKey())) {
                throw new IllegalArgumentException("configuration " + file + " has an unknown key '" + e.getKey()
                        + "' (known: " + toMap(base).keySet() + ")");
            }
            JsonNode v = e.getValue();
            String where = "configuration " + file + ": " + e.getKey();
            switch (e.getKey()) {
                case "hidden" -> {
                    if (!v.isArray()) {
                        throw new IllegalArgumentException(where + " must be a list of layer sizes, e.g. [32] or "
                                + "[64, 32] ([] for none), got " + v);
                    }
                    int[] h = new int[v.size()];
                    for (int i = 0; i < h.length; i++) {
                        h[i] = integer(where, v.get(i));
                    }
                    b.hidden(h);
                }
                case "activation" -> {
                    if (!v.isTextual()) {
                        throw new IllegalArgumentException(where + " must be a name, e.g. \"relu\", got " + v);
                    }
                    try {
                        b.activation(Activation.parse(v.asText()));
                    } catch (IllegalArgumentException unknown) {
                        throw new IllegalArgumentException(where + ": " + unknown.getMessage());
                    }
                }
                case "learningRate" -> learningRate = number(where, v);
                case "learningRateSchedule" -> kind = scheduleKind(where, v);
                case "learningRateDecay" -> decay = number(where, v);
                case "learningRateStep" -> step = integer(where, v);
                case "optimizer" -> b.optimizer(name(where, v));
                case "momentum" -> b.momentum(number(where, v));
                case "clipNorm" -> b.clipNorm(number(where, v));
                case "patience" -> b.patience(integer(where, v));
                case "stratifiedBatches" -> {
                    if (!v.isBoolean()) {
                        throw new IllegalArgumentException(where + " must be true or false, got " + v);
                    }
                    b.stratified(v.asBoolean());
                }
                case "resample" -> b.resample(name(where, v));
                case "resampleRatio" -> b.resampleRatio(number(where, v));
                case "epochNegatives" -> b.epochNegatives(integer(where, v));
                case "batchSize" -> b.batchSize(integer(where, v));
                case "dropout" -> b.dropout(number(where, v));
                case "l2" -> b.l2(number(where, v));
                case "epochs" -> b.epochs(integer(where, v));
                case "classWeightScale" -> b.classWeightScale(number(where, v));
                case "inputClip" -> b.inputClip(number(where, v));
                case "inputTransform" -> b.inputTransform(name(where, v));
                default -> throw new IllegalStateException(e.getKey());
            }
        }
        b.schedule(new LearningRateSchedule(kind, learningRate, decay, step));
        TrainerConfig c = b.build();
        if (!c.optimizer().equals("adam") && !c.optimizer().equals("sgd")) {
            throw new IllegalArgumentException("configuration " + file + ": optimizer must be adam or sgd, got '"
                    + c.optimizer() + "'");
        }
        return c;
    }

    private static String name(String where, JsonNode v) {
        if (!v.isTextual()) {
            throw new IllegalArgumentException(where + " must be a name, got " + v);
        }
        return v.asText();
    }

    private static LearningRateSchedule.Kind scheduleKind(String where, JsonNode v) {
        String s = name(where, v);
        for (LearningRateSchedule.Kind k : LearningRateSchedule.Kind.values()) {
            if (k.name().toLowerCase(java.util.Locale.ROOT).equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException(where + " must be constant, step or exponential, got " + v);
    }

    /** A JSON number, or a one-line refusal (a string, null or a list would otherwise silently read as 0). */
    private static double number(String where, JsonNode v) {
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new IllegalArgumentException(where + " must be a number, got " + v);
        }
        return v.asDouble();
    }

    /** A JSON integer, or a one-line refusal. */
    private static int integer(String where, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(where + " must be an integer, got " + v);
        }
        return v.asInt();
    }
}
