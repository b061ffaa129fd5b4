package org.fraudscorer.scorer.app;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a stream thread dies. A failure can be transient (a broker that went away mid-transaction), so
 * the thread is replaced — but in at most {@link #MAX_REPLACEMENTS} episodes in {@link #WINDOW_MS}: a failure that
 * comes back every time (a poison pill outside the processors' own error handling) would otherwise be retried
 * forever. An episode is the failures of up to one per stream thread within {@link #EPISODE_MS} of its first: a
 * cause that strikes every thread at once (a broker outage that times their tasks out) is one episode, not one per
 * thread, so a host with many threads does not stop on the first such event. Past the budget the client shuts down
 * and {@link #reason()} says why in one line; the scorer command then exits 1. Stores built for another model than
 * the serving one ({@link org.fraudscorer.scorer.topology.IncompatibleStateException}) stop it at once.
 */
final class ThreadFailures implements StreamsUncaughtExceptionHandler {
    static final int MAX_REPLACEMENTS = 3;
    static final long WINDOW_MS = 5 * 60_000L;
    static final long EPISODE_MS = 10_000L;
    private static final Logger LOG = LoggerFactory.getLogger(ThreadFailures.class);

    /** When each episode of the window began. */
    private final Deque<Long> recent = new ArrayDeque<>();
    private final LongSupplier clock;
    private final int threads;
    private int inEpisode;
    private volatile String reason;
    private String lastFailure;

    private final String sources;

    /** @param threads the client's stream threads: how many failures one episode may hold */
    ThreadFailures(LongSupplier clock, int threads) {
        this(clock, threads, null);
    }

    /**
     * @param sources the topics the topology reads, named when a failure is a missing source topic (Kafka Streams'
     *                message does not say which: a hunt deleted the input topic and read "One or more source topics
     *                were missing during rebalance"), or null
     */
    ThreadFailures(LongSupplier clock, int threads, String sources) {
        this.clock = clock;
        this.threads = Math.max(1, threads);
        this.sources = sources;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable e) {
        long now = clock.getAsLong();
        String what = oneLine(e);
        for (Throwable c = e; sources != null && c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof org.apache.kafka.streams.errors.MissingSourceTopicException) {
                what += " (this scorer reads " + sources + ": was one deleted? the threads recover if it is created "
                        + "again, with its partitions, within the episodes left)";
                break;
            }
        }
        lastFailure = what;
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof org.fraudscorer.scorer.topology.IncompatibleStateException) { // no retry can help
                reason = "the stores do not fit the serving model, stopping: " + c.getMessage();
                LOG.error(reason);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
        }
        if (!recent.isEmpty() && now - recent.peekLast() <= EPISODE_MS && inEpisode < threads) {
            inEpisode++;
            LOG.error("stream thread failed, replacing it ({} failures in this episode, {} of {} episodes within {} "
                    + "min): {}", inEpisode, recent.size(), MAX_REPLACEMENTS, WINDOW_MS / 60_000, what);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        while (!recent.isEmpty() && now - recent.peekFirst() > WINDOW_MS) {
            recent.removeFirst();
        }
        if (recent.size() >= MAX_REPLACEMENTS) {
            reason = "stream threads failed in " + (recent.size() + 1) + " episodes within " + WINDOW_MS / 60_000
                    + " min, stopping: " + what;
            LOG.error(reason);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        recent.addLast(now);
        inEpisode = 1;
        LOG.error("stream thread failed, replacing it (episode {} of {} within {} min): {}", recent.size(),
                MAX_REPLACEMENTS, WINDOW_MS / 60_000, what);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** What {@code /health} says of the failures: the episodes that began within the window, and the latest. */
    record Recent(int episodes, String lastFailure) {
    }

    /** The failure episodes that began within the last {@link #WINDOW_MS}, and the latest failure (null if none). */
    synchronized Recent recent() {
        long now = clock.getAsLong();
        int episodes = 0;
        for (long began : recent) {
            if (now - began <= WINDOW_MS) {
                episodes++;
            }
        }
        return new Recent(episodes, episodes == 0 ? null : lastFailure);
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
