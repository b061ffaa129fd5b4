package org.fraudscorer.scorer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The error rules every entry point shares, on a command made to fail each way. */
class CliErrorsTest {

    @Command(name = "failing")
    static final class Failing implements Callable<Integer> {
        @Option(names = "--how", required = true)
        String how;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            switch (how) {
                case "heap" -> throw new OutOfMemoryError("Java heap space");
                case "io" -> throw new java.nio.file.NoSuchFileException("missing.csv");
                case "binary" -> throw new IllegalArgumentException("configuration c.zip is not valid JSON: "
                        + "Unrecognized token 'PK\u0003\u0004\u0000\u001b[2J'");
                default -> {
                    spec.commandLine().getOut().println("done");
                    return 0;
                }
            }
        }
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CliErrors.install(new CommandLine(new Failing()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void runningOutOfHeapIsOneLineSayingHowToGiveMoreAndExitOne() {
        Run r = run("--how", "heap");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: out of memory (Java heap space, heap limit ")
                .contains("MiB): give the JVM more, e.g. FRAUD_JAVA_OPTS=-Xmx")
                .doesNotContain("\tat ").hasLineCount(1);
    }

    @Test
    void aFailureIsOneLineAndExitOneAndABadCommandLineExitTwo() {
        Run io = run("--how", "io");
        assertThat(io.code()).isEqualTo(1);
        assertThat(io.err()).isEqualToIgnoringNewLines("error: file not found: missing.csv");
        Run usage = run("--bad");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).hasLineCount(1).startsWith("error: ").contains("(see 'failing --help')");
        assertThat(run("--how", "fine").code()).isZero();
    }

    /**
     * Control characters of a message (a binary file's first bytes quoted by a parser) are escaped: 'train --config
     * x.zip' wrote a NUL and other control bytes to the terminal (bad-input hunt); an escape sequence could clear it.
     */
    @Test
    void controlCharactersInAMessageAreEscaped() {
        Run r = run("--how", "binary");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualToIgnoringNewLines("error: configuration c.zip is not valid JSON: Unrecognized "
                + "token 'PK\\u0003\\u0004\\u0000\\u001B[2J'");
    }

    /**
     * A mistyped option is named, with the options a typo or two away: 'train --dat x.csv' said only "Missing required
     * option: '--data=<data>'", as if --data had been left out (bad-input hunt).
     */
    @Test
    void aMistypedOptionIsNamedNotTakenForAMissingOne() {
        Run missing = run("--hwo", "heap");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).isEqualToIgnoringNewLines("error: Unknown option: '--hwo' (did you mean --how?) (see "
                + "'failing --help')");
        Run unknown = run("--how", "fine", "--hw=x");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).isEqualToIgnoringNewLines("error: Unknown option: '--hw=x' (did you mean --how?) "
                + "(see 'failing --help')");
        Run far = run("--bogus");
        assertThat(far.err()).isEqualToIgnoringNewLines("error: Unknown option: '--bogus' (see 'failing --help')");
    }

    @Test
    void aStandardOutputThatFailedMakesASuccessfulCommandFail() {
        CommandLine cl = CliErrors.install(new CommandLine(new Failing()));
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new java.io.Writer() {
            @Override
            public void write(char[] buf, int off, int len) throws java.io.IOException {
                throw new java.io.IOException("No space left on device");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        }));
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute("--how", "fine")).isEqualTo(1);
        assertThat(err.toString()).isEqualToIgnoringNewLines(
                "error: standard output could not be written (full disk or closed pipe?)");
    }
}
