package org.fraudscorer.scorer.cli;

/**
 * Makes SIGTERM a normal stop of a long-running command (the scorer, the console). The JVM's own handler runs the
 * shutdown hooks and then exits with 143 (128 + 15), which a service manager reads as a failure: systemd marks the unit
 * failed on {@code systemctl stop} unless told {@code SuccessExitStatus=143}, and Kubernetes reports the container as
 * "Error". Handled here, SIGTERM exits with 0 through the same shutdown hooks, which close the command (a scorer leaves
 * its group and commits); a hook that fails to close it ends the process with 1 ({@link #failedToStop}). Ctrl-C
 * (SIGINT) keeps the JVM's handler and its 130.
 *
 * <p>Uses {@code sun.misc.Signal} from the {@code jdk.unsupported} module, the JDK's supported way to handle a signal
 * in Java; where the JVM does not allow it ({@code -Xrs}, a platform without SIGTERM) the JVM's handler stays.
 */
public final class StopSignal {
    /** The exit code of a stop whose shutdown hook could not close the command. */
    public static final int FAILED_TO_STOP = 1;

    private StopSignal() {
    }

    /**
     * Handles SIGTERM from now on: the JVM exits with 0, running the shutdown hooks. A command run inside another
     * program (the tests run commands in their own JVM) restores the earlier handler when it returns, with the
     * returned action.
     *
     * @return what puts the earlier handler back (does nothing when none was installed: {@code -Xrs}, or a platform
     *         without SIGTERM, where the JVM's handler and its 143 stay)
     */
    @SuppressWarnings("removal") // jdk.unsupported's sun.misc.Signal: no public replacement in Java 17
    public static Runnable exitZeroOnTerm() {
        try {
            sun.misc.Signal term = new sun.misc.Signal("TERM");
            sun.misc.SignalHandler earlier = sun.misc.Signal.handle(term, signal -> System.exit(0));
            return () -> sun.misc.Signal.handle(term, earlier);
        } catch (IllegalArgumentException | UnsupportedOperationException refused) {
            return () -> { }; // -Xrs, or no such signal here: the JVM's default stays
        }
    }

    /**
     * Called by a shutdown hook that could not close its command: says so on standard error and ends the process
     * with {@link #FAILED_TO_STOP}, whatever exit code the stop started with (the other hooks do not run).
     */
    public static void failedToStop(String what, Exception e) {
        System.err.println("error: " + what + " did not stop cleanly: " + CliErrors.describe(e));
        System.err.flush();
        Runtime.getRuntime().halt(FAILED_TO_STOP);
    }
}
