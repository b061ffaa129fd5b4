package org.fraudscorer.common.model;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files written whole or not at all: what the model file, the retrain report and the scorer's kept served model are
 * written with.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** A new name beside {@code path} for the temp file it is written to before it is moved over {@code path}. */
    public static Path tempSibling(Path path) {
        return path.resolveSibling(path.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + System.nanoTime());
    }

    /**
     * The file a write to {@code path} lands on: the regular file a symbolic link names, existing or not yet (the link
     * stays, as a plain write leaves it); else {@code path} itself.
     */
    public static Path target(Path path) throws IOException {
        if (Files.exists(path)) {
            return inPlace(path) ? path : path.toRealPath();
        }
        Path p = path;
        for (int hops = 0; Files.isSymbolicLink(p) && hops < 40; hops++) { // 40: Linux's limit on a chain of links
            p = p.resolveSibling(Files.readSymbolicLink(p));
        }
        return p;
    }

    /**
     * Whether {@code path} is written in place rather than replaced: something that is not a regular file (a device
     * such as {@code /dev/null}, a named pipe: moving a file over it would put a file where the device was), or an
     * open descriptor's name such as {@code /dev/stdout} (whatever the shell connected it to).
     */
    public static boolean inPlace(Path path) throws IOException {
        if (!Files.exists(path)) {
            return false;
        }
        if (!Files.isRegularFile(path)) {
            return true;
        }
        Path p = path.toAbsolutePath();
        for (int hops = 0; hops < 40; hops++) {
            if (p.startsWith("/proc") || p.startsWith("/dev/fd")) {
                return true;
            }
            if (!Files.isSymbolicLink(p)) {
                return false;
            }
            p = p.resolveSibling(Files.readSymbolicLink(p));
        }
        return false;
    }

    /**
     * Writes {@code bytes} to {@code path}, creating its directory: a sibling temp file created like any other file
     * (umask permissions), synced to disk, then moved over the target, so readers see the old file or the new one,
     * never half of it, and a crash after the move leaves the new one (the directory is synced too where the file
     * system allows it). Through a symbolic link, the file it names is replaced; a device or a named pipe is written to
     * as it is ({@link #inPlace}).
     */
    public static void write(Path path, byte[] bytes) throws IOException {
        try (Output out = open(path)) {
            out.stream().write(bytes);
            out.commit();
        }
    }

    /**
     * A file written as a stream, whole or not at all, by {@link #write}'s rules: {@link Output#commit()} syncs and
     * moves it over {@code path}; closed without a commit (a failure halfway), the temp file is deleted and the file at
     * {@code path} is left as it was. What is written in place (a device, a pipe, an open descriptor) cannot be taken
     * back: it is appended to as it comes.
     */
    public static Output open(Path path) throws IOException {
        Path file = target(path);
        if (inPlace(file)) { // appended, never truncated: /dev/stdout may be a file the shell opened for >>
            return new Output(file, null, FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = tempSibling(file);
        Unfinished.add(tmp);
        try {
            return new Output(file, tmp, FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE));
        } catch (IOException | RuntimeException e) {
            Unfinished.remove(tmp);
            throw e;
        }
    }

    /**
     * The temp files of outputs neither committed nor closed, deleted when the JVM stops (Ctrl-C, SIGTERM, an exit):
     * an interrupted {@code score --out} left its partial temp file beside the target (found by a hunt), with a name
     * nothing cleans up. A JVM killed outright (SIGKILL) runs no hook: that file stays.
     */
    private static final class Unfinished {
        private static final java.util.Set<Path> FILES = java.util.concurrent.ConcurrentHashMap.newKeySet();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (Path p : FILES) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        // stopping: nothing else to do with it
                    }
                }
            }, "atomic-files-cleanup"));
        }

        static void add(Path tmp) {
            FILES.add(tmp);
        }

        static void remove(Path tmp) {
            FILES.remove(tmp);
        }
    }

    /**
     * A stream whose failures name the file they write: "No space left on device" and "Broken pipe" came alone,
     * with no word of which output (found by a hunt).
     */
    private static final class Named extends java.io.FilterOutputStream {
        private final Path file;

        Named(java.io.OutputStream out, Path file) {
            super(out);
            this.file = file;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw named(e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw named(e);
            }
        }

        private IOException named(IOException e) {
            return new IOException(file + " could not be written (" + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        }
    }

    /** A file being written by {@link #open}. */
    public static final class Output implements AutoCloseable {
        private final Path file;
        private final Path tmp;
        private final FileChannel channel;
        private final java.io.OutputStream stream;
        private boolean done;

        private Output(Path file, Path tmp, FileChannel channel) {
            this.file = file;
            this.tmp = tmp;
            this.channel = channel;
            this.stream = new java.io.BufferedOutputStream(new Named(java.nio.channels.Channels.newOutputStream(
                    channel), file), 1 << 16);
        }

        /** Where to write (buffered; {@link #commit()} flushes it). Closing it is the same as closing this. */
        public java.io.OutputStream stream() {
            return stream;
        }

        /** Ends the file: flushed, synced and moved over the target (a target written in place: flushed). */
        public void commit() throws IOException {
            stream.flush();
            if (tmp == null) {
                done = true;
                channel.close();
                return;
            }
            channel.force(true);
            channel.close();
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            Unfinished.remove(tmp);
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                    d.force(true); // the rename itself
                } catch (IOException e) {
                    // not every platform opens a directory for syncing: the file is written and renamed all the same
                }
            }
        }

        /** Without a commit: the temp file is deleted, the target left as it was. */
        @Override
        public void close() throws IOException {
            if (done) {
                return;
            }
            done = true;
            try {
                channel.close();
            } finally {
                if (tmp != null) {
                    Files.deleteIfExists(tmp);
                    Unfinished.remove(tmp);
                }
            }
        }
    }
}
