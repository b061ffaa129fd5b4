package org.fraudscorer.scorer.error;

/**
 * A scored record larger than the producer may send. Thrown by the scoring step before the send; the processors turn
 * it into a dead letter with {@link org.fraudscorer.scorer.serde.RejectReason#OUTPUT_TOO_LARGE}
 * ({@link DeadLetter#processingError}).
 */
public final class OutputTooLargeException extends RuntimeException {
    public OutputTooLargeException(int bytes, int limit) {
        super("the scored record is " + bytes + " bytes, over the " + limit + " bytes the producer may send "
                + "(max.request.size less 1 KiB)");
    }
}
