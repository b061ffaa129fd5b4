#!/usr/bin/env python3
"""Renders bench/results/*.json (written by bench/run.sh) as the Markdown table bench/results/latest.md."""
import json, os, platform, re, subprocess, sys

d = sys.argv[1]
quick = len(sys.argv) > 2 and sys.argv[2] == "1"


def load(name):
    p = os.path.join(d, name)
    return json.load(open(p)) if os.path.exists(p) else None


def text(name):
    p = os.path.join(d, name)
    return open(p).read().strip() if os.path.exists(p) else "?"


def loadavg(name):
    m = re.search(r"load average: (.*)$", text(name))
    return m.group(1) if m else "?"


cpu = "?"
for line in open("/proc/cpuinfo"):
    if line.startswith("model name"):
        cpu = line.split(":", 1)[1].strip()
        break
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.strip().splitlines()
nproc = os.cpu_count()
L = []
L.append("# Benchmarks" + (" (QUICK settings: check run, not for publishing)" if quick else ""))
L.append("")
L.append(f"- date: {text('started.txt')}")
L.append(f"- machine: nproc {nproc}, CPU `{cpu}`, {platform.system()} {platform.release()}")
L.append(f"- java: `{' / '.join(java)}`")
L.append(f"- load average (1, 5, 15 min) at start: {loadavg('load-start.txt')}; after scoring: {loadavg('load-after-scoring.txt')};"
         f" after training: {loadavg('load-after-training.txt')}; at end: {loadavg('load-end.txt')}")
L.append(f"  (on {nproc} cores a load above {nproc} means other processes competed for the CPU: figures are then"
         " pessimistic and noisy)")
L.append("- rerun: `bench/run.sh`")
L.append("")

# 1. scoring
L.append("## 1. Scoring (JMH, `-prof gc`)")
L.append("")
L.append("| benchmark | network | ns/op (± 99.9% CI) | B/op (gc.alloc.rate.norm) | CPU-time ns/op (cross-check) | target |")
L.append("|---|---|---|---|---|---|")
jmh = load("jmh.json") or []
cpu_t = {r["hidden"]: r for r in (load("cpu.json") or {}).get("results", [])}
for b in jmh:
    name = b["benchmark"].rsplit(".", 1)[1]
    pm = b["primaryMetric"]
    alloc = b.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score", float("nan"))
    if name == "parseEvent":
        L.append(f"| input parsing: TransactionParser.parse of one ~800-byte event (fast path) | — |"
                 f" {float(pm['score']):.1f} ± {float(pm['scoreError']):.1f} | {alloc:.3f} | ? | — |")
        continue
    if "hidden" not in b.get("params", {}):
        continue  # another benchmark's results (EnsembleScoringBenchmark has its own command and table)
    h = b["params"]["hidden"]
    net = "29-" + h.replace("x", "-") + "-1"
    c = cpu_t.get(h, {})
    cpu_ns = None
    if name == "singleRecord":
        what = "single record: ModelScorer.probability + flagged"
        cpu_ns = c.get("single_cpu_ns")
        target = ("≤ 300 ns, 0 B/op: " + ("met" if pm["score"] <= 300 and alloc < 1 else "NOT met")) if h == "16x16" else "—"
    elif name == "preprocessOnly":
        what = "part of it: Preprocessing.apply"
        target = "—"
    elif name == "networkOnly":
        what = "part of it: Inference.logit"
        target = "—"
    else:
        what = "batch of 256: MLP.forward"
        cpu_ns = c.get("batch256_cpu_ns")
        target = f"— ({pm['score'] / 256:.0f} ns/row)"
    L.append(f"| {what} | {net} | {float(pm['score']):.1f} ± {float(pm['scoreError']):.1f} | {alloc:.3f} | "
             f"{'%.1f' % cpu_ns if cpu_ns else '—'} | {target} |")
L.append("")
L.append("B/op below 1 is JMH's accounting noise (allocations amortised over millions of ops), i.e. no per-op allocation."
         " The CPU-time column times the same loops by the thread's CPU time (best of several rounds), which leaves out"
         " time the thread waited for a core; on a virtual machine, time stolen by the hypervisor still counts.")
L.append("")

