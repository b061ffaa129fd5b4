package org.fraudscorer.trainer.train;

/** A mutable copy of {@link TrainerConfig#defaults()} for tests that change a few options. */
final class Configs {
    int[] hidden = {16, 16};
    org.fraudscorer.common.nn.Activation activation = org.fraudscorer.common.nn.Activation.RELU;
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
    int epochNegatives = 0;

    static Configs defaults() {
        return new Configs();
    }

    Configs learningRate(double lr) {
        schedule = LearningRateSchedule.constant(lr);
        return this;
    }

    TrainerConfig build() {
        return TrainerConfig.builder().hidden(hidden).activation(activation).dropout(dropout).optimizer(optimizer)
                .momentum(momentum).schedule(schedule).batchSize(batchSize).epochs(epochs).l2(l2)
                .classWeights(classWeights).stratified(stratified).clipNorm(clipNorm).patience(patience)
                .resample(resample).resampleRatio(resampleRatio).biasInit(biasInit).seed(seed).epochNegatives(epochNegatives).build();
    }
}
