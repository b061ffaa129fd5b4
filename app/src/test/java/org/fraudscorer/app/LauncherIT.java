package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./fraud} launcher runs a copy of {@code app/target/fraud.jar} named by the build (its time and size),
 * so that a rebuild, which rewrites the jar in place, cannot pull classes from under a broker or scorer still running
 * from it (they failed with {@code NoClassDefFoundError}). Run on a checkout of the launcher and the built jar alone:
 * without sources beside it the launcher does not rebuild. An integration test because the package phase builds the
 * jar.
 */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("..", "fraud").toAbsolutePath().normalize();
    private static final Path BUILT = Path.of("target", "fraud.jar").toAbsolutePath();

    @TempDir
    Path root;

    private Path checkout() throws Exception {
        Files.copy(LAUNCHER, root.resolve("fraud"));
        Files.createDirectories(root.resolve("app/target"));
        Files.copy(BUILT, root.resolve("app/target/fraud.jar"));
        return root.resolve("fraud");
    }

    private List<Path> copies() throws Exception {
        Path run = root.resolve("app/target/run");
        if (!Files.isDirectory(run)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(run)) {
            return s.sorted().toList();
        }
    }

    private int version(Path launcher) throws Exception {
        Process p = new ProcessBuilder("bash", launcher.toString(), "--version").redirectErrorStream(true)
                .redirectOutput(root.resolve("version.txt").toFile()).start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("finished").isTrue();
        return p.exitValue();
    }

    @Test
    void runsACopyNamedByTheBuildThatARebuildDoesNotTouch() throws Exception {
        Path launcher = checkout();
        Path jar = root.resolve("app/target/fraud.jar");
        byte[] built = Files.readAllBytes(jar);

        // A run makes one copy, named by the jar's time and size, with its bytes; a second run reuses it
        assertThat(version(launcher)).as(Files.readString(root.resolve("version.txt"))).isZero();
        long mtime = Files.getLastModifiedTime(jar).toMillis() / 1000;
        Path copy = root.resolve("app/target/run/fraud-" + mtime + "-" + built.length + ".jar");
        assertThat(copies()).containsExactly(copy);
        assertThat(Files.readAllBytes(copy)).isEqualTo(built);
        assertThat(version(launcher)).isZero();
        assertThat(copies()).containsExactly(copy);

        // A broker started through the launcher runs the copy
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path log = root.resolve("broker.txt");
        Process broker = new ProcessBuilder("bash", launcher.toString(), "broker", "--port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // the launcher execs java in its own process: its command line changes once it has
            String cmdline = "";
            for (long end = System.nanoTime() + 30_000_000_000L; System.nanoTime() < end && broker.isAlive()
                    && !cmdline.contains("java "); Thread.sleep(100)) {
                cmdline = broker.toHandle().info().commandLine().orElse("");
            }
            assertThat(cmdline).contains("-jar " + copy);
            Map<String, Object> client = Map.of("bootstrap.servers", "localhost:" + port);
            try (Admin admin = Admin.create(client)) {
                assertThat(admin.describeCluster().nodes().get(90, TimeUnit.SECONDS)).as(Files.readString(log))
                        .hasSize(1);
            }

            // When a rebuild rewrites the jar in place (here: cut short, as in the middle of the write)
            Files.write(jar, "not a jar yet".getBytes(StandardCharsets.US_ASCII));

            // Then the broker still answers from its copy, which is unchanged
            try (Admin admin = Admin.create(client)) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).isNotNull();
            }
            assertThat(Files.readAllBytes(copy)).isEqualTo(built);
            assertThat(broker.isAlive()).as(Files.readString(log)).isTrue();
        } finally {
            broker.destroy();
            assertThat(broker.waitFor(60, TimeUnit.SECONDS)).as("broker stopped").isTrue();
        }

        // And the next build gets a copy of its own, the old one removed
        Files.write(jar, built);
        Files.setLastModifiedTime(jar, FileTime.fromMillis((mtime + 10) * 1000));
        assertThat(version(launcher)).isZero();
        assertThat(copies()).containsExactly(root.resolve("app/target/run/fraud-" + (mtime + 10) + "-" + built.length
                + ".jar"));
    }
}
