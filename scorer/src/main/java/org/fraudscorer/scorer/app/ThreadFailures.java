package org.fraudscorer.scorer.app;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a stream thread dies. A failure can be transient (a broker that went away mid-transaction), so
 * the thread is replaced — but at most {@link #MAX_REPLACEMENTS} times in {@link #WINDOW_MS}: a failure that comes
 * back every time (a poison pill outside the processors' own error handling) would otherwise be retried forever.
 * Past that the client shuts down and {@link #reason()} says why in one line; the scorer command then exits 1.
 */
final class ThreadFailures implements StreamsUncaughtExceptionHandler {
    static final int MAX_REPLACEMENTS = 3;
    static final long WINDOW_MS = 5 * 60_000L;
    private static final Logger LOG = LoggerFactory.getLogger(ThreadFailures.class);

    private final Deque<Long> recent = new ArrayDeque<>();
    private final LongSupplier clock;
    private volatile String reason;

    ThreadFailures(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable e) {
        long now = clock.getAsLong();
        while (!recent.isEmpty() && now - recent.peekFirst() > WINDOW_MS) {
            recent.removeFirst();
        }
        String what = oneLine(e);
        if (recent.size() >= MAX_REPLACEMENTS) {
            reason = "stream thread failed " + (recent.size() + 1) + " times within " + WINDOW_MS / 60_000
                    + " min, stopping: " + what;
            LOG.error(reason);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        recent.addLast(now);
        LOG.error("stream thread failed, replacing it ({} of {} within {} min): {}", recent.size(), MAX_REPLACEMENTS,
                WINDOW_MS / 60_000, what);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Why the client was shut down, or null while it was not. */
    String reason() {
        return reason;
    }

    /** The innermost cause's class and message, on one line (Kafka Streams wraps the processor's exception). */
    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root == e ? String.valueOf(e) : e.getClass().getSimpleName() + " caused by " + root;
        return msg.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
