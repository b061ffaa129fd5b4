package org.fraudscorer.app;

/** Sending at a fixed rate: {@code produce}, {@code demo} and the raw-event replay wait here between sends. */
final class Pacing {
    private Pacing() {
    }

    /**
     * Waits until the {@code sent}-th event is due at {@code rate} per second from {@code startNanos}
     * ({@link System#nanoTime()}); returns at once when it is already due or {@code rate} is 0 (as fast as possible).
     * A schedule, not a gap: a late send is not followed by a longer wait, so the mean rate holds.
     */
    static void await(long startNanos, long sent, double rate) throws InterruptedException {
        if (rate > 0) {
            long wait = startNanos + (long) (sent * 1e9 / rate) - System.nanoTime();
            if (wait > 1_000_000) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
    }
}
