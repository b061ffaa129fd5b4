package org.fraudscorer.trainer.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Runs one trainer command in-process, capturing standard output, the one-line error of a failure and what the
 * command wrote to its error writer (warnings).
 */
record Cli(int exitCode, String out, String error, String err) {

    static synchronized Cli run(Object command, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] error = {""};
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cl = new CommandLine(command);
            java.io.StringWriter err = new java.io.StringWriter();
            cl.setErr(new java.io.PrintWriter(err, true));
            cl.setExecutionExceptionHandler((ex, c, parsed) -> {
                error[0] = String.valueOf(ex.getMessage());
                return 1;
            });
            cl.setParameterExceptionHandler((ex, a) -> {
                error[0] = String.valueOf(ex.getMessage());
                return 2;
            });
            int code = cl.execute(args);
            return new Cli(code, out.toString(StandardCharsets.UTF_8), error[0], err.toString());
        } finally {
            System.setOut(old);
        }
    }
}
