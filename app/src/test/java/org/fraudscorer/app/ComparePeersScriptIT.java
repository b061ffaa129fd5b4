package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/compare-peers.sh}, the command behind the published model-quality figures, refusing what it cannot
 * run with one line: a bad command line (exit 2), and a trainer or a peers script that fails (exit 1, with the
 * failure's own line, which the script used to keep in a temporary file). An integration test because it runs
 * {@code ./fraud}, whose jar the package phase builds. The comparison itself needs XGBoost and PyTorch:
 * docs/model-quality.md.
 */
class ComparePeersScriptIT {
    private static final Path SCRIPT = Path.of("..", "scripts", "compare-peers.sh").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run run(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().putAll(env);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static boolean python3() throws InterruptedException {
        try {
            return new ProcessBuilder("python3", "--version").start().waitFor() == 0;
        } catch (java.io.IOException notOnPath) {
            return false;
        }
    }

    @Test
    void aBadCommandLineIsOneLineAndExitTwo() throws Exception {
        Map<List<String>, String> bad = Map.of(
                List.of("--bogus"), "compare-peers: unknown option --bogus (usage: ",
                List.of("--data"), "compare-peers: --data needs a value",
                List.of("--seeds", "1,x"), "compare-peers: --seeds must be numbers separated by commas, got '1,x'",
                List.of("--data", dir.resolve("missing.csv").toString()), "compare-peers: no data file ");
        for (var e : bad.entrySet()) {
            Run r = run(Map.of(), e.getKey().toArray(String[]::new));
            assertThat(r.exit()).as(e.getKey().toString()).isEqualTo(2);
            assertThat(r.err()).as(e.getKey().toString()).startsWith(e.getValue()).hasLineCount(1);
        }
    }

    @Test
    void aFailingTrainerOrPeersScriptStopsTheRunWithItsOwnLine() throws Exception {
        Path headerOnly = Files.writeString(dir.resolve("header-only.csv"),
                Files.readAllLines(MadeUpTransactions.write(dir.resolve("rows.csv"), 10, 0.1, 1)).get(0) + "\n");
        Run train = run(Map.of(), "--data", headerOnly.toString(), "--seeds", "1", "--peers",
                dir.resolve("no-peers.py").toString());
        assertThat(train.exit()).isEqualTo(1);
        assertThat(train.err()).contains("compare-peers: train failed for seed 1: error: ")
                .contains("header only, no data rows");

        // the script reads the trainer's JSON with python3, as it runs the peers
        org.junit.jupiter.api.Assumptions.assumeTrue(python3(),
                "python3 is not on PATH: the peers-script half of this test is skipped (the script needs python3)");
        Path rows = MadeUpTransactions.write(dir.resolve("cc.csv"), 1_500, 0.05, 7);
        Path peers = Files.writeString(dir.resolve("peers.py"),
                "import sys\nprint('peers: no module named xgboost', file=sys.stderr)\nsys.exit(3)\n");
        Run peer = run(Map.of("PYTHON", "python3"), "--data", rows.toString(), "--seeds", "1", "--peers",
                peers.toString(), "--", "--epochs", "1", "--folds", "2", "--ensemble", "1");
        assertThat(peer.exit()).as(peer.err()).isEqualTo(1);
        assertThat(peer.err()).contains("compare-peers: " + peers + " failed for seed 1: peers: no module named "
                + "xgboost");
    }
}
