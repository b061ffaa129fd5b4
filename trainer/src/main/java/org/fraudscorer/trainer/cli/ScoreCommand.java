package org.fraudscorer.trainer.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fraudscorer.common.model.ModelBundle;
import org.fraudscorer.trainer.train.TopFeatures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fraud score --model model.json --data in.csv --out scores.csv}: one line per input row, in input
 * order: {@code row,probability,flagged}, or {@code id,probability,flagged} for a file with an {@code id} column.
 * Labels, if present, are ignored. {@code --top-features N} adds the live scorer's explanation of each flagged row
 * ({@link org.fraudscorer.trainer.train.TopFeatures}). Raw payment events (told from the
 * header) give {@code TRANSACTION_ID,probability,flagged} for the events of {@code --score-from..--score-to}.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Batch-score transactions: writes row,probability,flagged for every input row, in input order "
                + "(id,probability,flagged when the file has an id column).")
public final class ScoreCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model file.")
    Path model;
    @Option(names = "--data", required = true, description = "Transactions: creditcard.csv format (Class optional), "
            + "or raw payment events (handbook format; the terminal features count earlier frauds: an empty or missing "
            + "TX_FRAUD counts as genuine, as in the scorer when a label never arrives).")
    Path data;
    @Option(names = "--out", description = "Output CSV (default: standard output).")
    Path out;
    @Option(names = "--top-features", paramLabel = "N", defaultValue = "0", description = "Add a "
            + "top_features column: for each flagged row, its N largest gradient × input contributions as "
            + "feature:contribution;... (the live scorer's topFeatures of the same decision); empty for the others. "
            + "Defaults to ${DEFAULT-VALUE}: no column.")
    int topFeatures;
    @Option(names = "--score-from", description = "Raw events only: first day to score, YYYY-MM-DD (inclusive; earlier events are history). Default: the first day.")
    String scoreFrom;
    @Option(names = "--score-to", description = "Raw events only: last day to score, YYYY-MM-DD (inclusive). Default: the last day.")
    String scoreTo;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (topFeatures < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--top-features must be 0 (no column) or more, not " + topFeatures);
        }
        Outputs.refuseOverwriting(spec, "--out", out, data, model);
        Outputs.requireWritable(spec, "--out", out, false);
        return DataFamily.forData(data).score(this);
    }

    /** The output's header line: the rows' key column, then the scores (and the explanations). */
    String header(String keyColumn) {
        return keyColumn + ",probability,flagged" + (topFeatures > 0 ? "," + TopFeatures.COLUMN : "") + "\n";
    }

    /** The explainer of flagged rows, or null without {@code --top-features}. */
    TopFeatures explainer(ModelBundle model) {
        return topFeatures > 0 ? new TopFeatures(model, topFeatures) : null;
    }

    /**
     * Ends a line of {@code line} after its key: the probability (Double.toString round-trips exactly, so it compares
     * bit for bit with the scorer's output), the decision, and the explanation of a flagged row when asked for.
     */
    static void appendScore(StringBuilder line, double p, double threshold, TopFeatures explainer, double[] inputs) {
        boolean flagged = p >= threshold;
        line.append(',').append(p).append(',').append(flagged ? '1' : '0');
        if (explainer != null) {
            line.append(',');
            if (flagged) {
                explainer.appendTo(line, inputs);
            }
        }
        line.append('\n');
    }

    /** Standard output for a writer that will be closed: closing flushes but leaves System.out open. */
    static java.io.OutputStream unclosable(java.io.OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws java.io.IOException {
                flush();
            }
        };
    }
}
