#!/usr/bin/env bash
# Side-by-side: this trainer and the peers of ../shared/tools/peers.py (XGBoost, scikit-learn MLP, PyTorch MLP)
# on exactly the same split (train --export-split writes it: train rows then validation rows, and test rows).
# Needs Debian's python3-sklearn python3-torch python3-pandas python3-xgboost (/usr/bin/python3).
#   scripts/compare-peers.sh [data.csv]      (default ../shared/data/creditcard-sample.csv)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:-$root/../shared/data/creditcard-sample.csv}"
peers="$root/../shared/tools/peers.py"
out="$(mktemp -d)"
"$root/fraud" train --data "$data" --out "$out/model.json" --export-split "$out/split" --json > "$out/train.json"
python3 - "$out/train.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
t = r["metrics"]["test"]
print(json.dumps({"peer": "fraud-scorer MLP 29-16-16-1 (this project)", "pr_auc": round(t["pr_auc"], 4),
                  "roc_auc": round(t["roc_auc"], 4), "f1": round(t["f1"], 4), "precision": round(t["precision"], 4),
                  "recall": round(t["recall"], 4), "fit_seconds": round(r["provenance"]["trainingSeconds"], 2)}))
PY
/usr/bin/python3 "$peers" "$out/split/train.csv" "$out/split/test.csv" 2>/dev/null
echo "(split and model in $out)"
