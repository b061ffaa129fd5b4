package org.fraudscorer.scorer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code publish}'s shadow-scoring options: combinations that do not go together are refused with one line on
 * standard error and exit code 2, before any broker is contacted (the bootstrap address is a closed port).
 */
class PublishCommandTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = Files.write(dir.resolve("m.json"), ModelFile.toBytes(ModelFixtures.bundle(1)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--demote-challenger --model M|--demote-challenger takes no model and no other publishing option (to promote a challenger: --model FILE --promote)",
        "--demote-challenger --as challenger|--demote-challenger takes no model and no other publishing option (to promote a challenger: --model FILE --promote)",
        "--demote-challenger --name x|--demote-challenger takes no model and no other publishing option (to promote a challenger: --model FILE --promote)",
        "--demote-challenger --promote|--demote-challenger takes no model and no other publishing option (to promote a challenger: --model FILE --promote)",
        "--as challenger|--model is required (or --demote-challenger to remove the challenger)",
        "--model M --as challenger --promote|--promote publishes a champion; it cannot be combined with --as challenger",
        "--model M --as challenger --name team|--name names a champion; a challenger is always published under the key 'challenger'",
        "--model M --name challenger|--name 'challenger' is reserved for the challenger (use --as challenger)",
        "--model M --as shadow|Invalid value for option '--as': expected one of [champion, challenger] (case-sensitive) but was 'shadow'",
    })
    void shouldRefuseABadCombinationWithOneLineAndExitCode2(String args, String message) {
        StringWriter err = new StringWriter();
        CommandLine cl = CliErrors.install(new CommandLine(new PublishCommand()));
        cl.setErr(new PrintWriter(err, true));
        String[] argv = ("--bootstrap-servers 127.0.0.1:1 " + args.replace(" M", " " + model)).split(" ");
        assertThat(cl.execute(argv)).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly("error: " + message + " (see 'publish --help')");
    }
}
