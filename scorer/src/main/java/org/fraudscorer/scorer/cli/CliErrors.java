package org.fraudscorer.scorer.cli;

import java.io.PrintWriter;
import java.util.List;
import org.fraudscorer.common.text.ControlChars;
import picocli.CommandLine;

/**
 * How every entry point of the product reports errors: one line on standard error and a non-zero exit (2 for a bad
 * command line, 1 for a failure); {@code FRAUD_DEBUG=1} adds the stack trace. Used by the {@code ./fraud} launcher
 * and by {@link ScorerCommand#main}, so a scorer started on its own fails the same way.
 *
 * <p>Two failures that would otherwise escape that rule are caught after every command: a standard output that
 * could not be written (a full disk behind a redirection, a closed pipe; {@link System#out} and picocli's writer
 * never throw, they only remember, so the command would exit 0 having written nothing), and running out of heap
 * (which is an {@link Error}, not an exception, and would end the JVM with a stack trace).
 */
public final class CliErrors {
    private CliErrors() {
    }

    /** Installs the handlers on {@code cl} and returns it. */
    public static CommandLine install(CommandLine cl) {
        // A date option's bad value says what a date is, not which Java class failed to parse it (for this command
        // line and the subcommands it holds now).
        cl.registerConverter(java.time.LocalDate.class, s -> {
            try {
                return java.time.LocalDate.parse(s);
            } catch (java.time.format.DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + s + "' is not a date YYYY-MM-DD");
            }
        });
        // so does a duration's (backfill --wait, --read-timeout): it read "cannot convert '5m' to class
        // java.time.Duration (java.time.format.DateTimeParseException: Text cannot be parsed to a Duration)"
        cl.registerConverter(java.time.Duration.class, s -> {
            try {
                return java.time.Duration.parse(s);
            } catch (java.time.format.DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + s + "' is not an ISO-8601 duration (e.g. PT30S, "
                        + "PT10M, PT1H)");
            }
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + oneLine(usageMessage(ex)) + " (see '" + ex.getCommandLine().getCommandSpec()
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
        CommandLine.IExecutionStrategy strategy = cl.getExecutionStrategy();
        cl.setExecutionStrategy(parsed -> {
            int code;
            try {
                code = strategy.execute(parsed);
            } catch (OutOfMemoryError e) {
                parsed.commandSpec().commandLine().getErr().println("error: " + outOfMemory(e));
                return 1;
            }
            return code == 0 ? checkStandardOutput(parsed.commandSpec().commandLine()) : code;
        });
        return cl;
    }

    /** 0, or 1 with one line on standard error when standard output (or the command line's writer) failed. */
    private static int checkStandardOutput(CommandLine cl) {
        // both, unconditionally: checkError flushes, and the writer may sit on System.out
        boolean writerFailed = cl.getOut().checkError();
        if (System.out.checkError() | writerFailed) {
            cl.getErr().println("error: standard output could not be written (full disk or closed pipe?)");
            return 1;
        }
        return 0;
    }

    /** The out-of-memory error as a line that says what to do. */
    static String outOfMemory(OutOfMemoryError e) {
        long maxMiB = Runtime.getRuntime().maxMemory() >> 20;
        return "out of memory (" + oneLine(String.valueOf(e.getMessage())) + ", heap limit " + maxMiB
                + " MiB): give the JVM more, e.g. FRAUD_JAVA_OPTS=-Xmx" + Math.max(2, 2 * ((maxMiB + 1023) >> 10))
                + "g ./fraud ...";
    }

