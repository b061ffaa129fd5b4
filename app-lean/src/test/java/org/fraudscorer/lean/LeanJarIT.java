package org.fraudscorer.lean;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The production jar as built: no development broker inside, and the launcher still works without it. */
class LeanJarIT {
    private static final Path JAR = Path.of("target", "fraud-lean.jar");

    @Test
    void carriesNoKafkaServerScalaOrDevelopmentBroker() throws IOException {
        assertThat(JAR).exists();
        List<String> names;
        String slf4jProviders;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            names = jar.stream().map(e -> e.getName()).toList();
            slf4jProviders = new String(jar.getInputStream(jar.getEntry(
                    "META-INF/services/org.slf4j.spi.SLF4JServiceProvider")).readAllBytes(), StandardCharsets.UTF_8);
        }
        // one SLF4J provider: no "multiple providers" warning
        assertThat(slf4jProviders.strip()).isEqualTo("ch.qos.logback.classic.spi.LogbackServiceProvider");
        assertThat(names).contains("org/fraudscorer/app/FraudCli.class",
                "org/fraudscorer/scorer/broker/KafkaTopics.class",
                "org/apache/kafka/streams/KafkaStreams.class",
                "ch/qos/logback/classic/Logger.class",
                // the Streams state stores' native library for the platforms the Docker image runs on
                "librocksdbjni-linux64.so", "librocksdbjni-linux-aarch64.so");
        assertThat(names).noneMatch(n -> n.startsWith("org/fraudscorer/devkafka/"))
                .noneMatch(n -> n.startsWith("kafka/") && n.endsWith(".class")) // kafka_2.13: KafkaRaftServer, ...
                .noneMatch(n -> n.startsWith("scala/"))
                .noneMatch(n -> n.startsWith("org/apache/kafka/raft/"))
                .noneMatch(n -> n.startsWith("org/apache/kafka/controller/"))
                .noneMatch(n -> n.startsWith("org/apache/kafka/metadata/"))
                .noneMatch(n -> n.startsWith("org/apache/logging/log4j/core/"))
                .noneMatch(n -> n.startsWith("org/slf4j/simple/"));
    }

    @Test
    void helpWorksAndDemoAndBrokerAnswerWithOneLineAndExit2() throws Exception {
        Run help = run("--help");
        assertThat(help.exit).as(help.err).isZero();
        assertThat(help.out).contains("  train ", "  scorer ", "  produce ", "  publish ")
                .doesNotContain("  demo ", "  broker ");
        Run scorerHelp = run("scorer", "--help");
        assertThat(scorerHelp.exit).as(scorerHelp.err).isZero();
        assertThat(scorerHelp.out).contains("--bootstrap-servers");
        for (String command : List.of("demo", "broker")) {
            Run r = run(command, "--duration", "5");
            assertThat(r.exit).as(command).isEqualTo(2);
            assertThat(r.out).isEmpty();
            assertThat(r.err.lines().toList()).as(command).singleElement().asString()
                    .startsWith("error: '" + command + "' needs the embedded Kafka broker");
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("lean-out", ".txt");
        Path err = Files.createTempFile("lean-err", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
