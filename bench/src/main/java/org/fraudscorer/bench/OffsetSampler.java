package org.fraudscorer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code StreamBench --trace-offsets MS}: where an event waits, sampled from the broker every few milliseconds while
 * latency is measured. Each sample writes, in the order below, one row per
 * <ul>
 *   <li>input partition: {@code input_lag} = the partition's end offset minus the application's committed offset
 *       (events the scorer has not yet committed as consumed: not fetched, in processing, or waiting for the commit);
 *   <li>output partition: {@code unstable} = high watermark minus last stable offset (records written but not yet
 *       visible to a {@code read_committed} consumer: their transaction is open or its markers are not written);
 *   <li>open or finished transaction of the application: {@code transaction}, its state ({@code Ongoing},
 *       {@code PrepareCommit}, {@code CompleteCommit}, ...) and the milliseconds since it started.
 * </ul>
 * A tail that grows {@code input_lag} while {@code unstable} stays within one transaction is the scorer falling
 * behind its input; one that grows {@code unstable} is commit visibility (docs/latency.md).
 *
 * <p>Not on any product path: a diagnostic of the benchmark, which costs the broker three or four admin requests per
 * sample (so it perturbs what it measures a little; compare runs with and without it).
 */
final class OffsetSampler implements AutoCloseable {
    /** The file's columns. */
    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader("sampled_ms", "what", "name", "value", "state")
            .setRecordSeparator('\n')
            .get();

    private final Admin admin;
    private final String applicationId;
    private final List<TopicPartition> inputs;
    private final List<TopicPartition> outputs;
    private final CSVPrinter csv;
    private volatile boolean running = true;
    private Thread thread;
    private volatile Exception failure;

    /**
     * @param admin an admin client of the broker; not closed here
     * @param applicationId the Streams application id: its consumer group and the prefix of its transactional ids
     */
    OffsetSampler(Admin admin, String applicationId, List<TopicPartition> inputs, List<TopicPartition> outputs,
                  Path file) throws IOException {
        this.admin = admin;
        this.applicationId = applicationId;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.csv = new CSVPrinter(Files.newBufferedWriter(file), FORMAT);
    }

    /** Samples every {@code intervalMs} on a daemon thread until {@link #close()}. */
    OffsetSampler start(long intervalMs) {
        thread = new Thread(() -> {
            try {
                while (running) {
                    sample(System.currentTimeMillis());
                    Thread.sleep(intervalMs);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                failure = e;
            }
        }, "bench-offset-sampler");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /**
     * One sample, every row stamped {@code atMs} (a transaction's age is counted to it); returns the rows written. An
     * input partition without a committed offset counts its lag from offset 0.
     */
    int sample(long atMs) throws IOException, ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> inputEnds = inputs.stream()
                .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
        Map<TopicPartition, OffsetSpec> outputEnds = outputs.stream()
                .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
        var inputEnd = admin.listOffsets(inputEnds).all();
        var committed = admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata();
        var high = admin.listOffsets(outputEnds, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all();
        var stable = admin.listOffsets(outputEnds, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all();
        Set<String> ids = admin.listTransactions().all().get().stream()
                .map(TransactionListing::transactionalId)
                .filter(id -> id.startsWith(applicationId + "-"))
                .collect(Collectors.toSet());
        Map<String, TransactionDescription> transactions = new TreeMap<>(admin.describeTransactions(ids).all().get());
        Map<TopicPartition, ListOffsetsResultInfo> ends = inputEnd.get();
        Map<TopicPartition, OffsetAndMetadata> positions = committed.get();
        Map<TopicPartition, ListOffsetsResultInfo> highs = high.get();
        Map<TopicPartition, ListOffsetsResultInfo> stables = stable.get();
        int rows = 0;
        for (TopicPartition tp : inputs) {
            OffsetAndMetadata position = positions.get(tp);
            long lag = ends.get(tp).offset() - (position == null ? 0 : position.offset());
            csv.printRecord(atMs, "input_lag", tp.toString(), lag, "");
            rows++;
        }
        for (TopicPartition tp : outputs) {
            csv.printRecord(atMs, "unstable", tp.toString(), highs.get(tp).offset() - stables.get(tp).offset(), "");
            rows++;
        }
        for (var e : transactions.entrySet()) {
            TransactionDescription d = e.getValue();
            long age = d.transactionStartTimeMs().isPresent() ? atMs - d.transactionStartTimeMs().getAsLong() : -1;
            csv.printRecord(atMs, "transaction", e.getKey(), age, d.state().toString());
            rows++;
        }
        csv.flush(); // a sample is readable as soon as it is taken
        return rows;
    }

    /** What stopped the sampler early (an admin request that failed), or null. */
    Exception failure() {
        return failure;
    }

    /**
     * Stops sampling and closes the file. A sampler stopped early by a failed admin request has its samples up to
     * then; {@link #failure()} says why (the benchmark reports it and goes on: a diagnostic must not cost a run).
     */
    @Override
    public void close() throws IOException {
        running = false;
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        csv.close();
    }

    /** The partitions of {@code topic}, 0 to {@code partitions} − 1. */
    static List<TopicPartition> partitions(String topic, int partitions) {
        List<TopicPartition> out = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            out.add(new TopicPartition(topic, p));
        }
        return out;
    }
}
