#!/usr/bin/env python3
"""Where a StreamBench run's events waited: DIR/<mode>-offsets.csv (--trace-offsets) against DIR/<mode>-latency.csv.

    python3 bench/where.py DIR [--mode scorer] [--top 5]

Prints, over the samples: each input partition's lag behind the application's committed offset and each output
partition's records not yet visible to read_committed consumers (p50 / p99 / max); then the slowest moments of the
latency trace (50 ms of send time each) with the largest lag and invisible count sampled while they were in flight.
A lag that grows while the invisible count stays within one transaction is the scorer falling behind its input; an
invisible count that grows is commit visibility (docs/latency.md).
"""
import argparse
import collections
import csv
import datetime
import os


def quantiles(values):
    v = sorted(values)
    return f"{v[len(v) // 2]} / {v[int(len(v) * 0.99)]} / {v[-1]}" if v else "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--mode", default="scorer")
    ap.add_argument("--top", type=int, default=5)
    a = ap.parse_args()
    slowest = collections.defaultdict(float)
    with open(os.path.join(a.dir, a.mode + "-latency.csv")) as f:
        for r in csv.DictReader(f):
            k = int(r["sent_ms"]) // 50
            slowest[k] = max(slowest[k], int(r["latency_us"]) / 1000)
    # the sampler runs from the warm-up to the drain; count the samples of the measured window only
    window = (min(slowest) * 50, max(k * 50 + 50 + v for k, v in slowest.items()))
    samples = collections.defaultdict(list)
    series = collections.defaultdict(list)
    with open(os.path.join(a.dir, a.mode + "-offsets.csv")) as f:
        for r in csv.DictReader(f):
            t = int(r["sampled_ms"])
            if not window[0] <= t <= window[1]:
                continue
            samples[t].append(r)
            if r["what"] != "transaction":
                series[(r["what"], r["name"])].append(int(r["value"]))
    print(f"{len(samples)} samples in the measured window; p50 / p99 / max")
    for (what, name), values in sorted(series.items()):
        print(f"  {what:10s} {name:40s} {quantiles(values)}")
    times = sorted(samples)
    print(f"slowest {a.top} moments (50 ms of send time): max latency; max input lag, max invisible while in flight")
    for k, latency in sorted(slowest.items(), key=lambda kv: -kv[1])[: a.top]:
        start, end = k * 50, k * 50 + 50 + latency
        lag = invisible = 0
        for t in times:
            if start <= t <= end:
                for r in samples[t]:
                    if r["what"] == "input_lag":
                        lag = max(lag, int(r["value"]))
                    elif r["what"] == "unstable":
                        invisible = max(invisible, int(r["value"]))
        at = datetime.datetime.fromtimestamp(start / 1000, datetime.timezone.utc).strftime("%H:%M:%S.%f")[:-3]
        print(f"  {at} UTC  {latency:7.1f} ms;  input lag {lag},  invisible {invisible}")


if __name__ == "__main__":
    main()
