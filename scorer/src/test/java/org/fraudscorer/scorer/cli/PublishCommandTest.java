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

    /**
     * What {@code --promote} says of the challenger it removes: it said "demoted the challenger" with none held, and
     * of a challenger that was another model than the one promoted.
     */
    @Test
    void aPromotionSaysWhichChallengerItRemoved() {
        byte[] v1 = ModelFile.toBytes(ModelFixtures.bundle(1));
        byte[] v2 = ModelFile.toBytes(ModelFixtures.bundle(2));
        var promoted = ModelFile.load(v1, "m.json", null).bundle();
        var other = ModelFile.load(v2, "other", null).bundle();
        assertThat(PublishCommand.demotedText(null, promoted, "fraud-models"))
                .isEqualTo("found no challenger held on fraud-models to demote");
        assertThat(PublishCommand.demotedText(v1, promoted, "fraud-models"))
                .isEqualTo("demoted the challenger (the promoted model, no longer shadow-scored)");
        assertThat(PublishCommand.demotedText(v2, promoted, "fraud-models")).isEqualTo("removed the challenger "
                + other.modelVersion() + " (sha256 " + other.sha256() + "), which is not the model promoted");
        assertThat(PublishCommand.demotedText("{".getBytes(), promoted, "fraud-models"))
                .startsWith("removed a challenger record that does not load (model fraud-models challenger ");
    }

    /**
     * publish's producer: the user's settings, acks=all and idempotence kept, and the request and buffer sizes raised
     * to hold the model (a record larger than the whole buffer is refused by the client) but never lowered.
     */
    @Test
    void theProducerHoldsTheModelAndKeepsTheUsersLargerSizes() {
        java.util.Properties user = new java.util.Properties();
        user.put("bootstrap.servers", "k:9092");
        user.put("compression.type", "zstd");
        int model = 40 << 20;
        java.util.Properties p = PublishCommand.producerProperties(user, model, null);
        assertThat(p).containsEntry("compression.type", "zstd").containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true");
        assertThat(Long.parseLong(p.getProperty("buffer.memory"))).isGreaterThanOrEqualTo(model + (1L << 20));
        assertThat(Long.parseLong(p.getProperty("max.request.size"))).isGreaterThan(model);
        user.put("buffer.memory", String.valueOf(256L << 20));
        user.put("max.request.size", String.valueOf(100 << 20));
        p = PublishCommand.producerProperties(user, 3 << 20, "tx-1");
        assertThat(p).containsEntry("buffer.memory", String.valueOf(256L << 20))
                .containsEntry("max.request.size", String.valueOf(100 << 20)).containsEntry("transactional.id", "tx-1");
        user.put("acks", "1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PublishCommand.producerProperties(user, 1, null))
                .hasMessageContaining("this command needs acks=all");
        user.remove("acks");
        user.put("max.request.size", "abc"); // said "For input string: "abc"", naming no setting
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PublishCommand.producerProperties(user, 1, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max.request.size must be a whole number of bytes, got 'abc'");
    }
}