# 2. training
L.append("## 2. Training speed: seconds per epoch, 29-16-16-1 ReLU, batch 64, Adam lr 1e-3")
L.append("")
L.append("| data (training rows) | ours: train only | ours: with per-epoch validation | PyTorch f32 (2 threads) | PyTorch f64 (2 threads) | scikit-learn MLPClassifier | target: ours faster than PyTorch |")
L.append("|---|---|---|---|---|---|---|")
for tag, label in (("synthetic", "made-up, 0.5% positives"), ("sample", "creditcard-sample.csv")):
    j = load(f"train-java-{tag}.json")
    p = load(f"train-peers-{tag}.json")
    if not j:
        continue
    peers = {x["impl"]: x["s_median_after_first"] for x in (p or {}).get("peers", [])}
    ours = j["train_s_median_after_first"]
    t32, t64 = peers.get("torch_f32"), peers.get("torch_f64")
    verdict = "?" if t32 is None else (f"met ({t32 / ours:.1f}× vs f32" + (f", {t64 / ours:.1f}× vs f64)" if t64 else ")")
                                       if ours < t32 else f"NOT met ({t32 / ours:.2f}× vs f32)")
    fmt = lambda v: "?" if v is None else f"{v:.3f}"
    L.append(f"| {label} ({j['train_rows']:,} rows, {j['train_positives']} positives) | {fmt(ours)} | "
             f"{fmt(j['with_validation_s_median_after_first'])} ({j['validation_rows']:,} validation rows) | {fmt(t32)} | {fmt(t64)} | "
             f"{fmt(peers.get('sklearn'))} | {verdict} |")
L.append("")
L.append("Median over epochs 2..N (epoch 1 includes JIT warm-up). Same CSV, same first 80% of rows, same features"
         " (V1..V28 + log1p(Amount), standardised). Ours: float64, stratified batches, class-weighted BCE; 'train only'"
         " = shuffle + all mini-batch steps (what the peers time); 'with validation' = EpochStats.seconds, which also"
         " scores the validation rows and computes PR-AUC/ROC-AUC. PyTorch: class-weighted BCE with logits, batches"
         " gathered by index from a per-epoch permutation. scikit-learn: one warm-started fit() per epoch, unweighted log-loss"
         " (this version's MLPClassifier takes no sample weights), alpha=0.")
L.append("")

