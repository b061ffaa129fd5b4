package org.fraudscorer.app;

import java.io.PrintWriter;
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
        subcommands = {TrainCommand.class, EvaluateCommand.class, ScoreCommand.class, PredictCommand.class,
                InspectCommand.class, XorCommand.class, org.fraudscorer.trainer.cli.HandbookCommand.class, DemoCommand.class,
                SimulateCommand.class,
                org.fraudscorer.scorer.cli.BrokerCommand.class, org.fraudscorer.scorer.cli.ScorerCommand.class,
                ProduceCommand.class, org.fraudscorer.scorer.cli.PublishCommand.class, CommandLine.HelpCommand.class})
public final class FraudCli implements Runnable {

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new FraudCli());
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + oneLine(ex.getMessage()) + " (see '" + ex.getCommandLine().getCommandSpec()
                    .qualifiedName() + " --help')");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (System.getenv("FRAUD_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            cmd.getErr().println("error: " + describe(ex));
            return 1;
        });
        return cl;
    }

    static String describe(Throwable ex) {
        String msg = ex.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = ex.getClass().getSimpleName();
        }
        if (ex instanceof java.nio.file.NoSuchFileException) {
            msg = "file not found: " + msg;
        } else if (ex instanceof java.nio.file.AccessDeniedException) {
            msg = "permission denied: " + msg;
        }
        return oneLine(msg);
    }

    static String oneLine(String s) {
        return s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
