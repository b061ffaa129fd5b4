package org.fraudscorer.bench;

import java.util.concurrent.TimeUnit;
import org.fraudscorer.common.features.FeatureSchema;
import org.fraudscorer.scorer.serde.TransactionParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scorer's input parsing ({@link TransactionParser#parse}: validation included) of one transaction event, over
 * the same 1,024 made-up events as the end-to-end benchmark — the step that costs the scorer most of its throughput
 * against the pass-through (see StreamBench's per-stage rows).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class ParseBenchmark {
    private byte[][] payloads;
    private TransactionParser parser;
    private double[] inputs;
    private int next;

    @Setup(Level.Trial)
    public void setup() {
        payloads = StreamBench.payloads(1024);
        parser = new TransactionParser(FeatureSchema.CREDITCARD, 16384);
        inputs = new double[FeatureSchema.CREDITCARD.inputCount()];
    }

    @Benchmark
    public double parseEvent() {
        byte[] p = payloads[next];
        next = (next + 1) & 1023;
        if (!parser.parse(p, inputs).isOk()) {
            throw new IllegalStateException("rejected");
        }
        return inputs[1];
    }
}
