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

    /**
     * A checkout whose sources changed after its jar was built (a {@code pom.xml} newer than it), with a stand-in for
     * {@code ./mvnw}: it notes its start and end in {@code builds.log}, its pid in {@code mvn.pid}, takes the seconds
     * in {@code build-seconds} and then writes the jar.
     */
    private Path staleCheckout(int seconds) throws Exception {
        Files.writeString(root.resolve("build-seconds"), Integer.toString(seconds));
        Path launcher = checkout();
        Path jar = root.resolve("app/target/fraud.jar");
        Files.copy(jar, root.resolve("built.jar"));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Path mvnw = Files.writeString(root.resolve("mvnw"), String.join("\n", "#!/usr/bin/env bash",
                "echo \"start $$\" >> builds.log", "echo $$ > mvn.pid", "sleep $(cat build-seconds)",
                "cp built.jar app/target/fraud.jar", "echo \"end $$\" >> builds.log", ""));
        assertThat(mvnw.toFile().setExecutable(true)).isTrue();
        return launcher;
    }

    private Process start(Path launcher, String output) throws Exception {
        return new ProcessBuilder("bash", launcher.toString(), "--version").redirectErrorStream(true)
                .redirectOutput(root.resolve(output).toFile()).start();
    }

    private List<String> builds() throws Exception {
        Path log = root.resolve("builds.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** Two launchers started together after a source change both built, into the same target directories at once. */
    @Test
    void twoLaunchersAfterASourceChangeBuildOnce() throws Exception {
        Path launcher = staleCheckout(5);
        Process first = start(launcher, "first.txt");
        Process second = start(launcher, "second.txt");
        assertThat(first.waitFor(2, TimeUnit.MINUTES) && second.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String said = Files.readString(root.resolve("first.txt")) + Files.readString(root.resolve("second.txt"));
        assertThat(first.exitValue()).as(said).isZero();
        assertThat(second.exitValue()).as(said).isZero();
        List<String> builds = builds();
        assertThat(builds).as(said).hasSize(2);
        assertThat(builds.get(1)).isEqualTo(builds.get(0).replace("start", "end"));
        assertThat(said).contains("fraud: waiting for the build another ./fraud started");
        assertThat(root.resolve("app/target/.fraud-build-lock")).doesNotExist();
    }

    /**
     * A launcher stopped mid-build (SIGTERM, as Ctrl-C or a hang-up) stops its build, which ran on; one killed outright
     * cannot, and the next launcher waits for that build instead of building beside it.
     */
    @Test
    void aLauncherStoppedMidBuildStopsItAndTheNextWaitsForAnOrphanedOne() throws Exception {
        Path launcher = staleCheckout(60);
        Process stopped = start(launcher, "stopped.txt");
        long build = buildPid();
        stopped.destroy(); // SIGTERM
        assertThat(stopped.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(stopped.exitValue()).isEqualTo(143);
        for (long end = System.nanoTime() + 10_000_000_000L; alive(build) && System.nanoTime() < end; ) {
            Thread.sleep(50);
        }
        assertThat(alive(build)).as("the build of a stopped launcher").isFalse();
        assertThat(builds()).containsExactly("start " + build);
        assertThat(root.resolve("app/target/.fraud-build-lock")).doesNotExist();

        Files.delete(root.resolve("mvn.pid"));
        Files.writeString(root.resolve("build-seconds"), "6");
        Process killed = start(launcher, "killed.txt");
        long orphan = buildPid();
        killed.destroyForcibly(); // SIGKILL: no trap runs, the build goes on
        assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(alive(orphan)).isTrue();
        Process next = start(launcher, "next.txt");
        assertThat(next.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String said = Files.readString(root.resolve("next.txt"));
        assertThat(next.exitValue()).as(said).isZero();
        assertThat(said).contains("fraud: waiting for the build another ./fraud started");
        // the stopped build, the orphan's start and end: the next launcher found the jar built and built nothing
        assertThat(builds()).as(said).containsExactly("start " + build, "start " + orphan, "end " + orphan);
    }

    /** The pid of the stand-in build, once it has started. */
    private long buildPid() throws Exception {
        Path pid = root.resolve("mvn.pid");
        for (long end = System.nanoTime() + 60_000_000_000L; System.nanoTime() < end; Thread.sleep(50)) {
            String s = Files.exists(pid) ? Files.readString(pid).trim() : "";
            if (!s.isEmpty()) {
                return Long.parseLong(s);
            }
        }
        throw new AssertionError("the build did not start");
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
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
