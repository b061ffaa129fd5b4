#!/usr/bin/env python3
"""How sure is the comparison with the peers? A paired bootstrap over the test rows.

    python3 scripts/paired_bootstrap.py [--data FILE] [--seeds 1,2,3,4,5] [--peers PATH]
                                                 [--replicates 2000] [-- extra train options]

For each seed, on the same split as scripts/compare-peers.sh: `./fraud train --no-refit --export-split` (the model
it ships is the evaluated ensemble, so its test scores are the ones behind the reported test PR-AUC; checked),
`./fraud score` on the exported test.csv, and ../shared/tools/peers.py run as given, in this process, with its
`report` wrapped to keep each peer's test probabilities (nothing of the peers is re-implemented here).

Then B bootstrap replicates of the test rows, drawn once and used for every seed and model (stratified: each
replicate keeps the numbers of frauds and normals): the statistic of the target, median over seeds of our test
PR-AUC minus the median over seeds of the peer's, and per seed our PR-AUC minus the peer's. Prints the observed
figures, the 2.5-97.5 percentile interval of each difference and the share of replicates where ours is higher.
A difference whose interval holds 0 is not told apart from noise by these test rows. The test part only reports:
nothing here chooses anything.

Needs numpy, pandas, scikit-learn, xgboost, torch (Debian's python3-sklearn python3-torch python3-pandas
python3-xgboost).
"""
import argparse
import contextlib
import csv
import importlib.util
import io
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from sklearn.metrics import average_precision_score

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, out_file):
    with open(out_file, "w") as out:
        r = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        last = (r.stderr.strip().splitlines() or [""])[-1][-500:]
        sys.exit("%s failed (exit %d): %s" % (" ".join(cmd[:2]), r.returncode, last))


def ours(data, seed, work, extra):
    """Trains with --no-refit, scores the exported test rows; returns (probabilities, reported PR-AUC, split dir)."""
    model = os.path.join(work, "model.json")
    split = os.path.join(work, "split")
    report = os.path.join(work, "train.json")
    run([os.path.join(ROOT, "fraud"), "train", "--data", data, "--seed", str(seed), "--no-refit", "--out", model,
         "--export-split", split, "--json"] + extra, report)
    reported = json.load(open(report))["metrics"]["test"]["pr_auc"]
    scores = os.path.join(work, "scores.csv")
    run([os.path.join(ROOT, "fraud"), "score", "--model", model, "--data", os.path.join(split, "test.csv"),
         "--out", scores], os.devnull)
    with open(scores) as f:
        p = np.array([float(r["probability"]) for r in csv.DictReader(f)])
    return p, reported, split


