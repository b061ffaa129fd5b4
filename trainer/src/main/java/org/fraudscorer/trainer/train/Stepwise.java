package org.fraudscorer.trainer.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Independent jobs of sequential steps (networks trained an epoch at a time) on up to {@code threads} threads,
 * one step at a time per job, with no barrier between steps: a thread that finishes a step puts its job back in
 * line and takes the next one. Stepping every job once per round with a barrier leaves threads idle whenever the
 * jobs do not divide evenly among them: 5 folds or members on 2 threads run 3 rounds of steps where 2.5 would do.
 *
 * <p>A job's steps run one after another, never two at once; which thread runs a step does not matter to the
 * result (the queue hands each job from one thread to the next with its state published).
 */
public final class Stepwise {
    /** Runs step {@code step} (0, 1, …) of job {@code job}; returns whether the job has another step. */
    @FunctionalInterface
    public interface Step {
        boolean run(int job, int step);
    }

    private Stepwise() {
    }

    public static void run(int threads, int jobs, Step step) {
        int[] next = new int[jobs]; // next[j] is touched only by the thread that holds job j
        ConcurrentLinkedQueue<Integer> ready = new ConcurrentLinkedQueue<>();
        for (int j = 0; j < jobs; j++) {
            ready.add(j);
        }
        AtomicBoolean failed = new AtomicBoolean();
        Runnable worker = () -> {
            Integer j;
            // A thread that finds the line empty may leave: a job still stepping elsewhere is put back in line by the
            // thread running it, which then takes it again itself.
            while (!failed.get() && (j = ready.poll()) != null) {
                boolean more;
                try {
                    more = step.run(j, next[j]++);
                } catch (RuntimeException | Error e) {
                    failed.set(true);
                    throw e;
                }
                if (more) {
                    ready.add(j);
                }
            }
        };
        int n = Math.min(threads, jobs);
        if (n <= 1) {
            worker.run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(n, CrossValidation.daemon());
        Throwable first = null;
        try {
            List<Future<?>> running = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                running.add(pool.submit(worker));
            }
            // Every worker is waited for, so that no step still runs when this returns or throws: after a failure
            // the others stop once their step in flight ends.
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    first = first == null ? e.getCause() : first;
                }
            }
        } catch (InterruptedException e) {
            // Interrupted: stop taking steps and, as on a failure, let the steps in flight end before throwing (steps
            // do not check for interrupts, so shutdownNow alone would leave them running).
            failed.set(true);
            pool.shutdown();
            while (!pool.isTerminated()) {
                try {
                    pool.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException again) {
                    // keep waiting: the flag is restored below
                }
            }
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training", e);
        } finally {
            pool.shutdownNow();
        }
        if (first instanceof RuntimeException r) {
            throw r;
        }
        if (first instanceof Error err) {
            throw err;
        }
        if (first != null) {
            throw new IllegalStateException(first);
        }
    }
}
