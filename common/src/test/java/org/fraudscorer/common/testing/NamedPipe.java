package org.fraudscorer.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A named pipe (mkfifo) and a reader that drains it in the background: what a command writing "in place" into a pipe
 * is tested with. A test without {@code mkfifo} is skipped, saying so.
 */
public final class NamedPipe {
    private final Path path;
    private final Thread reader;
    private volatile byte[] read;

    private NamedPipe(Path path) {
        this.path = path;
        this.reader = new Thread(() -> {
            try {
                read = Files.readAllBytes(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "named-pipe-reader");
        reader.setDaemon(true); // left blocked if nothing is written into the pipe
    }

    /** Makes the pipe at {@code path} and starts reading it. */
    public static NamedPipe readInBackground(Path path) throws IOException, InterruptedException {
        Assumptions.assumeTrue(new ProcessBuilder("mkfifo", path.toString()).start().waitFor() == 0,
                "mkfifo is not available here");
        NamedPipe pipe = new NamedPipe(path);
        pipe.reader.start();
        return pipe;
    }

    public Path path() {
        return path;
    }

    /** What came through the pipe once its writer closed it (waits up to {@code millis}); null if nothing did. */
    public byte[] bytes(long millis) throws InterruptedException {
        reader.join(millis);
        return read;
    }
}
