package org.fraudscorer.common.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesTheWholeFileInANewDirectoryAndReplacesAnOldOneLeavingNoTempFile() throws IOException {
        Path file = dir.resolve("a/b/report.json");
        AtomicFiles.write(file, "first".getBytes());
        assertThat(file).hasContent("first");
        AtomicFiles.write(file, "second, longer".getBytes());
        assertThat(file).hasContent("second, longer");
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("report.json");
        }
    }

    /** Through a symbolic link the file it names is replaced; the link stays (a move over it made it a plain file). */
    @Test
    void writesThroughASymbolicLinkAndKeepsTheLink() throws IOException {
        Path real = Files.writeString(dir.resolve("model-v7.json"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("current.json"), real.getFileName());
        AtomicFiles.write(link, "new".getBytes());
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(real).hasContent("new");
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model-v7.json",
                    "current.json");
        }
        Path ahead = Files.createSymbolicLink(dir.resolve("next.json"), Path.of("releases", "model-v8.json"));
        AtomicFiles.write(ahead, "v8".getBytes()); // a link to a file not there yet: the file is made
        assertThat(Files.isSymbolicLink(ahead)).isTrue();
        assertThat(dir.resolve("releases/model-v8.json")).hasContent("v8");
    }

    /**
     * What is not a regular file is written in place: a named pipe here, a device such as {@code /dev/null} for a user
     * ({@code train --out /dev/null} as root moved a file over the device until 2026-12-06).
     */
    @Test
    void writesIntoANamedPipeAndLeavesItAPipe() throws Exception {
        var pipe = org.fraudscorer.common.testing.NamedPipe.readInBackground(dir.resolve("out.fifo"));
        Path fifo = pipe.path();
        AtomicFiles.write(fifo, "through the pipe".getBytes());
        assertThat(pipe.bytes(10_000)).isEqualTo("through the pipe".getBytes());
        assertThat(Files.exists(fifo)).isTrue();
        assertThat(Files.isRegularFile(fifo)).as("still a pipe").isFalse();
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("out.fifo");
        }
    }

    /**
     * An open descriptor's name ({@code /dev/stdout}, here a link to {@code /proc/self/fd/0}) is written in place,
     * whatever it is connected to: replaced, it would be a file where the link was.
     */
    @Test
    void anOpenDescriptorsNameIsWrittenInPlace() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/proc/self/fd/0")), "needs Linux's /proc");
        Path link = Files.createSymbolicLink(dir.resolve("stdin"), Path.of("/proc/self/fd/0"));
        assertThat(AtomicFiles.inPlace(link)).isTrue();
        assertThat(AtomicFiles.target(link)).isEqualTo(link);
        Path plain = Files.writeString(dir.resolve("plain.json"), "x");
        assertThat(AtomicFiles.inPlace(plain)).isFalse();
        assertThat(AtomicFiles.inPlace(dir.resolve("not-there.json"))).isFalse();
    }

    /**
     * An open descriptor's name whose descriptor is a file (what {@code --out /dev/stdout >> log} gives) is appended to,
     * not truncated: the file keeps what was in it.
     */
    @Test
    void anOpenDescriptorOfAFileIsAppendedToNotTruncated() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux's /proc");
        Path log = Files.writeString(dir.resolve("log.txt"), "earlier lines\n");
        try (var open = java.nio.channels.FileChannel.open(log, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.APPEND)) {
            Path descriptor = null;
            try (var fds = Files.list(Path.of("/proc/self/fd"))) {
                for (Path fd : fds.toList()) {
                    try {
                        if (Files.readSymbolicLink(fd).equals(log.toRealPath())) {
                            descriptor = fd;
                        }
                    } catch (IOException gone) {
                        // the listing's own descriptor, closed by now
                    }
                }
            }
            assertThat(descriptor).as("the open file's descriptor").isNotNull();
            Path stdoutLike = Files.createSymbolicLink(dir.resolve("stdout"), descriptor);
            AtomicFiles.write(stdoutLike, "the model\n".getBytes());
            assertThat(open.isOpen()).isTrue();
        }
        assertThat(log).hasContent("earlier lines\nthe model");
    }

    /** A write that fails names its output: "No space left on device" came alone, with no word of which. */
    @Test
    void aFailedWriteNamesTheFile() throws IOException {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "a /dev/full device");
        try (AtomicFiles.Output o = AtomicFiles.open(full)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
                o.stream().write(new byte[1 << 17]);
                o.commit();
            }).isInstanceOf(IOException.class).hasMessage("/dev/full could not be written (No space left on device)");
        }
    }

    /** A child JVM stopped by SIGTERM while writing: its temp file is deleted, an earlier file at the path stays. */
    @Test
    void aWriterStoppedBySigtermLeavesNoTempFileAndTheOldFileAsItWas() throws Exception {
        Path file = Files.writeString(dir.resolve("scores.csv"), "earlier");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), StoppedWriter.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
            assertThat(out.readLine()).isEqualTo("writing");
            try (var listing = Files.list(dir)) {
                assertThat(listing.filter(p -> p.getFileName().toString().startsWith("scores.csv.tmp-")).count())
                        .as("the temp file exists while the writer runs").isOne();
            }
            child.destroy(); // SIGTERM
            assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).isEqualTo(143);
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("scores.csv");
        }
        assertThat(file).hasContent("earlier");
        // and in this JVM: a committed or closed output is no longer to be deleted at exit
        Path other = dir.resolve("other.csv");
        try (AtomicFiles.Output o = AtomicFiles.open(other)) {
            o.stream().write(1);
        }
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("scores.csv");
        }
    }

    /** Opens an output on its argument, writes some of it, says so, and waits to be stopped. */
    public static final class StoppedWriter {
        public static void main(String[] args) throws Exception {
            AtomicFiles.Output o = AtomicFiles.open(Path.of(args[0]));
            o.stream().write(new byte[1 << 17]); // past the buffer: on disk
            System.out.println("writing");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
