package org.fraudscorer.devkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TempDirTest {
    @Test
    void closingDeletesTheTreeWithItsContents() throws Exception {
        Path root;
        try (TempDir tmp = TempDir.create("tempdir-test")) {
            root = tmp.path();
            assertThat(root.getFileName().toString()).startsWith("tempdir-test");
            Path logs = tmp.dir("broker");
            Files.createDirectories(logs.resolve("a/b"));
            Files.writeString(logs.resolve("a/b/00000.log"), "records");
            Files.writeString(tmp.dir("streams").resolve("checkpoint"), "x");
            assertThat(logs).isDirectory();
        }
        assertThat(root).doesNotExist();
        TempDir.deleteQuietly(root); // already gone: no error
    }
}