# 3. end to end
s = load("stream.json")
L.append("## 3. End to end on the embedded broker (exactly_once_v2, read_committed consumer)")
L.append("")
if s:
    res = {r["mode"]: r for r in s["results"]}
    L.append("| topology | capacity, events/s (median of rounds) | rounds, events/s | CPU µs per event: process (app / broker / JIT+GC+other) | fixed rate offered → sustained, events/s | p50 ms | p99 ms | p99.9 ms | max ms | outputs flagged / clean / DLQ |")
    L.append("|---|---|---|---|---|---|---|---|---|---|")
    order = ("passthrough", "parse", "parse-write", "serde-passthrough", "identity", "parse-score", "scorer", "scorer-compact")
    for m in order:
        r = res.get(m)
        if r:
            c = r.get("capacity_cpu_per_event") or {}
            # broker_us is null on a given cluster: its broker is not in the benchmark's process
            broker = "–" if c.get("broker_us") is None else f"{c['broker_us']:.1f}"
            cpu_cell = (f"{c['process_us']:.1f} ({c['app_us']:.1f} / {broker} / {c['jit_gc_other_us']:.1f})"
                        if c else "?")
            rounds = ", ".join(f"{x:,.0f}" for x in r.get("capacity_rounds_eps", []))
            L.append(f"| {m} | {r['capacity_eps']:,.0f} | {rounds} | {cpu_cell} | {r['offered_eps']:,.0f} → {r['sustained_eps']:,.0f} |"
                     f" {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['p999_ms']:.1f} | {r['max_ms']:.1f} |"
                     f" {r['flagged']:,} / {r['clean']:,} / {r['dlq']:,} |")

    def ratio(a, b):
        return res[a]["capacity_eps"] / res[b]["capacity_eps"]

    def paired(a, b):
        """Median of per-round ratios: round k of a and of b ran next to each other."""
        ra, rb = res[a].get("capacity_rounds_eps", []), res[b].get("capacity_rounds_eps", [])
        rs = sorted(x / y for x, y in zip(ra, rb))
        if not rs:
            return float("nan")
        m = len(rs) // 2
        return rs[m] if len(rs) % 2 else (rs[m - 1] + rs[m]) / 2

    L.append("")
    if "scorer" in res and "parse-write" not in res and "parse" in res:
        L.append("**No verdict: the target is read against `parse-write`, which this run did not measure.**")
    if "scorer" in res and "parse-write" in res:
        r = ratio("scorer", "parse-write")
        L.append(f"**Scorer / pass-through with the scorer's serdes (`parse-write`): {r:.2f}×** (target ≥ 0.9×:"
                 f" {'met' if r >= 0.9 else 'NOT met'}; median of per-round ratios {paired('scorer', 'parse-write'):.2f}×).")
    if "scorer" in res and "parse" in res:
        L.append(f"- scorer / `parse` (the scorer's parser in, the event's bytes out unchanged: a smaller record than the"
                 f" scorer's): {ratio('scorer', 'parse'):.2f}× (per-round {paired('scorer', 'parse'):.2f}×)")
    if "scorer" in res and "passthrough" in res:
        L.append(f"- scorer / byte pass-through (`passthrough`, nothing decoded): {ratio('scorer', 'passthrough'):.2f}×"
                 f" (per-round {paired('scorer', 'passthrough'):.2f}×); at the fixed rate"
                 f" {res['scorer']['sustained_eps'] / max(res['passthrough']['sustained_eps'], 1e-9):.2f}×")
    for m, base in (("parse", "passthrough"), ("parse-write", "parse"), ("serde-passthrough", "passthrough"),
                    ("scorer", "serde-passthrough"),
                    ("scorer-compact", "parse"), ("scorer-compact", "passthrough")):
        if m in res and base in res:
            L.append(f"- {m} / {base}: {ratio(m, base):.2f}× (per-round {paired(m, base):.2f}×)")
    L.append("")
    if "warmup_passes" in s:
        share = s.get("warmup_last_jit_share")
        settled = share is not None and share < 0.10
        warm = (f"{s['warmup_passes']} unmeasured passes of {s.get('warmup_backlog', s['backlog']):,} events per topology"
                " warmed the JIT (" + ("until no topology's part of a pass spent 10% of its time compiling" if settled
                                       else "the cap; it had not settled: in a topology's part of the last pass the JIT"
                                       " compiler threads were still busy for "
                                       + (f"{100 * share:.0f}%" if share is not None else "over 10%")
                                       + " of its wall time, summed over the threads") + ")")
    else:
        warm = "Unmeasured rounds warmed the JIT"
    L.append(f"Capacity: every topology runs at once, paused; for a round, {s['backlog']:,} events are written to a paused"
             " topology's input, it is resumed and capacity = events / time from the resume to the last output a"
             f" read_committed consumer sees (before 2026-12-06: from the first output, which left out the first"
             f" commit's events' time). {warm}, then"
             f" {s.get('rounds', 1)} measured rounds interleave the topologies (A B C D, B C D A, …); the median is shown"
             " because this machine's speed drifts by up to 2× within minutes. CPU per event: the median round, by thread"
             " group (app = the Streams application's threads; JIT+GC+other = process CPU outside Java threads). Fixed rate:"
             f" {s['rate']:,.0f} events/s for {s['seconds']} s, latency = when each event was due on the schedule → read_committed receive (same JVM nanoTime),"
             " after a warm-up. passthrough: byte[] in → the same bytes out; parse-write: the pass-through with the"
             " scorer's serdes both ways (each event decoded by the scorer's parser and written by the scorer's record"
             " writer: the event and the scoring fields, with a constant probability and the decision CLEAN, no"
             " network); parse: the scorer's parser in, the event's bytes out unchanged; serde-passthrough: a conventional JSON serde pass-through (events decoded"
             " into objects and encoded again, shortest doubles); scorer: the real ScorerApp (preprocessing, network,"
             " decision, scored-record JSON with the event, flagged / clean / dead-letter routing), threshold set to flag"
             " ~0.5%; scorer-compact: the same with --clean-records compact (clean records without the input event)."
             " Same Streams properties (exactly_once_v2, commit.interval.ms 100, lz4, producer batch.size 256 KiB,"
             f" num.stream.threads {s.get('stream_threads', 1)}) and"
             " 3-partition topics for all. Broker, applications, producer and consumer share one JVM and the machine's"
             f" cores. Wall time {s['wall_s']} s.")
else:
    L.append("(not run)")
print("\n".join(L))
