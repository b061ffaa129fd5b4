package org.fraudscorer.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the real {@code fraud} command line in-process and captures what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CliRun r = run(out, args);
        return new CliRun(r.exitCode(), out.toString(StandardCharsets.UTF_8), r.err());
    }

    /** Runs with a standard output that fails every write, as a full disk behind a redirection does. */
    static CliRun withFullStandardOutput(String... args) {
        return run(new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("No space left on device");
            }
        }, args);
    }

    /** Runs the command line with standard output going to {@code stdout}; the result's {@code out} is empty. */
    private static synchronized CliRun run(java.io.OutputStream stdout, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine cl = FraudCli.commandLine();
            cl.setOut(new PrintWriter(System.out, true));
            cl.setErr(new PrintWriter(System.err, true));
            int code = cl.execute(args);
            System.out.flush();
            System.err.flush();
            return new CliRun(code, "", err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The error output without slf4j lines (timestamp, optional [thread], level): logging, not the CLI's answer. */
    String errorLines() {
        return err.lines().filter(l -> !l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (\\[[^]]*] )?(INFO|WARN|DEBUG).*"))
                .filter(l -> !l.isBlank()).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    /**
     * Trains a small model through the real {@code train} command (2 epochs, 2 folds, one member) into a sibling of
     * {@code data}, failing the test if the command fails: the model the ITs publish and score with.
     */
    static java.nio.file.Path quickModel(java.nio.file.Path data, String name, String seed, String... more) {
        java.nio.file.Path out = data.resolveSibling(name);
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--data", data.toString(),
                "--out", out.toString(), "--epochs", "2", "--folds", "2", "--ensemble", "1", "--seed", seed));
        args.addAll(java.util.List.of(more));
        CliRun r = of(args.toArray(String[]::new));
        org.assertj.core.api.Assertions.assertThat(r.exitCode()).as(r.err()).isZero();
        return out;
    }

    /** Waits up to 60 s for {@code condition}, failing the test if it does not hold by then. */
    static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            org.assertj.core.api.Assertions.assertThat(System.nanoTime()).as("condition not met within 60 s")
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
