package org.fraudscorer.trainer.train;

/** Training produced a NaN or infinite loss or parameter: stopped, with a diagnosis the user can act on. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