    /**
     * picocli's message, except for a word where a command was expected: "unknown command 'trian' (did you mean
     * train?)" rather than "Unmatched arguments from index 0: 'trian', '--data', 'x'".
     */
    static String usageMessage(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getCommandLine().getSubcommands().isEmpty()
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")
                && u.getCommandLine().getParseResult() != null && !u.getCommandLine().getParseResult().hasSubcommand()) {
            String word = u.getUnmatched().get(0);
            // picocli's suggestions are loose ('bogus': handbook): only commands a typo or two away
            List<String> near = u.getCommandLine().getSubcommands().keySet().stream()
                    .filter(name -> editDistance(name, word) <= 2).sorted().toList();
            return "unknown command '" + u.getUnmatched().get(0) + "'"
                    + (near.isEmpty() ? "" : " (did you mean " + String.join(" or ", near) + "?)");
        }
        // A mistyped option is named, with the nearest options a typo or two away: before a required option it stands
        // for, it was "Missing required option: '--data=<data>'" alone, as if --data had been left out ('train --dat')
        CommandLine.ParseResult parsed = ex.getCommandLine().getParseResult();
        List<String> unknown = parsed == null ? List.of()
                : parsed.unmatched().stream().filter(a -> a.startsWith("--") && a.length() > 2).toList();
        boolean missing = ex instanceof CommandLine.MissingParameterException;
        if (!unknown.isEmpty() && (missing || ex instanceof CommandLine.UnmatchedArgumentException)) {
            String word = unknown.get(0);
            String name = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
            List<String> names = ex.getCommandLine().getCommandSpec().options().stream()
                    .flatMap(o -> java.util.Arrays.stream(o.names())).filter(n -> n.startsWith("--")).toList();
            int nearest = names.stream().mapToInt(n -> editDistance(n, name)).min().orElse(Integer.MAX_VALUE);
            List<String> near = names.stream().filter(n -> nearest <= 2 && editDistance(n, name) == nearest)
                    .distinct().sorted().toList();
            return (missing ? "Unknown option: '" + word + "'" : ex.getMessage())
                    + (near.isEmpty() ? "" : " (did you mean " + String.join(" or ", near) + "?)");
        }
        return ex.getMessage();
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int editDistance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1),
                        diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length()];
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
        } else if (ex instanceof java.nio.file.FileAlreadyExistsException fa && fa.getReason() != null) {
            // a message of its own (e.g. keygen's "... exists; refusing to overwrite a key"): said as it is
        } else if (ex instanceof java.nio.file.FileAlreadyExistsException) {
            // e.g. Files.createDirectories over a file: the exception's message is the bare path
            msg = "cannot create " + msg + ": a file of that name exists (a directory was needed, or it would be "
                    + "overwritten)";
        } else if (ex instanceof java.nio.file.NotDirectoryException) {
            msg = "not a directory: " + msg;
        } else if (ex instanceof java.nio.file.FileSystemException fs && fs.getReason() != null
                && fs.getFile() != null && msg.equals(fs.getFile() + ": " + fs.getReason())) {
            msg = fs.getReason().toLowerCase(java.util.Locale.ROOT) + ": " + fs.getFile();
        }
        return oneLine(msg);
    }

    /**
     * {@code s} on one line: line breaks and the white space around them as one space, and every other control
     * character escaped ({@link ControlChars}): a parser's echo of a binary file's bytes ('train --config x.zip')
     * wrote a NUL and other control bytes to the terminal.
     */
    public static String oneLine(String s) {
        return ControlChars.escape(s.replaceAll("\\s*\\R\\s*", " ").trim());
    }

    /**
     * Refuses, as a bad command line naming {@code option}, a topic name Kafka would refuse
     * ({@link org.fraudscorer.scorer.config.Topics#nameProblem}); nothing for a name not given (null). Checked before
     * Kafka is asked: a bad name failed later, with exit 1 ('could not create topic a b').
     */
    public static void requireTopicName(CommandLine.Model.CommandSpec spec, String option, String name) {
        String problem = name == null ? null : org.fraudscorer.scorer.config.Topics.nameProblem(name);
        if (problem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + problem);
        }
    }

    /**
     * Refuses, as a bad command line naming {@code option}, an application id Kafka Streams could not run under
     * ({@link org.fraudscorer.scorer.config.ScorerConfig#applicationIdProblem}). Checked before Kafka is asked.
     */
    public static void requireApplicationId(CommandLine.Model.CommandSpec spec, String option, String applicationId) {
        String problem = org.fraudscorer.scorer.config.ScorerConfig.applicationIdProblem(applicationId);
        if (problem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + problem);
        }
    }
}
