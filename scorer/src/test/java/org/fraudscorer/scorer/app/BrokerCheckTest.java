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
    /** Client settings over {@code protocol} with a PEM trust store that is not there, to a port nobody listens on. */
    private static Properties missingTrustStore(String protocol, Path dir) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", "127.0.0.1:" + closedPort());
        p.put("security.protocol", protocol);
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", dir.resolve("ca.pem").toString());
        return p;
    }

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
    void saysThatNoBootstrapHostNameResolves() {
        // a misspelt host (.invalid never resolves): it blamed the settings of --config or -p, which were not given
        Properties p = new Properties();
        String servers = "kafka-prod-1.invalid:9092";
        p.put("bootstrap.servers", servers);
        assertThatThrownBy(() -> BrokerCheck.await(p, Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot reach Kafka at " + servers + ": no host name of it resolves to an address (a "
                        + "misspelt host, or no DNS here?); check --bootstrap-servers and the network, then try again");
    }

    @Test
    @org.junit.jupiter.api.Timeout(60) // an unbounded close of the check's client waited for this listener forever
    void saysWhenSomethingListensThereButDoesNotAnswerAsKafka() throws Exception {
        // A listener that accepts connections and never answers: what a plaintext client meets on a TLS listener
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Properties p = new Properties();
            String servers = "127.0.0.1:" + closedPort() + ",127.0.0.1:" + silent.getLocalPort();
            p.put("bootstrap.servers", servers);
            assertThatThrownBy(() -> BrokerCheck.await(p, Duration.ofSeconds(2)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Kafka at " + servers + " gave no answer within 2 s, though 127.0.0.1:"
                            + silent.getLocalPort() + " accepts connections: check security.protocol (here "
                            + "PLAINTEXT) and the security settings of "
                            + BrokerCheck.SETTINGS + " (the listener may want "
                            + "another of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL), and that the brokers' "
                            + "advertised.listeners are reachable from here");
        }
    }

    @Test
    void saysWhichClientSettingCannotBeUsed(@TempDir Path dir) throws Exception {
        Properties p = missingTrustStore("SSL", dir);
        // a trust store that is not there
        assertThatThrownBy(() -> BrokerCheck.await(p, Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class).hasMessage("the Kafka client settings of "
                        + BrokerCheck.SETTINGS + " "
                        + "cannot be used: Failed to load PEM SSL keystore " + dir.resolve("ca.pem") + ": no such file "
                        + dir.resolve("ca.pem"));
        // SASL without its login
        p.put("security.protocol", "SASL_PLAINTEXT");
        assertThatThrownBy(() -> BrokerCheck.await(p, Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class).hasMessage("the Kafka client settings of "
                        + BrokerCheck.SETTINGS + " "
                        + "cannot be used: Could not find a 'KafkaClient' entry in the JAAS configuration. System "
                        + "property 'java.security.auth.login.config' is not set");
    }

    @Test
    void namesTheSettingWithoutKafkasWrapperClassOverSaslSsl(@TempDir Path dir) throws Exception {
        // Given secured-cluster.md's SASL_SSL settings, whose PEM trust store is not there
        Properties p = missingTrustStore("SASL_SSL", dir);
        p.put("sasl.mechanism", "PLAIN");
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"fraud-scorer\" password=\"x\";");
        // Then the line names the file, as over SSL, not Kafka's InvalidConfigurationException wrapped in a SASL one
        assertThatThrownBy(() -> BrokerCheck.await(p, Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class).hasMessage("the Kafka client settings of "
                        + BrokerCheck.SETTINGS + " cannot be used: Failed to load PEM SSL keystore "
                        + dir.resolve("ca.pem") + ": no such file " + dir.resolve("ca.pem"));
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
                + " within 15 s (no answer); check --bootstrap-servers and the network, then try again");
    }

    @Test
    void theServersAlertsAboutTheClientsCertificateAreToldFromTheClientNotTrustingTheServer() {
        for (String alert : new String[] {"bad_certificate", "certificate_required", "unknown_ca",
            "certificate_expired", "handshake_failure"}) {
            assertThat(BrokerCheck.refusedClientCertificate("Received fatal alert: " + alert)).as(alert).isTrue();
        }
        // the client's own refusal of the server's certificate, and anything else
        assertThat(BrokerCheck.refusedClientCertificate("unable to find valid certification path to requested target"))
                .isFalse();
        assertThat(BrokerCheck.refusedClientCertificate("No subject alternative names matching IP address 10.0.0.1 "
                + "found")).isFalse();
        assertThat(BrokerCheck.refusedClientCertificate("Received fatal alert: protocol_version")).isFalse();
        assertThat(BrokerCheck.refusedClientCertificate(null)).isFalse();
    }
}
