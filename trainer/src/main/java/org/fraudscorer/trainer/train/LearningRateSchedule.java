package org.fraudscorer.trainer.train;

/** Learning rate per epoch (0-based). */
public record LearningRateSchedule(Kind kind, double initial, double gamma, int stepEpochs) {
    public enum Kind { CONSTANT, STEP, EXPONENTIAL }

    public LearningRateSchedule {
        if (!(initial > 0) || !Double.isFinite(initial)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + initial);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("learning-rate decay must be in (0, 1], got " + gamma);
        }
        if (stepEpochs < 1) {
            throw new IllegalArgumentException("step size must be at least 1 epoch, got " + stepEpochs);
        }
    }

    public static LearningRateSchedule constant(double lr) {
        return new LearningRateSchedule(Kind.CONSTANT, lr, 1, 1);
    }

    public double rate(int epoch) {
        return switch (kind) {
            case CONSTANT -> initial;
            case STEP -> initial * Math.pow(gamma, epoch / stepEpochs);
            case EXPONENTIAL -> initial * Math.pow(gamma, epoch);
        };
    }

    public String describe() {
        return switch (kind) {
            case CONSTANT -> "constant " + initial;
            case STEP -> initial + " ×" + gamma + " every " + stepEpochs + " epochs";
            case EXPONENTIAL -> initial + " ×" + gamma + " per epoch";
        };
    }
}
