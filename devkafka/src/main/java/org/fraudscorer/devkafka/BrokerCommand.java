package org.fraudscorer.devkafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./fraud broker}: a real single-node Kafka broker (KRaft) on localhost, for local use without Docker. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Start a real single-node Kafka broker (KRaft mode) on localhost until Ctrl-C.")
public final class BrokerCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "9092", description = "Client port. Defaults to ${DEFAULT-VALUE}.")
    int port;
    @Option(names = "--data-dir", description = "Log directory (kept across restarts). Defaults to a temporary directory, deleted when the broker stops.")
    Path dataDir;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) { // "error: port -1", exit 1, before
            throw new ParameterException(spec.commandLine(), "--port must be 0 to 65535 (0 picks a free port), got "
                    + port);
        }
        TempDir temp = dataDir == null ? TempDir.create("fraud-broker") : null;
        Path dir = temp != null ? temp.path() : Files.createDirectories(dataDir);
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, port);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            if (temp != null) {
                temp.close(); // after the broker: nothing writes the log any more
            }
            stop.countDown();
        }, "broker-shutdown"));
        System.out.println("Kafka broker running at " + broker.bootstrapServers() + " (data in " + dir + "); Ctrl-C to stop");
        stop.await();
        return 0;
    }
}
