package org.fraudscorer.app;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fraudscorer.common.text.Counted;
import org.fraudscorer.trainer.events.TransactionSimulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./fraud simulate --out events.csv --days 60 --seed 1}: seeded raw payment events in the handbook's CSV format. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Write simulated raw payment events (handbook CSV format, labelled) from the seeded transaction simulator.")
public final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "CSV file to write.")
    Path out;
    @Option(names = "--days", defaultValue = "60", description = "Days of payments. Defaults to ${DEFAULT-VALUE}.")
    int days;
    @Option(names = "--seed", defaultValue = "42", description = "Defaults to ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--customers", defaultValue = "5000", description = "Defaults to ${DEFAULT-VALUE} (the handbook's).")
    int customers;
    @Option(names = "--terminals", defaultValue = "10000", description = "Defaults to ${DEFAULT-VALUE} (the handbook's).")
    int terminals;
    @Option(names = "--start", defaultValue = "2018-04-01", description = "First day. Defaults to ${DEFAULT-VALUE}.")
    LocalDate start;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (days < 1 || customers < 1 || terminals < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--days, --customers and --terminals must be ≥ 1");
        }
        if (start.isBefore(org.fraudscorer.common.features.events.TxDateTime.FIRST_DAY)
                || start.plusDays(days - 1L).isAfter(org.fraudscorer.common.features.events.TxDateTime.LAST_DAY)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--start " + start + " with --days "
                    + days + " leaves the years 1970 to 9999 that TX_DATETIME is read in");
        }
        org.fraudscorer.trainer.cli.Outputs.requireWritable(spec, "--out", out, false);
        TransactionSimulator.Simulated s = TransactionSimulator.simulate(
                new TransactionSimulator.Config(customers, terminals, days, start, 5, seed));
        boolean gzip = out.getFileName() != null && out.getFileName().toString().endsWith(".gz");
        try (var file = org.fraudscorer.common.model.AtomicFiles.open(out)) {
            java.io.OutputStream bytes = gzip ? new java.util.zip.GZIPOutputStream(file.stream(), 1 << 16)
                    : file.stream();
            Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(bytes, StandardCharsets.UTF_8));
            s.writeCsv(w);
            w.flush();
            if (bytes instanceof java.util.zip.GZIPOutputStream z) {
                z.finish(); // a .gz name is a promise to zcat and pandas: it was plain text
            }
            file.commit(); // whole or not at all
        }
        org.fraudscorer.trainer.cli.Outputs.say(out).printf(Locale.ROOT,
                "%s (%s) over %s from %s written to %s%n", Counted.of(s.events().size(), "event"),
                Counted.of(s.events().frauds(), "fraud"), Counted.of(days, "day"), start, out);
        int n = s.events().size();
        if (n == 0 || s.events().frauds() > n / 2) { // the handbook's rules, faithful, on a population too small
            spec.commandLine().getErr().printf(Locale.ROOT, "warning: %s: the handbook's simulator places each "
                    + "customer's terminals within a radius of 5 on a 100 × 100 grid and compromises 2 terminals and "
                    + "3 cards a day, so it needs hundreds of customers and terminals (default %d and %d)%n",
                    n == 0 ? "no payment at all" : String.format(Locale.ROOT, "%.0f%% of the payments are frauds",
                            100.0 * s.events().frauds() / n), 5000, 10000);
        }
        return 0;
    }
}
