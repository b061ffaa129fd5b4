package org.fraudscorer.trainer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Checks on which options a user gave, for commands whose options depend on the data they are given. */
public final class GivenOptions {
    private GivenOptions() {
    }

    /**
     * Refuses options the user gave that do not apply to this run (e.g. raw-event options on creditcard data), so
     * that no option is silently ignored: a command-line error, exit 2.
     *
     * @param what what they do not apply to, e.g. "creditcard-format rows"
     */
    public static void refuse(CommandSpec spec, String what, String... options) {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        for (String o : options) {
            if (parsed != null && parsed.hasMatchedOption(o)) {
                throw new CommandLine.ParameterException(spec.commandLine(), o + " does not apply to " + what
                        + ", which this data holds");
            }
        }
    }

    /** A value parsed from the command line; what {@code parse} refuses is a usage error (one line, exit 2), not bad data. */
    public static <T> T parse(CommandSpec spec, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
