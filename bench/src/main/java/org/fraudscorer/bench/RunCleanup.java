package org.fraudscorer.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a StreamBench run leaves behind, undone on every way out: at its end, on a failure, and from a shutdown hook
 * when the run is stopped (Ctrl-C, SIGTERM). Without the hook a stopped run left its topics and consumer groups on a
 * given cluster without a word, and its temp directory (0.75 to 2.5 GB with the embedded broker).
 *
 * <p>Steps run last added first (as try-with-resources closes), each at most once, and each for at most its time
 * budget, on a thread of its own: a Kafka client's close can wait minutes for a cluster that is gone, and a hook that
 * never returns keeps a stopped process alive. A step that overruns is left running (the process is ending) and named.
 */
final class RunCleanup implements AutoCloseable {
    /**
     * @param cluster whether the step waits on the cluster ({@link #cap} shortens it when the cluster is gone)
     * @param unfinished what to do when it did not finish ("delete them by hand")
     */
    private record Step(String what, Duration budget, boolean cluster, String unfinished, AutoCloseable action) {
    }

    private final PrintStream err;
    private final Deque<Step> steps = new ArrayDeque<>();
    private volatile String notice;
    private volatile Duration cap;
    private volatile boolean stopped;
    private volatile Thread runner;

    RunCleanup(PrintStream err) {
        this.err = err;
    }

    /**
     * Adds a step, undone before those added earlier; {@code what} names it in a warning ("deleting /tmp/x").
     *
     * @param cluster whether it waits on the cluster (closing a client, deleting topics): {@link #cap} limits those
     * @param unfinished what to do when it did not finish ("delete them by hand"), or null: nothing outlives the
     *                   process
     */
    synchronized void add(String what, Duration budget, boolean cluster, String unfinished, AutoCloseable action) {
        steps.push(new Step(what, budget, cluster, unfinished, action));
    }

    /**
     * The line a stopped run prints before it cleans up: what to delete by hand if the cleanup cannot finish (the
     * process may be killed outright, or the cluster not answer), said first because it may be the last line.
     */
    void notice(String line) {
        notice = line;
    }

    /**
     * The run's thread, interrupted when the run is stopped before the steps run: left going, it kept polling and
     * sending to the topics being deleted (hundreds of Kafka warnings a second).
     */
    void runner(Thread thread) {
        runner = thread;
    }

    /**
     * From now on no step that waits on the cluster runs longer than {@code limit}: the cluster is gone, and waiting
     * for it would only delay the exit (deleting the temp directory keeps its own budget).
     */
    void cap(Duration limit) {
        cap = limit;
    }

    /** Whether the run was stopped (the hook ran): its main thread must then not report the failures that follow. */
    boolean stopped() {
        return stopped;
    }

    /** The shutdown hook: {@link #stop}. */
    Thread hook() {
        return new Thread(this::stop, "bench-cleanup");
    }

    /** The run was stopped: the notice, the run's thread interrupted, then every step not done yet. */
    void stop() {
        stopped = true;
        String line = notice;
        if (line != null) {
            err.println(line);
        }
        Thread thread = runner;
        if (thread != null) {
            thread.interrupt();
        }
        close();
    }

    /** Runs every step not done yet; a second call (the hook after the run's own cleanup) has nothing left to do. */
    @Override
    public synchronized void close() {
        while (!steps.isEmpty()) {
            run(steps.pop());
        }
    }

    private void run(Step step) {
        Duration limit = step.cluster() ? cap : null;
        Duration budget = limit != null && limit.compareTo(step.budget()) < 0 ? limit : step.budget();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                step.action().close();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "bench-cleanup-step");
        worker.setDaemon(true); // an overrunning step must not keep the process alive
        worker.start();
        boolean interrupted = false;
        long deadline = System.nanoTime() + budget.toNanos();
        for (long left = budget.toNanos(); worker.isAlive() && left > 0; left = deadline - System.nanoTime()) {
            try {
                worker.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true; // the budget still holds: the step is waited for, the interrupt kept for later
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            err.println("[cleanup] WARNING " + step.what() + " did not finish within " + seconds(budget)
                    + (step.unfinished() == null ? "" : ": " + step.unfinished()));
        } else if (failure.get() != null) {
            err.println("[cleanup] WARNING " + step.what() + " failed: " + failure.get()
                    + (step.unfinished() == null ? "" : "; " + step.unfinished()));
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
