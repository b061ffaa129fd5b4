package org.fraudscorer.scorer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.fraudscorer.common.model.ModelFile;
import org.fraudscorer.common.model.ModelFixtures;
import org.fraudscorer.scorer.cli.CliErrors;
import org.fraudscorer.scorer.cli.PublishCommand;
import org.fraudscorer.scorer.cli.ScorerCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** An unreachable cluster is reported in one line naming the bootstrap servers, not after a silent minute. */
class BrokerCheckTest {

    /** A local port nothing listens on (bound, then released). */
    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void namesTheBootstrapServersWhenNoBrokerAnswers() throws Exception {
        Properties p = new Properties();
        String servers = "127.0.0.1:" + closedPort();
        p.put("bootstrap.servers", servers);
        assertThatThrownBy(() -> BrokerCheck.await(p, Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot reach Kafka at " + servers + " within 2 s")
                .hasMessageNotContaining("\n");
    }

    @Test
    void theScorerCommandExitsOneWithThatLine(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.json");
        ModelFile.write(ModelFixtures.bundle(3), model);
        String servers = "127.0.0.1:" + closedPort();
        CommandLine cl = ScorerCommand.commandLine();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int code = cl.execute("--bootstrap-servers", servers, "--model", model.toString(), "--metrics-port", "-1",
                "--state-dir", dir.resolve("state").toString());
        String out = err.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(1);
        assertThat(out.strip()).startsWith("error: cannot reach Kafka at " + servers + " within 15 s")
                .doesNotContain("\n");
    }

    @Test
    void publishSaysSoTooInsteadOfAMinuteOfRetriesAndAnExceptionName(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.json");
        ModelFile.write(ModelFixtures.bundle(3), model);
        String servers = "127.0.0.1:" + closedPort();
        CommandLine cl = CliErrors.install(new CommandLine(new PublishCommand()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int code = cl.execute("--bootstrap-servers", servers, "--model", model.toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).isEqualTo("error: cannot reach Kafka at " + servers
                + " within 15 s (no answer); check --bootstrap-servers and the network (and security.protocol, when "
                + "the cluster wants TLS or SASL), then try again");
    }
}
