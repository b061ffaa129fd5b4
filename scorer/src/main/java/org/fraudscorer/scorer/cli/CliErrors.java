package org.fraudscorer.scorer.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * How every entry point of the product reports errors: one line on standard error and a non-zero exit (2 for a bad
 * command line, 1 for a failure); {@code FRAUD_DEBUG=1} adds the stack trace. Used by the {@code ./fraud} launcher
 * and by {@link ScorerCommand#main}, so a scorer started on its own fails the same way.
 */
public final class CliErrors {
    private CliErrors() {
    }

    /** Installs the handlers on {@code cl} and returns it. */
    public static CommandLine install(CommandLine cl) {
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + oneLine(ex.getMessage()) + " (see '" + ex.getCommandLine().getCommandSpec()
                    .qualifiedName() + " --help')");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (System.getenv("FRAUD_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            cmd.getErr().println("error: " + describe(ex));
            return 1;
        });
        return cl;
    }

    /** The exception as one line: its message (or class name), with a hint for the usual file errors. */
    public static String describe(Throwable ex) {
        String msg = ex.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = ex.getClass().getSimpleName();
        }
        if (ex instanceof java.nio.file.NoSuchFileException) {
            msg = "file not found: " + msg;
        } else if (ex instanceof java.nio.file.AccessDeniedException) {
            msg = "permission denied: " + msg;
        }
        return oneLine(msg);
    }

    public static String oneLine(String s) {
        return s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
