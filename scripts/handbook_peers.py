#!/usr/bin/env python3
"""Peers of our MLP on exactly the handbook features and folds that `./fraud handbook --export DIR` writes.

    ./fraud handbook --data ../shared/data/handbook-transactions.csv.gz --export DIR [--export-only]
    python3 scripts/handbook_peers.py DIR [--models lr,xgb,mlp] [--seed 42] [--xgb 100,6,0.1]

For each fold (DIR/<fold>-train.csv, DIR/<fold>-test.csv): a StandardScaler fitted on the training file (the whole
training week, the rows our MLP's members train on; column MLP_VALIDATION marks the 20% hold-out of the
one-network protocol, --folds 0, which the peers do not use), then
  - lr:  scikit-learn LogisticRegression (defaults: L2, C=1, lbfgs; max_iter=1000);
  - xgb: XGBoost, n_estimators=100, max_depth=6, learning_rate=0.1 (hist trees, 2 threads), other defaults
         (--xgb N,DEPTH,RATE to try another setting);
  - mlp: scikit-learn MLPClassifier (16, 16), ReLU, Adam lr 1e-3, batch 64, early stopping on 10% of the
         training rows (10 epochs patience, at most 100 epochs).
Metrics on the test file: AUC ROC, Average Precision (sklearn), CP@100 (see card_precision_top_k; mirrors
trainer/.../events/CardPrecision.java). Prints one JSON line per fold and model, then mean ± sd (sd with n-1, as
HandbookProtocol.table) over the prequential folds (files named fold-*) and the single split (single-*).
Needs numpy, pandas, scikit-learn, xgboost (Debian's python3-sklearn, python3-xgboost, python3-pandas).
"""
import argparse
import glob
import json
import os
import sys
import time

try:
    import numpy as np
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score, roc_auc_score
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler
except ImportError as missing:  # one line, as the project's commands say what is missing
    sys.exit("error: %s: install Debian's python3-sklearn python3-pandas python3-xgboost" % missing)

# Every column of the exported files but these is a feature: the 15 of handbook-v1, or the 17 of handbook-v2,
# whichever the export was run with (`./fraud handbook --features ...`).
NOT_FEATURES = ["TX_FRAUD", "CUSTOMER_ID", "TX_DAY", "MLP_VALIDATION"]
TOP_K = 100


def card_precision_top_k(days, customers, scores, labels, k=TOP_K):
    """The handbook's card precision top-k, as CardPrecision.meanTopK: per day in increasing order, drop cards
    detected on an earlier day, take each card's max score and max label over the day, rank by score (ties by card
    id, ascending), precision = compromised cards among the top k / k (even if fewer than k cards); cards found
    are detected from then on. Mean over days."""
    df = pd.DataFrame({"day": days, "card": customers, "score": scores, "label": labels})
    detected = set()
    precisions = []
    for day in sorted(df["day"].unique()):
        d = df[(df["day"] == day) & ~df["card"].isin(detected)]
        cards = d.groupby("card").agg(score=("score", "max"), label=("label", "max")).reset_index()
        cards = cards.sort_values(["score", "card"], ascending=[False, True], kind="mergesort")
        top = cards.head(k)
        found = top.loc[top["label"] == 1, "card"]
        detected.update(found.tolist())
        precisions.append(len(found) / k)
    return float(np.mean(precisions)) if precisions else float("nan")


XGB = {"n_estimators": 100, "max_depth": 6, "learning_rate": 0.1}


def make_model(name, seed):
    if name == "lr":
        return LogisticRegression(max_iter=1000, random_state=seed)
    if name == "xgb":
        import xgboost
        return xgboost.XGBClassifier(**XGB, tree_method="hist", n_jobs=2, random_state=seed,
                                     eval_metric="logloss")
    if name == "mlp":
        return MLPClassifier(hidden_layer_sizes=(16, 16), activation="relu", solver="adam", learning_rate_init=1e-3,
                             batch_size=64, max_iter=100, early_stopping=True, validation_fraction=0.1,
                             n_iter_no_change=10, random_state=seed)
    raise ValueError("unknown model " + name)


NAMES = {"lr": "logistic regression", "xgb": "XGBoost", "mlp": "sklearn MLP (16,16)"}


def run_fold(directory, fold, models, seed):
    train = pd.read_csv(os.path.join(directory, fold + "-train.csv"))
    test = pd.read_csv(os.path.join(directory, fold + "-test.csv"))
    features = [c for c in train.columns if c not in NOT_FEATURES]
    scaler = StandardScaler().fit(train[features].values)
    x_train, y_train = scaler.transform(train[features].values), train["TX_FRAUD"].values
    x_test, y_test = scaler.transform(test[features].values), test["TX_FRAUD"].values
    out = []
    for m in models:
        t0 = time.time()
        model = make_model(m, seed).fit(x_train, y_train)
        s = model.predict_proba(x_test)[:, 1]
        r = {"fold": fold, "model": m, "train_rows": int(len(train)), "train_frauds": int(y_train.sum()),
             "test_rows": int(len(test)), "test_frauds": int(y_test.sum()),
             "auc_roc": round(float(roc_auc_score(y_test, s)), 4),
             "average_precision": round(float(average_precision_score(y_test, s)), 4),
             "cp_at_100": round(card_precision_top_k(test["TX_DAY"].values, test["CUSTOMER_ID"].values, s,
                                                     y_test), 4),
             "seconds": round(time.time() - t0, 1)}
        print(json.dumps(r), flush=True)
        out.append(r)
    return out


def mean_sd(v):
    v = np.asarray(v, dtype=float)
    if len(v) == 1:
        return "%.3f" % v[0]
    return "%.3f±%.3f" % (v.mean(), v.std(ddof=1))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dir")
    p.add_argument("--models", default="lr,xgb,mlp")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--xgb", default="100,6,0.1", help="XGBoost n_estimators,max_depth,learning_rate")
    a = p.parse_args()
    n, depth, rate = a.xgb.split(",")
    XGB.update(n_estimators=int(n), max_depth=int(depth), learning_rate=float(rate))
    NAMES["xgb"] = "XGBoost (%s trees, depth %s, lr %s)" % (n, depth, rate)
    models = a.models.split(",")
    folds = sorted(os.path.basename(f)[:-len("-train.csv")] for f in glob.glob(os.path.join(a.dir, "*-train.csv")))
    if not folds:
        sys.exit("no <fold>-train.csv in " + a.dir)
    results = []
    for f in folds:
        results.extend(run_fold(a.dir, f, models, a.seed))
    print()
    print("%-40s %-13s %-13s %-13s" % ("", "AUC ROC", "AP", "CP@100"))
    for title, pred in (("Single split", lambda f: f == "single"),
                        ("Prequential (mean ± sd over %d folds)" % sum(f.startswith("fold-") for f in folds),
                         lambda f: f.startswith("fold-"))):
        rows = [r for r in results if pred(r["fold"])]
        if not rows:
            continue
        print(title)
        for m in models:
            rs = [r for r in rows if r["model"] == m]
            print("  %-38s %-13s %-13s %-13s" % (NAMES[m], mean_sd([r["auc_roc"] for r in rs]),
                                                 mean_sd([r["average_precision"] for r in rs]),
                                                 mean_sd([r["cp_at_100"] for r in rs])))


if __name__ == "__main__":
    main()
