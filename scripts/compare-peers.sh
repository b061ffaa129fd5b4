#!/usr/bin/env bash
# This trainer against the peers of the reference peers.py (XGBoost, scikit-learn MLP, PyTorch MLP), on exactly the
# same split, for several seeds; prints one JSON line per model and seed, then median and range per model.
# `train --export-split` writes the split (train.csv: train rows then validation rows, i.e. every development row;
# test.csv: the latest 25% by time); each peer is run with the same --seed.
# Needs a python3 with scikit-learn, PyTorch, pandas and XGBoost (Debian's python3-sklearn python3-torch
# python3-pandas python3-xgboost; PYTHON=... names another interpreter: scripts/peer-python.sh).
#   scripts/compare-peers.sh [--data FILE] [--seeds 1,2,3,4,5] [--peers PATH] [-- extra train options]
# --data and --peers default to the sample and the script beside a checkout in ../shared (data/, tools/).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="$root/../shared/data/creditcard-sample.csv"
peers="$root/../shared/tools/peers.py"
seeds="1,2,3,4,5"
usage() { echo "compare-peers: $1 (usage: scripts/compare-peers.sh [--data FILE] [--seeds 1,2,3] [--peers PATH]" \
  "[-- train options])" >&2; exit 2; }
while [ $# -gt 0 ]; do
  if [[ "$1" == --data || "$1" == --seeds || "$1" == --peers ]] && { [ $# -lt 2 ] || [ -z "$2" ]; }; then
    usage "$1 needs a value"
  fi
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    --peers) peers="$2"; shift 2 ;;
    --) shift; break ;;
    *) usage "unknown option $1" ;;
  esac
done
[[ "$seeds" =~ ^[0-9]+(,[0-9]+)*$ ]] || usage "--seeds must be numbers separated by commas, got '$seeds'"
if [ ! -f "$data" ]; then
  echo "compare-peers: no data file $data (give --data creditcard-sample.csv or the full creditcard.csv)" >&2
  exit 2
fi
if [ ! -f "$peers" ]; then
  echo "compare-peers: no peers script at $peers (give --peers path/to/peers.py): running this trainer alone" >&2
fi
# shellcheck source=peer-python.sh
. "$root/scripts/peer-python.sh"
if [ -f "$peers" ]; then pick_peer_python; fi
out="$(mktemp -d)"
results="$out/results.jsonl"
for s in ${seeds//,/ }; do
  mkdir -p "$out/$s"
  if ! "$root/fraud" train --data "$data" --seed "$s" --out "$out/$s/model.json" --export-split "$out/$s/split" \
      --json "$@" > "$out/$s/train.json" 2> "$out/$s/train.err"; then
    # the trainer's own one-line error (the JVM's incubator notice left out)
    echo "compare-peers: train failed for seed $s: $(grep -v 'Using incubator modules' "$out/$s/train.err" | tail -n 1)" >&2
    exit 1
  fi
  python3 - "$out/$s/train.json" "$s" >> "$results" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
t = r["metrics"]["test"]
print(json.dumps({"peer": "fraud-scorer (this project)", "seed": int(sys.argv[2]), "pr_auc": round(t["pr_auc"], 4),
                  "roc_auc": round(t["roc_auc"], 4), "f1": round(t["f1"], 4), "fit_seconds": round(r["seconds"], 2)}))
PY
  if [ -f "$peers" ]; then
    if ! "$py" "$peers" "$out/$s/split/train.csv" "$out/$s/split/test.csv" --seed "$s" > "$out/$s/peers.jsonl" \
        2> "$out/$s/peers.err"; then
      echo "compare-peers: $peers failed for seed $s: $(tail -n 1 "$out/$s/peers.err")" >&2
      exit 1
    fi
    python3 -c 'import json,sys
for l in open(sys.argv[2]):
    r = json.loads(l); r["seed"] = int(sys.argv[1]); print(json.dumps(r))' "$s" "$out/$s/peers.jsonl" >> "$results"
  fi
  tail -n 4 "$results"
done
python3 - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for r in rows:
    by.setdefault(r["peer"], []).append(r)
print("\n%-32s %6s %8s %16s %8s %16s" % ("model", "seeds", "PR-AUC", "range", "ROC-AUC", "range"))
for name, rs in by.items():
    p = [r["pr_auc"] for r in rs]; a = [r["roc_auc"] for r in rs]
    print("%-32s %6d %8.4f %7.4f–%.4f %8.4f %7.4f–%.4f" % (name, len(rs), statistics.median(p), min(p), max(p),
                                                        statistics.median(a), min(a), max(a)))
PY
echo "(splits, models and results.jsonl in $out)"
