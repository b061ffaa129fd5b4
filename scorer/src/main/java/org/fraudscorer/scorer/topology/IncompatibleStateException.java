package org.fraudscorer.scorer.topology;

/**
 * The stores hold state built for another model than the serving one (e.g. terminal histories built with another
 * label delay): no record is at fault, and dropping the state would silently change features, so the stream thread
 * fails with this one-line reason and the scorer stops ({@code ThreadFailures}) instead of dead-lettering.
 */
final class IncompatibleStateException extends IllegalStateException {
    IncompatibleStateException(String message) {
        super(message);
    }
}
