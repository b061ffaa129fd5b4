package org.fraudscorer.app;

import java.util.List;
import java.util.concurrent.Callable;
import org.fraudscorer.scorer.cli.CliErrors;
import org.fraudscorer.scorer.cli.PublishCommand;
import org.fraudscorer.scorer.cli.ScorerCommand;
import org.fraudscorer.trainer.cli.EvaluateCommand;
import org.fraudscorer.trainer.cli.HandbookCommand;
import org.fraudscorer.trainer.cli.InspectCommand;
import org.fraudscorer.trainer.cli.PredictCommand;
import org.fraudscorer.trainer.cli.ScoreCommand;
import org.fraudscorer.trainer.cli.TrainCommand;
import org.fraudscorer.trainer.cli.TuneCommand;
import org.fraudscorer.trainer.cli.XorCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * The {@code ./fraud} launcher: every command of the product under one name.
 * <pre>
 *   ./fraud --help
 *   ./fraud train --data ../shared/data/creditcard-sample.csv --out models/model.json
 * </pre>
 * Errors are one line on standard error and a non-zero exit (2 for a bad command line, 1 for a failure);
 * set {@code FRAUD_DEBUG=1} to see stack traces.
 *
 * <p>{@code demo} and {@code broker} run the development broker of the {@code devkafka} module. The lean jar
 * ({@code app-lean}, for production images) is this launcher without that module: there the two commands are not
 * listed, and calling them prints one line saying so and exits 2. So the subcommands are added here, not in the
 * annotation: picocli would otherwise introspect classes whose dependencies are absent.
 */
@Command(name = "fraud", mixinStandardHelpOptions = true, version = "fraud-scorer 0.1.0",
        description = "Real-time card-fraud scorer: train, evaluate and serve a neural network on Kafka.")
public final class FraudCli implements Runnable {

    /** A class of the devkafka module and one of Kafka's server that it needs: both present in {@code fraud.jar}. */
    private static final List<String> DEV_BROKER_CLASSES =
            List.of("org.fraudscorer.devkafka.EmbeddedKafkaBroker", "kafka.server.KafkaRaftServer");

    public static void main(String[] args) {
        String logging = LoggingSettings.problem(); // before any logger is made: logback would take it silently
        if (logging != null) {
            System.err.println("error: " + logging);
            System.exit(CommandLine.ExitCode.USAGE);
        }
        System.setProperty("java.awt.headless", "true");
        limitHttpRequestTime();
        System.exit(commandLine().execute(args));
    }

    /**
     * The JDK's HTTP server (the scorer's metrics and health, the analyst console) has no request timeout by default:
     * a client that sent its request slowly held a server thread for as long as it liked, and 2,000 of them made 2,000
     * threads (found by a helper session). Its {@code sun.net.httpserver.maxReqTime} closes a connection whose request
     * (headers and body) is not in after that many seconds: 30 unless {@code -Dfraud.http.maxRequestSeconds} says
     * otherwise (or the JDK property is set itself). Responses are not limited (the console's event streams last).
     * Set before any server starts: the JDK reads it once per JVM.
     */
    static void limitHttpRequestTime() {
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime",
                    System.getProperty("fraud.http.maxRequestSeconds", "30"));
        }
    }

    /** The configured command line, also used by tests. */
    public static CommandLine commandLine() {
        return commandLine(hasDevBroker());
    }

    /** The command line with or without the development broker's commands ({@code demo}, {@code broker}). */
    static CommandLine commandLine(boolean devBroker) {
        CommandLine cl = new CommandLine(new FraudCli());
        for (Object command : List.of(TrainCommand.class, TuneCommand.class, EvaluateCommand.class, ScoreCommand.class,
                PredictCommand.class, InspectCommand.class, XorCommand.class, HandbookCommand.class)) {
            cl.addSubcommand(command);
        }
        addDevBrokerCommand(cl, "demo", devBroker);
        cl.addSubcommand(SimulateCommand.class);
        cl.addSubcommand(KeygenCommand.class);
        cl.addSubcommand(SignCommand.class);
        addDevBrokerCommand(cl, "broker", devBroker);
        for (Object command : List.of(ScorerCommand.class, ProduceCommand.class, BackfillCommand.class,
                PublishCommand.class, ConsoleCommand.class, TailCommand.class, RetrainCommand.class,
                CommandLine.HelpCommand.class)) {
            cl.addSubcommand(command);
        }
        return CliErrors.install(cl);
    }

    private static void addDevBrokerCommand(CommandLine cl, String name, boolean devBroker) {
        if (!devBroker) {
            cl.addSubcommand(name, new CommandLine(new NotInLeanJar(name)));
        } else if (name.equals("demo")) {
            cl.addSubcommand(name, new DemoCommand());
        } else {
            cl.addSubcommand(name, new org.fraudscorer.devkafka.BrokerCommand());
        }
    }

    /** Whether this class path carries the development broker (the full {@code fraud.jar} does, the lean one not). */
    static boolean hasDevBroker() {
        try {
            for (String name : DEV_BROKER_CLASSES) {
                Class.forName(name, false, FraudCli.class.getClassLoader());
            }
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Stands in for {@code demo} / {@code broker} in the lean jar: hidden from the help, one line when called. */
    @Command(hidden = true)
    static final class NotInLeanJar implements Callable<Integer> {
        private final String name;
        @Spec
        CommandSpec spec;
        @Unmatched
        List<String> ignored;

        NotInLeanJar(String name) {
            this.name = name;
        }

        @Override
        public Integer call() {
            spec.commandLine().getErr().println("error: '" + name + "' needs the embedded Kafka broker, which this lean"
                    + " jar leaves out: use fraud.jar (./fraud " + name + "), or run scorer/produce against your cluster");
            return 2;
        }
    }
}
