package org.fraudscorer.app;

import org.fraudscorer.scorer.cli.CliErrors;
import org.fraudscorer.trainer.cli.EvaluateCommand;
import org.fraudscorer.trainer.cli.InspectCommand;
import org.fraudscorer.trainer.cli.PredictCommand;
import org.fraudscorer.trainer.cli.ScoreCommand;
import org.fraudscorer.trainer.cli.TrainCommand;
import org.fraudscorer.trainer.cli.XorCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./fraud} launcher: every command of the product under one name.
 * <pre>
 *   ./fraud --help
 *   ./fraud train --data ../shared/data/creditcard-sample.csv --out models/model.json
 * </pre>
 * Errors are one line on standard error and a non-zero exit (2 for a bad command line, 1 for a failure);
 * set {@code FRAUD_DEBUG=1} to see stack traces.
 */
@Command(name = "fraud", mixinStandardHelpOptions = true, version = "fraud-scorer 0.1.0",
        description = "Real-time card-fraud scorer: train, evaluate and serve a neural network on Kafka.",
        subcommands = {TrainCommand.class, org.fraudscorer.trainer.cli.TuneCommand.class, EvaluateCommand.class, ScoreCommand.class, PredictCommand.class,
                InspectCommand.class, XorCommand.class, org.fraudscorer.trainer.cli.HandbookCommand.class, DemoCommand.class,
                SimulateCommand.class, KeygenCommand.class, BackfillCommand.class,
                org.fraudscorer.scorer.cli.BrokerCommand.class, org.fraudscorer.scorer.cli.ScorerCommand.class,
                ProduceCommand.class, org.fraudscorer.scorer.cli.PublishCommand.class, CommandLine.HelpCommand.class})
public final class FraudCli implements Runnable {

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests. */
    public static CommandLine commandLine() {
        return CliErrors.install(new CommandLine(new FraudCli()));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
