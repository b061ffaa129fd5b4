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
}
