/**
 * Benchmarks of the scorer and the trainer, run by {@code bench/run.sh} from {@code bench/target/benchmarks.jar}
 * (bench/README.md): JMH benchmarks of single-record scoring and parsing
 * ({@link org.fraudscorer.bench.ScoringBenchmark}, {@link org.fraudscorer.bench.ParseBenchmark},
 * {@link org.fraudscorer.bench.EnsembleScoringBenchmark}) with a thread-CPU-time cross-check
 * ({@link org.fraudscorer.bench.ScoringCpuTime}), seconds per training epoch ({@link org.fraudscorer.bench.TrainSpeed})
 * and the end-to-end run on a real broker ({@link org.fraudscorer.bench.StreamBench});
 * {@link org.fraudscorer.bench.BenchData} makes their made-up data and models.
 */
package org.fraudscorer.bench;
