package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code ./fraud <command> --help} as a user copies from it: picocli wraps its 80 columns where Java's line break
 * rules allow, which includes after a dot inside a word, so {@code -p commit.interval.ms=50} was shown as
 * {@code -p commit.} and {@code interval.ms=50} on the next line, and {@code ./fraud} as {@code .} and {@code /fraud}.
 */
class HelpWrapTest {
    @Test
    void noOptionDescriptionHasAWordCutInTwoByTheWrapping() {
        List<String> cut = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : FraudCli.commandLine().getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            String help = " " + e.getValue().getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ") + " ";
            for (OptionSpec o : e.getValue().getCommandSpec().options()) {
                for (String line : o.description()) {
                    for (String word : line.split("\\s+")) {
                        // words that picocli rewrites itself (variables, format specifiers) are not compared
                        if (word.length() > 1 && !word.contains("${") && !word.contains("%")
                                && !help.contains(" " + word + " ")) {
                            cut.add(e.getKey() + " " + o.longestName() + ": " + word);
                        }
                    }
                }
            }
        }
        assertThat(cut).isEmpty();
    }
}
