#!/usr/bin/env python3
"""Seconds per training epoch of the peers our Trainer is compared with, on the same CSV and the same rows.

Trains on the first 80% of the rows of CSV (creditcard format: Time, V1..V28, Amount, Class), the rows
org.fraudscorer.bench.TrainSpeed trains on, with the same features (V1..V28 + log1p(Amount), standardised
on those rows, Time dropped) and the same network: 29-16-16-1 ReLU, batch 64, Adam lr 1e-3.

  torch_f32 / torch_f64: PyTorch on CPU, torch.set_num_threads(2), float32 (its default) and float64 (the
      precision of our Java trainer); class-weighted BCE on logits (weights n / (2 n_class)), a fresh random
      permutation each epoch, batches gathered by index (no DataLoader overhead).
  sklearn: MLPClassifier(hidden_layer_sizes=(16, 16), solver="adam", batch_size=64, learning_rate_init=1e-3,
      alpha=0), one epoch per fit() call with warm_start=True. Its log-loss is NOT class-weighted: this
      scikit-learn version's MLPClassifier.fit takes no sample_weight (the cost of an epoch is the same).

Times only the training passes (no validation). Prints one JSON object.
usage: peers_speed.py CSV [--epochs N] [--only torch_f32,torch_f64,sklearn] [--json OUT]
"""
import argparse, json, os, statistics, sys, time, warnings
import numpy as np
import pandas as pd

V = [f"V{i}" for i in range(1, 29)]


def load(path):
    df = pd.read_csv(path)
    X = np.column_stack([df[V].to_numpy(np.float64), np.log1p(df["Amount"].to_numpy(np.float64))])
    y = df["Class"].astype(str).str.strip('"').astype(int).to_numpy()
    cut = int(len(y) * 0.8)
    X, y = X[:cut], y[:cut]
    mu, sd = X.mean(0), X.std(0)
    sd[sd < 1e-12] = 1.0
    return (X - mu) / sd, y


def summary(name, secs, extra):
    after = secs[1:] if len(secs) > 1 else secs
    return dict(impl=name, s_per_epoch=[round(s, 4) for s in secs],
                s_median_after_first=round(statistics.median(after), 4), **extra)


def run_torch(X, y, epochs, dtype):
    import torch
    torch.set_num_threads(2)
    torch.manual_seed(42)
    Xt = torch.tensor(X, dtype=dtype)
    yt = torch.tensor(y, dtype=dtype)
    n, p = len(y), int(y.sum())
    w = torch.where(yt == 1, torch.tensor(n / (2.0 * p), dtype=dtype), torch.tensor(n / (2.0 * (n - p)), dtype=dtype))
    net = torch.nn.Sequential(torch.nn.Linear(29, 16), torch.nn.ReLU(), torch.nn.Linear(16, 16), torch.nn.ReLU(),
                              torch.nn.Linear(16, 1)).to(dtype)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    lossf = torch.nn.functional.binary_cross_entropy_with_logits
    secs = []
    for e in range(epochs):
        t0 = time.perf_counter()
        perm = torch.randperm(n)
        for i in range(0, n, 64):
            idx = perm[i:i + 64]
            opt.zero_grad(set_to_none=True)
            loss = lossf(net(Xt[idx]).squeeze(1), yt[idx], weight=w[idx])
            loss.backward()
            opt.step()
        secs.append(time.perf_counter() - t0)
        print(f"{'torch_f32' if dtype == torch.float32 else 'torch_f64'} epoch {e + 1}: {secs[-1]:.3f} s, last loss {loss.item():.4f}",
              file=sys.stderr)
    return summary("torch_f32" if dtype == torch.float32 else "torch_f64", secs,
                   dict(version=torch.__version__, threads=torch.get_num_threads(), class_weighted=True))


def run_sklearn(X, y, epochs):
    import sklearn
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    clf = MLPClassifier(hidden_layer_sizes=(16, 16), activation="relu", solver="adam", batch_size=64,
                        learning_rate_init=1e-3, alpha=0.0, max_iter=1, warm_start=True, shuffle=True,
                        random_state=42, tol=0.0, n_iter_no_change=10 ** 9)
    secs = []
    for e in range(epochs):
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X, y)
        secs.append(time.perf_counter() - t0)
        print(f"sklearn epoch {e + 1}: {secs[-1]:.3f} s, loss {clf.loss_:.4f}", file=sys.stderr)
    return summary("sklearn", secs, dict(version=sklearn.__version__, class_weighted=False))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--only", default="torch_f32,torch_f64,sklearn")
    ap.add_argument("--json")
    a = ap.parse_args()
    X, y = load(a.csv)
    out = dict(csv=os.path.basename(a.csv), train_rows=int(len(y)), train_positives=int(y.sum()), epochs=a.epochs,
               batch=64, peers=[])
    for name in a.only.split(","):
        if name in ("torch_f32", "torch_f64"):
            import torch
            out["peers"].append(run_torch(X, y, a.epochs, torch.float32 if name == "torch_f32" else torch.float64))
        elif name == "sklearn":
            out["peers"].append(run_sklearn(X, y, a.epochs))
        else:
            raise SystemExit(f"unknown peer {name}")
    text = json.dumps(out)
    print(text)
    if a.json:
        with open(a.json, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
