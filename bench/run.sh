#!/usr/bin/env bash
# Builds the bench module and runs every benchmark, then writes bench/results/latest.md.
#   bench/run.sh            full run (about 12 minutes on 2 cores)
#   BENCH_QUICK=1 bench/run.sh   shorter settings, for checking that everything runs (numbers not for publishing)
#   BENCH_NO_PEERS=1 bench/run.sh  leave out the PyTorch and scikit-learn training times (python3 alone, no torch)
#   MVN_FLAGS="-B -o -q" bench/run.sh  build offline (default: -B -q, online, so a fresh clone fetches JMH)
# Parts: 1. JMH scoring (ns/op, -prof gc B/op) + a CPU-time cross-check; 2. training s/epoch vs PyTorch and
# scikit-learn (needs a python3 with torch, sklearn, pandas: scripts/peer-python.sh); 3. end-to-end Kafka Streams
# vs pass-through. The results are written to a temporary directory and replace bench/results/ only when every part
# has run, so a run that fails leaves the committed results as they were.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="$root/bench/results"
quick="${BENCH_QUICK:-0}"
peers="${BENCH_NO_PEERS:-0}"
# shellcheck source=../scripts/peer-python.sh
. "$root/scripts/peer-python.sh"
# render.py, at the end, needs a python3 whatever the peers: checked now, not after a 12-minute run
command -v python3 > /dev/null || { echo "bench: no python3 on PATH (render.py writes latest.md with it)" >&2; exit 1; }
if [ "$peers" != 1 ]; then
  peer_modules="numpy pandas sklearn torch" pick_peer_python \
    || { echo "bench: or give BENCH_NO_PEERS=1 to leave the Python training times out" >&2; exit 1; }
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
out="$tmp/results" # moved to $results at the end
mkdir -p "$out"
simd="--add-modules jdk.incubator.vector" # the SIMD scoring kernels, as ./fraud runs them
log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

date -u +%Y-%m-%dT%H:%M:%SZ > "$out/started.txt"
uptime > "$out/load-start.txt"
log "building (./mvnw ${MVN_FLAGS:--B -q} -Pbench -pl bench -am package -DskipTests)"
# shellcheck disable=SC2086
./mvnw ${MVN_FLAGS:--B -q} -Pbench -pl bench -am package -DskipTests
jar="$root/bench/target/benchmarks.jar"

# 1. Scoring: JMH (wall time, -prof gc) and the thread-CPU-time cross-check.
if [ "$quick" = 1 ]; then jmh=(-wi 1 -w 1 -i 2 -r 1 -f 1); else jmh=(-wi 3 -w 2 -i 5 -r 2 -f 1); fi
log "1/3 JMH ScoringBenchmark"
# anchored: a bare "ScoringBenchmark" also matches EnsembleScoringBenchmark, which has its own command (bench/README.md)
java -jar "$jar" '\.(ScoringBenchmark|ParseBenchmark)\.' "${jmh[@]}" -prof gc -rf json -rff "$out/jmh.json" > "$out/jmh.txt" 2>&1
grep -E "^(Benchmark|Scoring)" "$out/jmh.txt" >&2 || true
log "1/3 CPU-time cross-check"
java $simd -cp "$jar" org.fraudscorer.bench.ScoringCpuTime > "$out/cpu.json"
uptime > "$out/load-after-scoring.txt"

# 2. Training speed: the same made-up CSV for Java, PyTorch and scikit-learn (and the shared sample if present).
if [ "$quick" = 1 ]; then rows=40000; epochs=2; else rows=200000; epochs=4; fi
log "2/3 training: $rows made-up rows, $epochs epochs each"
java $simd -cp "$jar" org.fraudscorer.bench.TrainSpeed --generate "$rows" --csv "$tmp/synthetic.csv" >&2
java $simd -cp "$jar" org.fraudscorer.bench.TrainSpeed --csv "$tmp/synthetic.csv" --epochs "$epochs" --json "$out/train-java-synthetic.json" > /dev/null
if [ "$peers" != 1 ]; then
  $py bench/peers_speed.py "$tmp/synthetic.csv" --epochs "$epochs" --json "$out/train-peers-synthetic.json" > /dev/null
fi
sample="$root/../shared/data/creditcard-sample.csv"
if [ -f "$sample" ]; then
  log "2/3 training on $sample"
  java $simd -cp "$jar" org.fraudscorer.bench.TrainSpeed --csv "$sample" --epochs 10 --json "$out/train-java-sample.json" > /dev/null
  if [ "$peers" != 1 ]; then
    $py bench/peers_speed.py "$sample" --epochs 10 --json "$out/train-peers-sample.json" > /dev/null
  fi
fi
uptime > "$out/load-after-training.txt"

# 3. End to end on the embedded broker: pass-through vs scorer.
if [ "$quick" = 1 ]; then sargs=(--backlog 20000 --seconds 12 --warmup 3 --rounds 2 --warmup-rounds 1); else sargs=(--backlog 150000 --seconds 20 --warmup 5 --rounds 9 --warmup-max 16); fi
log "3/3 StreamBench ${sargs[*]}"
java -Xmx2g $simd -cp "$jar" org.fraudscorer.bench.StreamBench "${sargs[@]}" --rate "${BENCH_RATE:-20000}" --json "$out/stream.json" \
  > /dev/null 2> "$out/stream.log"
uptime > "$out/load-end.txt"

python3 bench/render.py "$out" "$quick" > "$out/latest.md"
# every part ran: the new results replace the old ones (files of the old run that this one did not write go too)
mkdir -p "$results"
rm -f "$results"/*.json "$results"/*.txt "$results"/latest.md
cp "$out"/* "$results"/
log "wrote $results/latest.md"
cat "$results/latest.md"
