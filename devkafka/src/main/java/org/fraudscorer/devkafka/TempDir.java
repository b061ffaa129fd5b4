package org.fraudscorer.devkafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary directory for a local broker's log and Streams state, deleted with everything in it on
 * {@link #close()}. Open it before the broker and close it after (try-with-resources closes in reverse order), so the
 * files are gone only once nothing writes them. A broker's log keeps every record: one benchmark run left ~10 GB,
 * and repeated demos and benchmarks had filled this machine's disk before this existed.
 */
public final class TempDir implements AutoCloseable {
    private final Path path;

    private TempDir(Path path) {
        this.path = path;
    }

    /** A new, empty directory under the system's temp directory. */
    public static TempDir create(String prefix) throws IOException {
        return new TempDir(Files.createTempDirectory(prefix));
    }

    public Path path() {
        return path;
    }

    /** The sub-directory {@code name}, created if missing. */
    public Path dir(String name) throws IOException {
        return Files.createDirectories(path.resolve(name));
    }

    @Override
    public void close() {
        deleteQuietly(path);
    }

    /** Deletes {@code dir} and everything under it; best effort (whatever cannot be deleted is left). */
    static void deleteQuietly(Path dir) {
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

    @Override
    public String toString() {
        return path.toString();
    }
}
