package org.fraudscorer.trainer.train;

/**
 * Every option of a training run, with the defaults used by {@code ./fraud train}.
 *
 * @param hidden          hidden layer sizes, e.g. {16, 16}
 * @param classWeights    weight rows by n / (2·n_class) so both classes carry equal total weight
 * @param stratified      spread positives evenly over mini-batches
 * @param clipNorm        clip the global gradient norm to this (0 = off)
 * @param patience        stop after this many epochs without a better validation PR-AUC (0 = never)
 * @param resample        none, smote or undersample (training rows only)
 * @param resampleRatio   smote: positives per negative to reach; undersample: negatives kept per positive
 */
public record TrainerConfig(
        int[] hidden,
        String activation,
        double dropout,
        String optimizer,
        double momentum,
        LearningRateSchedule schedule,
        int batchSize,
        int epochs,
        double l2,
        boolean classWeights,
        boolean stratified,
        double clipNorm,
        int patience,
        String resample,
        double resampleRatio,
        double biasInit,
        long seed) {

    public TrainerConfig {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be ≥ 1, got " + epochs);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (!(l2 >= 0)) {
            throw new IllegalArgumentException("L2 must be ≥ 0, got " + l2);
        }
        if (!(clipNorm >= 0)) {
            throw new IllegalArgumentException("gradient clip norm must be ≥ 0, got " + clipNorm);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be ≥ 0, got " + patience);
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden layer sizes must be ≥ 1, got " + h);
            }
        }
        if (!java.util.Set.of("none", "smote", "undersample").contains(resample)) {
            throw new IllegalArgumentException("resampling must be none, smote or undersample, got '" + resample + "'");
        }
        hidden = hidden.clone();
    }

    public static TrainerConfig defaults() {
        return new TrainerConfig(new int[] {16, 16}, "relu", 0.0, "adam", 0.9, LearningRateSchedule.constant(1e-3),
                64, 40, 0.0, true, true, 5.0, 10, "none", 0.0, 0.0, 42L);
    }

    /** The same options with another epoch budget and seed. */
    public TrainerConfig withEpochsAndSeed(int newEpochs, long newSeed) {
        return new TrainerConfig(hidden, activation, dropout, optimizer, momentum, schedule, batchSize, newEpochs, l2,
                classWeights, stratified, clipNorm, patience, resample, resampleRatio, biasInit, newSeed);
    }

    public int[] sizes(int inputs) {
        int[] s = new int[hidden.length + 2];
        s[0] = inputs;
        System.arraycopy(hidden, 0, s, 1, hidden.length);
        s[s.length - 1] = 1;
        return s;
    }
}
