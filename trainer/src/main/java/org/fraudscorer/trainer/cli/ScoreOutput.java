package org.fraudscorer.trainer.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.fraudscorer.common.model.AtomicFiles;

/**
 * Where {@code score} writes its lines: standard output as they come, or a file written whole or not at all. A file
 * is written to a sibling temp file and moved over {@code --out} (over the file a symbolic link names) by
 * {@link #commit()}; closed without a commit (a bad line halfway through a streamed input, a failed write), the temp
 * file is deleted and an earlier {@code --out} is left as it was. Standard output, and an {@code --out} that is not a
 * regular file (a device such as {@code /dev/null}, a named pipe), cannot be taken back: the lines before a failure
 * stay written, and the exit code (1) and the one-line error say the output is incomplete.
 */
final class ScoreOutput implements AutoCloseable {
    private final Path out;
    private final Path tmp;
    private final BufferedWriter writer;
    private boolean committed;

    private ScoreOutput(Path out, Path tmp, BufferedWriter writer) {
        this.out = out;
        this.tmp = tmp;
        this.writer = writer;
    }

    /** @param out the output file, or null for standard output (left open) */
    static ScoreOutput open(Path out) throws IOException {
        if (out == null) {
            Writer w = new OutputStreamWriter(ScoreCommand.unclosable(System.out), StandardCharsets.UTF_8);
            return new ScoreOutput(null, null, new BufferedWriter(w, 1 << 16));
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent); // as train's --out: a new directory is made, checked before the work
        }
        Path target = AtomicFiles.target(out); // through a symbolic link, as a plain write goes
        if (AtomicFiles.inPlace(target)) { // a device or a pipe (/dev/null): written to as it is
            BufferedWriter w = Files.newBufferedWriter(target, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.APPEND); // as AtomicFiles
            return new ScoreOutput(null, null, w);
        }
        Path tmp = AtomicFiles.tempSibling(target);
        BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
        return new ScoreOutput(target, tmp, new BufferedWriter(w, 1 << 16));
    }

    Writer writer() {
        return writer;
    }

    /** Ends the output: flushes standard output, or moves the complete file over {@code --out}. */
    void commit() throws IOException {
        writer.close();
        if (tmp != null) {
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (committed) {
            return;
        }
        try {
            writer.close();
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
