package org.fraudscorer.scorer.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary directories for a local broker's log and a Streams state store, removed when the JVM exits (normally,
 * by {@code System.exit} or on Ctrl-C). A broker's log holds every record written: a benchmark run leaves
 * gigabytes, and repeated demos and benchmarks had filled this machine's disk before this existed.
 */
public final class TempDirs {
    private TempDirs() {
    }

    /** A new directory under the system's temp directory, deleted with its contents at JVM exit. */
    public static Path createDeletedOnExit(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir), "delete-" + prefix));
        return dir;
    }

    /** Deletes {@code dir} and everything under it; best effort (a file still being written may survive). */
    public static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: the rest still goes
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // the directory vanished or cannot be listed: nothing more to do
        }
    }
}
