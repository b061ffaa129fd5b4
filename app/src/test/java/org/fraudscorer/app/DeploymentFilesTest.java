package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The files a user with Docker runs, against the code they run: {@code docker-compose.yml} and the {@code Dockerfile}
 * are not built or started here (no Docker engine), so an option renamed in the code and not in them would fail only
 * on {@code docker compose up}. Every fraud-scorer service's command must parse with the lean jar's command line (the
 * image's), the scorer's published port must be its metrics port, and the Dockerfile must copy every module's pom
 * before its offline dependency step and the jar {@code app-lean} builds.
 */
class DeploymentFilesTest {
    private static final String IMAGE = "fraud-scorer:latest";

    private static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("docker-compose.yml")) && Files.exists(p.resolve("Dockerfile"))) {
                return p;
            }
        }
        throw new IllegalStateException("no docker-compose.yml and Dockerfile above " + Path.of("").toAbsolutePath());
    }

    private static JsonNode compose() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(root().resolve("docker-compose.yml").toFile());
    }

    private static List<String> command(JsonNode service) {
        List<String> args = new ArrayList<>();
        service.path("command").forEach(a -> args.add(a.asText()));
        return args;
    }

    @Test
    void everyFraudScorerServicesCommandParsesWithTheImagesCommandLine() throws IOException {
        List<String> checked = new ArrayList<>();
        compose().path("services").fields().forEachRemaining(e -> {
            if (!IMAGE.equals(e.getValue().path("image").asText())) {
                return;
            }
            List<String> args = command(e.getValue());
            assertThat(args).as("service %s runs a command", e.getKey()).isNotEmpty();
            CommandLine cl = FraudCli.commandLine(false); // the lean jar's: no demo, no broker
            assertThatCode(() -> cl.parseArgs(args.toArray(String[]::new))).as("service %s: %s", e.getKey(), args)
                    .doesNotThrowAnyException();
            assertThat(cl.getSubcommands()).as("service %s", e.getKey()).containsKey(args.get(0));
            checked.add(e.getKey());
        });
        assertThat(checked).contains("trainer", "scorer", "producer");
    }

    @Test
    void theScorersPublishedPortIsItsMetricsPort() throws IOException {
        JsonNode scorer = compose().path("services").path("scorer");
        List<String> args = command(scorer);
        int i = args.indexOf("--metrics-port");
        String port = i >= 0 ? args.get(i + 1) : FraudCli.commandLine(false).getSubcommands().get("scorer")
                .getCommandSpec().findOption("--metrics-port").defaultValue();
        List<String> ports = new ArrayList<>();
        scorer.path("ports").forEach(p -> ports.add(p.asText()));
        assertThat(ports).contains(port + ":" + port);
        assertThat(args).as("reachable from the other containers").containsSequence("--metrics-host", "0.0.0.0");
    }

    @Test
    void theDockerfileCopiesEveryModulesPomAndTheLeanJarItBuilds() throws IOException {
        String dockerfile = Files.readString(root().resolve("Dockerfile"));
        String rootPom = Files.readString(root().resolve("pom.xml"));
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(rootPom);
        int modules = 0;
        while (m.find()) {
            // without every module's pom, dependency:go-offline fails (hidden by its `|| true`) and caches nothing
            assertThat(dockerfile).contains("COPY " + m.group(1) + "/pom.xml " + m.group(1) + "/");
            modules++;
        }
        assertThat(modules).isGreaterThan(5);
        String leanPom = Files.readString(root().resolve("app-lean/pom.xml"));
        Matcher jar = Pattern.compile("<outputFile>\\$\\{project.build.directory}/([^<]+)</outputFile>")
                .matcher(leanPom);
        assertThat(jar.find()).isTrue();
        assertThat(dockerfile).contains("COPY --from=build /src/app-lean/target/" + jar.group(1) + " ");
        assertThat(Files.readString(root().resolve(".dockerignore")).lines())
                .as("build output and private keys stay out of the build context").contains("**/target", "*.key");
    }
}
