package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command whose Kafka client settings cannot be used says so in one line on standard error, with the shipped logging
 * (child JVM, as {@code ./fraud} runs): Kafka's SSL engine factory logs a missing trust store file as an ERROR with a
 * stack trace, naming no client, before the start-up check turns the same failure into the command's line.
 */
class BrokerCheckOneLineTest {
    @TempDir
    Path dir;

    @Test
    void aMissingTrustStoreIsOneLineOnStandardErrorAndExitOne() throws Exception {
        // Given a PEM trust store that is not there (secured-cluster.md's settings)
        Path caPem = dir.resolve("ca.pem");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // the shipped logging, not the tests' logback-test.xml that the scorer's test-jar brings
        List<String> jvm = List.of("-Dlogback.configurationFile=" + Path.of("target", "classes", "logback.xml")
                .toAbsolutePath());
        ProcessBuilder pb = new ProcessBuilder(FraudJvm.command(jvm, "tail", "-b", "127.0.0.1:" + port,
                "-p", "security.protocol=SSL", "-p", "ssl.truststore.type=PEM",
                "-p", "ssl.truststore.location=" + caPem));
        for (String name : List.of("FRAUD_LOG_FORMAT", "FRAUD_LOG_LEVEL", "FRAUD_KAFKA_LOG_LEVEL",
                "FRAUD_LOG_LEVELS_FILE", "FRAUD_DEBUG")) {
            pb.environment().remove(name);
        }
        Path err = dir.resolve("err.txt");
        // When the command starts
        Process p = pb.redirectOutput(dir.resolve("out.txt").toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // Then its error is the one line, and Kafka's ERROR with its stack trace is not printed before it
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(Files.readAllLines(err)).filteredOn(l -> !l.startsWith("WARNING: Using incubator modules"))
                .containsExactly("error: the Kafka client settings of --config (retrain: --kafka-config) or -p "
                        + "cannot be used: Failed to load PEM SSL keystore " + caPem + ": no such file " + caPem);
    }
}
