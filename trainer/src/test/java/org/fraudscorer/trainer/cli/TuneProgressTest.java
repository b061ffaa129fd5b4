package org.fraudscorer.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tune}'s progress line says what each trial took and about how long the rest will take: on the full Kaggle
 * file a trial takes about a minute and 24 trials about half an hour, which a bar of trials alone did not tell.
 */
class TuneProgressTest {
    @TempDir
    Path dir;

    @Test
    void eachTrialsLineSaysWhatItTookAndAboutWhatIsLeft() throws IOException {
        Path data = dir.resolve("small.csv");
        Random random = new Random(3);
        StringBuilder csv = new StringBuilder("Time," + IntStream.rangeClosed(1, 28).mapToObj(v -> "V" + v)
                .collect(Collectors.joining(",")) + ",Amount,Class\n");
        for (int r = 0; r < 400; r++) {
            int fraud = r % 10 == 3 ? 1 : 0;
            csv.append(r);
            for (int v = 1; v <= 28; v++) {
                csv.append(String.format(java.util.Locale.ROOT, ",%.4f", random.nextGaussian() + 2 * fraud));
            }
            csv.append(',').append(10 + r % 50).append(',').append(fraud).append('\n');
        }
        Files.writeString(data, csv);
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli r;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            r = Cli.run(new TuneCommand(), "--data", data.toString(), "--out", dir.resolve("c.json").toString(),
                    "--trials", "3", "--folds", "2", "--epochs", "2", "--hidden", "4", "--threads", "1");
        } finally {
            System.setErr(old);
        }
        assertThat(r.exitCode()).as(r.error()).isZero();
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("trials, best"))
                .toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("\\[#{6} {14}\\] 1/3 trials, best mean fold PR-AUC \\d\\.\\d{4}; trial 0 "
                + "took [\\d.]+ s, [\\d.]+ s so far, about [\\d.]+ s left");
        assertThat(lines.get(2)).matches("\\[#{20}\\] 3/3 trials, best mean fold PR-AUC \\d\\.\\d{4}; trial 2 "
                + "took [\\d.]+ s, [\\d.]+ s so far");
        assertThat(List.of(TuneCommand.duration(0.42), TuneCommand.duration(119.4), TuneCommand.duration(1_560)))
                .containsExactly("0.4 s", "119 s", "26.0 min");
    }
}
