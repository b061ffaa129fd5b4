package org.fraudscorer.scorer.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TempDirsTest {
    @Test
    void deletesATreeWithItsContents() throws Exception {
        Path dir = Files.createTempDirectory("tempdirs-test");
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/b/log.txt"), "records");
        Files.writeString(dir.resolve("top.txt"), "x");
        TempDirs.deleteQuietly(dir);
        assertThat(dir).doesNotExist();
        TempDirs.deleteQuietly(dir); // already gone: no error
    }

    @Test
    void createsAnEmptyDirectoryWithThePrefix() throws Exception {
        Path dir = TempDirs.createDeletedOnExit("tempdirs-prefix");
        assertThat(dir).isEmptyDirectory();
        assertThat(dir.getFileName().toString()).startsWith("tempdirs-prefix");
        TempDirs.deleteQuietly(dir);
    }
}
