package org.fraudscorer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.fraudscorer.scorer.testing.KafkaBrokerExtension;
import org.fraudscorer.scorer.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code produce --loop} stopped by SIGTERM (its usual end): it says how far it got, and the records its producer
 * still buffered are written. It said nothing and dropped them (found by a hunt). A child JVM, as a user runs it.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ProduceStopIT {
    @TempDir
    Path dir;

    @Test
    void aStoppedLoopSaysHowManyEventsItProducedAndTheTopicHoldsExactlyThose(TestBroker broker) throws Exception {
        String topic = "produce-stop-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopic(topic, 1);
        Path data = MadeUpTransactions.write(dir.resolve("rows.csv"), 200, 0.05, 3);
        // a long linger: at the signal, the producer holds up to 3 s of records in its buffer
        Process p = new ProcessBuilder(FraudJvm.command(List.of("-Dlogback.configurationFile=logback.xml"), "produce",
                "-b", broker.bootstrapServers(), "--data", data.toString(), "--input-topic", topic, "--loop", "--rate",
                "300", "-p", "linger.ms=3000")).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            Thread.sleep(8_000); // started, checked the cluster, sending
            p.toHandle().destroy(); // SIGTERM
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(String.join("\n", lines)).isEqualTo(143);
        String said = lines.stream().filter(l -> l.startsWith("stopped: produced ")).findFirst().orElseThrow(
                () -> new AssertionError("no 'stopped: produced' line in " + lines));
        long produced = Long.parseLong(said.replaceFirst("^stopped: produced ([0-9,]+) events to .*", "$1")
                .replace(",", ""));
        assertThat(said).contains(" events to " + topic + " in ");
        assertThat(produced).isGreaterThan(200); // the loop went past the file's end at least once
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> written = new ArrayList<>();
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", broker.bootstrapServers());
        TopicHistory.readToEnd(kafka, topic, written::add);
        assertThat(written).hasSize((int) produced);
    }
}
