package org.fraudscorer.trainer.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks on a command's output paths made before any work, as usage errors (one line, exit 2). */
final class Outputs {
    private Outputs() {
    }

    /**
     * Refuses an output that is one of the command's inputs (the same file, by any path): writing it would destroy
     * the data or the model the command reads, and report success.
     */
    static void refuseOverwriting(CommandSpec spec, String option, Path output, Path... inputs) {
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
     * Throws if standard output could not be written (a full disk behind a redirection, a closed pipe):
     * {@link System#out} never throws, it only remembers, so a command that printed its results there would exit 0
     * having written nothing.
     */
    static int checkStandardOutput(int exitCode) throws IOException {
        if (System.out.checkError()) {
            throw new IOException("standard output could not be written (full disk or closed pipe?)");
        }
        return exitCode;
    }
}
