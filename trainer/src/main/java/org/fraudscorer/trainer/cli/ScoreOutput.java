package org.fraudscorer.trainer.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.fraudscorer.common.model.AtomicFiles;

/**
 * Where {@code score} writes its lines: standard output as they come, or a file written whole or not at all
 * ({@link AtomicFiles#open}: a temp file beside it, synced and moved over {@code --out} by {@link #commit()}, through a
 * symbolic link to the file it names; closed without a commit, after a bad line halfway through a streamed input or a
 * failed write, the temp file is deleted and an earlier {@code --out} is left as it was). Standard output, and an
 * {@code --out} that is not a regular file (a device such as {@code /dev/null}, a named pipe), cannot be taken back:
 * the lines before a failure stay written, and the exit code (1) and the one-line error say the output is incomplete.
 */
final class ScoreOutput implements AutoCloseable {
    private final AtomicFiles.Output file;
    private final BufferedWriter writer;
    private boolean committed;

    private ScoreOutput(AtomicFiles.Output file, BufferedWriter writer) {
        this.file = file;
        this.writer = writer;
    }

    /** @param out the output file, or null for standard output (left open) */
    static ScoreOutput open(Path out) throws IOException {
        if (out == null) {
            Writer w = new OutputStreamWriter(ScoreCommand.unclosable(System.out), StandardCharsets.UTF_8);
            return new ScoreOutput(null, new BufferedWriter(w, 1 << 16));
        }
        AtomicFiles.Output file = AtomicFiles.open(out);
        return new ScoreOutput(file, new BufferedWriter(new OutputStreamWriter(file.stream(), StandardCharsets.UTF_8),
                1 << 16));
    }

    Writer writer() {
        return writer;
    }

    /** Ends the output: flushes standard output, or syncs and moves the complete file over {@code --out}. */
    void commit() throws IOException {
        writer.flush();
        if (file != null) {
            file.commit();
        } else {
            writer.close();
        }
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            file.close(); // deletes the temp file unless committed
        } else if (!committed) {
            writer.close();
        }
    }
}
