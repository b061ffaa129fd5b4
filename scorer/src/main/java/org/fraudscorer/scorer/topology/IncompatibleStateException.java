package org.fraudscorer.scorer.topology;

/**
 * The stores hold state built for another model than the serving one (e.g. terminal histories built with another
 * label delay): no record is at fault, and dropping the state would silently change features, so the stream thread
 * fails with this one-line reason and the scorer stops at once ({@code ThreadFailures}: a replaced thread would meet
 * the same state, and meanwhile the other tasks write state of the serving model's kind) instead of dead-lettering.
 */
public final class IncompatibleStateException extends IllegalStateException {
    public IncompatibleStateException(String message) {
        super(message);
    }
}