def peers(peers_path, split, seed):
    """Runs peers.py's main on the split; returns {peer name: test probabilities} and the test labels."""
    spec = importlib.util.spec_from_file_location("peers", peers_path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    kept = {}
    labels = {}
    original = mod.report

    def keep(name, ytest, ptest, *args, **kwargs):
        kept[name] = np.asarray(ptest, dtype=np.float64)
        labels["y"] = np.asarray(ytest)
        return original(name, ytest, ptest, *args, **kwargs)

    mod.report = keep
    argv = sys.argv
    sys.argv = ["peers.py", os.path.join(split, "train.csv"), os.path.join(split, "test.csv"), "--seed", str(seed)]
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            mod.main()
    finally:
        sys.argv = argv
    return kept, labels["y"]


def stratified_replicates(y, b, rng):
    pos = np.flatnonzero(y == 1)
    neg = np.flatnonzero(y == 0)
    for _ in range(b):
        yield np.concatenate([rng.choice(pos, len(pos)), rng.choice(neg, len(neg))])


def interval(d):
    return "[%+.4f, %+.4f]" % (np.percentile(d, 2.5), np.percentile(d, 97.5))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "creditcard-sample.csv"))
    ap.add_argument("--seeds", default="1,2,3,4,5")
    ap.add_argument("--peers", default=os.path.join(ROOT, "..", "shared", "tools", "peers.py"))
    ap.add_argument("--replicates", type=int, default=2000)
    ap.add_argument("--bootstrap-seed", type=int, default=1)
    ap.add_argument("extra", nargs="*", help="after --: options for ./fraud train")
    a = ap.parse_args()
    try:
        seeds = [int(s) for s in a.seeds.split(",")]
    except ValueError:
        ap.error("--seeds takes comma-separated integers, got '%s'" % a.seeds)
    if a.replicates < 100:
        ap.error("--replicates must be at least 100, got %d" % a.replicates)
    for path, what in ((a.data, "--data"), (a.peers, "--peers")):
        if not os.path.isfile(path):
            ap.error("%s: no such file: %s" % (what, path))

    work = tempfile.mkdtemp(prefix="paired-bootstrap-")
    scores = {}  # model -> [probabilities per seed]
    y = None
    for s in seeds:
        d = os.path.join(work, str(s))
        os.makedirs(d)
        p, reported, split = ours(a.data, s, d, a.extra)
        kept, ys = peers(a.peers, split, s)
        if y is None:
            y = ys
        elif not np.array_equal(y, ys):
            sys.exit("seed %d: the test rows differ from the first seed's; the split must not depend on the seed" % s)
        if len(p) != len(y):
            sys.exit("seed %d: %d scores for %d test rows" % (s, len(p), len(y)))
        mine = average_precision_score(y, p)
        if abs(mine - reported) > 1e-3:
            sys.exit("seed %d: PR-AUC of the scored model %.4f, train reported %.4f: not the evaluated model"
                     % (s, mine, reported))
        scores.setdefault("fraud-scorer", []).append(p)
        for name, q in kept.items():
            scores.setdefault(name, []).append(q)
        print("seed %d: %s" % (s, ", ".join("%s %.4f" % (n, average_precision_score(y, v[-1]))
                                             for n, v in scores.items())), file=sys.stderr, flush=True)

    rng = np.random.default_rng(a.bootstrap_seed)
    names = list(scores)
    boot = {n: [] for n in names}  # model -> replicate x seed
    for idx in stratified_replicates(y, a.replicates, rng):
        yb = y[idx]
        for n in names:
            boot[n].append([average_precision_score(yb, q[idx]) for q in scores[n]])
    boot = {n: np.array(v) for n, v in boot.items()}
    observed = {n: np.array([average_precision_score(y, q) for q in scores[n]]) for n in names}

    print("Test rows %d (%d frauds), seeds %s, %d stratified bootstrap replicates of the test rows."
          % (len(y), int(y.sum()), a.seeds, a.replicates))
    print("%-26s %s" % ("model", "test PR-AUC per seed (median)"))
    for n in names:
        print("%-26s %s (%.4f)" % (n, " ".join("%.4f" % v for v in observed[n]), np.median(observed[n])))
    print("\nours minus peer: median over seeds of ours - median over seeds of the peer's [95% interval], share of"
          " replicates where ours is higher; then per seed")
    summary = {"test_rows": int(len(y)), "test_frauds": int(y.sum()), "seeds": seeds, "replicates": a.replicates}
    for n in names[1:]:
        diff = np.median(boot["fraud-scorer"], axis=1) - np.median(boot[n], axis=1)
        obs = np.median(observed["fraud-scorer"]) - np.median(observed[n])
        per_seed = boot["fraud-scorer"] - boot[n]
        print("%-26s %+.4f %s, ours higher in %.1f%%; per seed: %s" % (
            n, obs, interval(diff), 100 * np.mean(diff > 0),
            " ".join("%+.4f %s" % (observed["fraud-scorer"][i] - observed[n][i], interval(per_seed[:, i]))
                     for i in range(len(seeds)))))
        summary[n] = {"median_difference": round(float(obs), 4),
                      "interval_95": [round(float(np.percentile(diff, 2.5)), 4),
                                      round(float(np.percentile(diff, 97.5)), 4)],
                      "share_ours_higher": round(float(np.mean(diff > 0)), 3)}
    print(json.dumps(summary))
    print("(splits, models and scores in %s)" % work, file=sys.stderr)


if __name__ == "__main__":
    main()
