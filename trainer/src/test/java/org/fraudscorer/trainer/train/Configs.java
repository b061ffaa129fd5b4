package org.fraudscorer.trainer.train;

/** A mutable copy of {@link TrainerConfig#defaults()} for tests that change a few options. */
final class Configs {
    int[] hidden = {16, 16};
    String activation = "relu";
    double dropout = 0;
    String optimizer = "adam";
    double momentum = 0.9;
    LearningRateSchedule schedule = LearningRateSchedule.constant(1e-3);
    int batchSize = 64;
    int epochs = 40;
    double l2 = 0;
    boolean classWeights = true;
    boolean stratified = true;
    double clipNorm = 5.0;
    int patience = 10;
    String resample = "none";
    double resampleRatio = 0;
    double biasInit = 0;
    long seed = 42L;

    static Configs defaults() {
        return new Configs();
    }

    Configs learningRate(double lr) {
        schedule = LearningRateSchedule.constant(lr);
        return this;
    }

    TrainerConfig build() {
        return new TrainerConfig(hidden, activation, dropout, optimizer, momentum, schedule, batchSize, epochs, l2,
                classWeights ? 1.0 : 0.0, stratified, clipNorm, patience, resample, resampleRatio, biasInit, seed);
    }
}
