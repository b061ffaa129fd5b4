package org.fraudscorer.trainer.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks on a command's output paths made before any work, as usage errors (one line, exit 2). */
public final class Outputs {
    private Outputs() {
    }

    /**
     * Refuses an output that is one of the command's inputs (the same file, by any path): writing it would destroy
     * the data or the model the command reads, and report success.
     */
    public static void refuseOverwriting(CommandSpec spec, String option, Path output, Path... inputs) {
        if (output == null) {
            return;
        }
        for (Path input : inputs) {
            if (input != null && same(output, input)) {
                throw new ParameterException(spec.commandLine(), option + " " + output + " is an input of this "
                        + "command (" + input + "): writing it would overwrite it; choose another file");
            }
        }
    }

    /**
     * Where a command's own lines go: standard error when {@code output} is this process's standard output
     * ({@code --out /dev/stdout}, into a pipe or a redirected file), where they would be mixed into the output (a
     * summary line at the end of a CSV piped to gzip, a report inside a model file); standard output otherwise.
     */
    public static java.io.PrintStream say(Path output) {
        try {
            Path stdout = Path.of("/dev/stdout");
            if (output != null && Files.exists(stdout) && Files.exists(output) && Files.isSameFile(output, stdout)) {
                return System.err;
            }
        } catch (IOException | RuntimeException e) {
            // not comparable: it is not this process's standard output
        }
        return System.out;
    }

    /**
     * Refuses an output inside a directory of trusted keys ({@code --trusted-keys DIR}): scorers read every key file
     * there, so a report or a model written over a {@code .pub} (or beside it) would stop them from starting. Only
     * the file itself was compared before, and {@code retrain --report keys/ops.pub} replaced the key (found by a
     * helper session).
     */
    public static void refuseInsideKeyDirectory(CommandSpec spec, String option, Path output, Path trustedKeys) {
        if (output == null || trustedKeys == null || !Files.isDirectory(trustedKeys)) {
            return;
        }
        Path where = output.toAbsolutePath().normalize();
        try { // where the write lands: a symbolic link's target
            where = org.fraudscorer.common.model.AtomicFiles.target(where).toAbsolutePath().normalize();
        } catch (IOException e) {
            // unresolvable: its own path is compared
        }
        for (Path p = where.getParent(); p != null; p = p.getParent()) {
            if (same(p, trustedKeys)) {
                throw new ParameterException(spec.commandLine(), option + " " + output + " is inside --trusted-keys "
                        + trustedKeys + ", whose key files the scorers read: write it elsewhere");
            }
        }
    }

    /** Refuses two outputs of one command that are the same file: the second written would replace the first. */
    public static void refuseClash(CommandSpec spec, String option, Path output, String otherOption, Path other) {
        if (output != null && other != null && same(output, other)) {
            throw new ParameterException(spec.commandLine(), option + " " + output + " is also a file " + otherOption
                    + " writes: one would replace the other; choose another file");
        }
    }

    private static boolean same(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (IOException e) {
            // unreadable: compared by name below
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /**
     * Refuses, before any work, an output that could not be written when the work is done: a directory where a file
     * goes (or a file where a directory goes), or a place under a file or in a directory this process cannot write.
     * Without it a mistyped {@code --plots} or {@code --export-split} failed only after training.
     */
    public static void requireWritable(CommandSpec spec, String option, Path output, boolean directory) {
        if (output == null) {
            return;
        }
        Path p = output.toAbsolutePath().normalize();
        if (!directory) { // where the write lands: the file a symbolic link names, whose directory takes the temp file
            try {
                p = org.fraudscorer.common.model.AtomicFiles.target(p).toAbsolutePath().normalize();
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), option + " " + output + " cannot be resolved ("
                        + e.getMessage() + ")");
            }
        }
        String bad = null;
        if (!directory && !Files.isDirectory(p) && inPlace(p)) {
            // a device, a pipe or an open descriptor (/dev/null, /dev/stdout): written in place, never replaced, by
            // AtomicFiles' rule (/dev/stdout redirected to a file is a regular file, yet /dev takes no temp file)
            if (!Files.isWritable(p)) {
                throw new ParameterException(spec.commandLine(), option + " " + output + " cannot be written "
                        + "(permission denied)");
            }
            return;
        }
        if (Files.exists(p) && directory != Files.isDirectory(p)) {
            bad = directory ? "is a file, not a directory" : "is a directory, not a file";
        } else if (Files.exists(p) && directory) {
            if (!Files.isWritable(p)) {
                bad = "cannot be written (permission denied)";
            }
        } else if (Files.exists(p) && !Files.isWritable(p)) {
            bad = "cannot be written (permission denied)";
        } else if (Files.exists(p) && !Files.isWritable(p.getParent())) {
            // a file is replaced through a temporary file beside it: its directory must take one
            bad = "cannot be replaced: " + p.getParent() + " is not writable";
        } else if (!Files.exists(p)) {
            Path parent = nearestExisting(p.getParent());
            if (parent == null) {
                bad = "has no existing parent directory";
            } else if (!Files.isDirectory(parent)) {
                bad = "cannot be created: " + parent + " is a file";
            } else if (!Files.isWritable(parent)) {
                bad = "cannot be created: " + parent + " is not writable";
            }
        }
        if (bad == null) {
            // here the nearest existing ancestor is a directory (anything else was refused above)
            bad = probe(directory && Files.isDirectory(p) ? p : nearestExisting(p.getParent()));
        }
        if (bad != null) {
            throw new ParameterException(spec.commandLine(), option + " " + output + " " + bad);
        }
    }

    private static boolean inPlace(Path p) {
        try {
            return org.fraudscorer.common.model.AtomicFiles.inPlace(p);
        } catch (IOException e) {
            return false; // unreadable link: checked as a file below
        }
    }

    private static Path nearestExisting(Path p) {
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p;
    }

    /**
     * Why no file can be made in {@code dir}, or null: a temporary file is made and deleted. Permission bits do not
     * say it for a read-only mount, a special file system ({@code /proc}) or a full disk's directory of another owner,
     * and root passes every bit check.
     */
    private static String probe(Path dir) {
        if (dir == null) {
            return null; // reported above
        }
        try {
            Files.delete(Files.createTempFile(dir, ".fraud-write-check-", ".tmp"));
            return null;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // a FileSystemException's message is the probe's own file name: its reason, if any, is what says why
            String reason = e instanceof java.nio.file.FileSystemException f ? f.getReason() : e.getMessage();
            return "cannot be written: no file can be made in " + dir + " (" + e.getClass().getSimpleName()
                    + (reason == null ? "" : ": " + reason) + ")";
        }
    }
}
