"""The pipeline a data scientist would write without Scoreline: bench/vs-script.sh times it against fetch -> predict ->
publish on the same documents. One Python process (the venv of python/venv.sh): orjson + pandas to read the NDJSON,
scikit-learn's random forest to score, gzip NDJSON out, the file store's latest/ layout.

  train TRAINING.csv MODEL.joblib
      fits the forest on the rows predict.jar train fits on (four in five: it holds out every fifth), encoded as predict
      encodes them, sized like Smile's; prints its size and holdout accuracy
  run --source NDJSON --store DIR --run-id ID --model MODEL.joblib --data-interval-end TIME [--timings FILE]
      one cycle: documents updated in (last published end - 5 min, TIME] (all up to TIME on an empty store), newest per
      id, scored, merged with the previous snapshot, written to runs/ID/snapshot.ndjson.gz, latest/predictions.ndjson.gz
      and latest/manifest.json last; appends "stage wall_s cpu_s peak_rss_kib" lines to FILE
"""
import argparse
import gzip
import hashlib
import json
import os
import resource
import sys
import time
from datetime import datetime, timedelta, timezone

import joblib
import numpy as np
import orjson
import pandas as pd
from sklearn.ensemble import RandomForestClassifier

# What predict.jar train infers from training.csv (model.json): feature order, types, category levels (sorted), classes.
NUMBERS = ["tenure_months", "monthly_charges", "support_tickets"]
LEVELS = {"contract": ["month-to-month", "one-year", "two-year"], "region": ["east", "north", "south", "west"]}
FEATURES = ["tenure_months", "monthly_charges", "support_tickets", "contract", "has_partner", "region"]
CLASSES = ["no", "yes"]
OVERLAP = timedelta(minutes=5)  # fetch's default --overlap
GZIP_LEVEL = 3  # what publish writes latest/ with: same size on both sides


def encode(frame):
    """The model's rows, and which of them cannot be scored (a feature missing or not of its type)."""
    x = np.empty((len(frame), len(FEATURES)))
    bad = np.zeros(len(frame), dtype=bool)
    for j, name in enumerate(FEATURES):
        column = frame[name]
        if name in NUMBERS:
            values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
        elif name in LEVELS:
            values = pd.Categorical(column, categories=LEVELS[name]).codes.astype(float)
            values[values < 0] = np.nan
        else:
            values = column.map({True: 1.0, False: 0.0}).to_numpy(dtype=float)
        x[:, j] = values
        bad |= ~np.isfinite(values)
    return x, bad


def train(training, out):
    rows = pd.read_csv(training, dtype={"has_partner": bool})
    held = np.arange(len(rows)) % 5 == 0
    x, _ = encode(rows)
    y = rows["churned"].map({c: i for i, c in enumerate(CLASSES)}).to_numpy()
    # Smile's RandomForest.Options(100): mtry floor(sqrt(6)) = 2, depth limit 20, nodes of 5, bootstrap; its trees
    # came out at 140 leaves on average on this data (docs/benchmarks.md, "Models"), hence max_leaf_nodes
    model = RandomForestClassifier(n_estimators=100, max_features="sqrt", max_depth=20, min_samples_split=5,
                                   max_leaf_nodes=140, n_jobs=-1, random_state=1).fit(x[~held], y[~held])
    accuracy = (model.predict(x[held]) == y[held]).mean()
    leaves = [e.tree_.n_leaves for e in model.estimators_]
    print(f"sklearn forest: {len(leaves)} trees, {np.mean(leaves):.1f} leaves on average, holdout accuracy {accuracy:.4f}",
          file=sys.stderr)
    joblib.dump(model, out)


def process_age():
    """Seconds since this process started (Linux /proc, 10 ms steps): "start" includes the interpreter and imports."""
    with open("/proc/self/stat") as f:
        started = int(f.read().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
    with open("/proc/uptime") as f:
        return float(f.read().split()[0]) - started


class Stages:
    """Wall, CPU (all threads) and the process's peak RSS so far, per stage; the first from the process's start."""

    def __init__(self, path):
        self.path, self.lines = path, []
        self.wall, self.cpu = time.perf_counter() - process_age(), 0.0

    @staticmethod
    def _cpu():
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime

    def done(self, stage):
        wall, cpu = time.perf_counter(), self._cpu()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.lines.append(f"{stage} {wall - self.wall:.3f} {cpu - self.cpu:.3f} {peak}\n")
        self.wall, self.cpu = wall, cpu

    def write(self):
        if self.path:
            with open(self.path, "a") as f:
                f.writelines(self.lines)


def write_atomic(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)


def fetch(source, start, end):
    """Documents updated in (start, end], the newest version of each id; and the lines that are not documents."""
    docs, rejected = [], []
    with open(source, "rb") as f:
        for line in f:
            try:
                docs.append(orjson.loads(line))
            except orjson.JSONDecodeError as e:
                rejected.append({"document": line.decode(errors="replace"), "reason": f"not valid JSON: {e}"})
    frame = pd.DataFrame(docs)
    frame["time"] = pd.to_datetime(frame["updated_at"], utc=True, format="ISO8601", errors="coerce")
    unusable = frame["id"].isna() | frame["time"].isna()
    rejected += [{"document": d, "reason": "no id or no updated_at"} for d in frame.loc[unusable, "id"]]
    inside = ~unusable & (frame["time"] <= end)
    if start is not None:
        inside &= frame["time"] > start
    frame = frame[inside].sort_values("time", kind="stable").drop_duplicates("id", keep="last")
    return frame, rejected


def predict(frame, model):
    x, bad = encode(frame)
    rejected = [{"id": i, "reason": "a feature is missing or not of its type"} for i in frame["id"][bad]]
    scored = frame[~bad]
    return scored, model.predict_proba(x[~bad]), rejected


def lines_of(scored, proba, model_name, version):
    """One NDJSON line per id, keyed by the id's JSON text (the order of the ids themselves unless one holds a quote
    or a backslash). An f-string: orjson.dumps per line took 3x the time and 4 GB for 1M lines; updated_at was
    parsed as a time, so it has nothing to escape."""
    winner = proba.argmax(axis=1).tolist()
    out = {}
    for i, updated, k, (no, yes) in zip(scored["id"], scored["updated_at"], winner, proba.tolist()):
        quoted = json.dumps(i, ensure_ascii=False)
        out[quoted[1:-1]] = (f'{{"id":{quoted},"updated_at":"{updated}","prediction":"{CLASSES[k]}",'
                             f'"probabilities":{{"no":{no!r},"yes":{yes!r}}},"model":"{model_name}","model_version":"{version}"}}\n')
    return out


def when(line):
    return datetime.fromisoformat(json.loads(line)["updated_at"].replace("Z", "+00:00"))


def merge(previous_path, new):
    """The previous snapshot with the run's lines in place of their ids' (unless the snapshot holds a newer version)."""
    if not os.path.exists(previous_path):
        return new
    with gzip.open(previous_path, "rb") as f:
        previous = f.read().decode().splitlines(keepends=True)
    merged = {}
    for line in previous:
        # the script wrote these lines, id first: its JSON text is the key (half the time of parsing it)
        key = line[7:line.index('","updated_at":')]
        if key in new and when(line) > when(new[key]):
            new[key] = line  # an older version arrived late: keep the published one
        merged[key] = line
    merged.update(new)
    return merged


def run(args):
    stages = Stages(args.timings)
    store, end = args.store, datetime.fromisoformat(args.data_interval_end.replace("Z", "+00:00"))
    model = joblib.load(args.model)
    latest = os.path.join(store, "latest")
    start = None
    if os.path.exists(os.path.join(latest, "manifest.json")):
        with open(os.path.join(latest, "manifest.json"), "rb") as f:
            start = datetime.fromisoformat(orjson.loads(f.read())["data_interval_end"].replace("Z", "+00:00")) - OVERLAP
    stages.done("start")

    frame, rejected = fetch(args.source, start, end)
    stages.done("fetch")

    scored, proba, unscorable = predict(frame, model)
    rejected += unscorable
    stages.done("predict")

    lines = merge(os.path.join(latest, "predictions.ndjson.gz"), lines_of(scored, proba, "churn", "v1"))
    snapshot = gzip.compress("".join(lines[k] for k in sorted(lines)).encode(), compresslevel=GZIP_LEVEL)
    run_dir = os.path.join(store, "runs", args.run_id)
    write_atomic(os.path.join(run_dir, "snapshot.ndjson.gz"), snapshot)
    write_atomic(os.path.join(run_dir, "rejected.ndjson.gz"),
                 gzip.compress(b"".join(orjson.dumps(r, option=orjson.OPT_APPEND_NEWLINE) for r in rejected)))
    write_atomic(os.path.join(latest, "predictions.ndjson.gz"), snapshot)
    manifest = {"schema_version": 1, "run_id": args.run_id, "snapshot": f"runs/{args.run_id}/snapshot.ndjson.gz",
                "sha256": hashlib.sha256(snapshot).hexdigest(), "count": len(lines), "bytes": len(snapshot),
                "model": "churn", "model_version": "v1", "data_interval_end": args.data_interval_end,
                "published_at": datetime.now(timezone.utc).isoformat(), "promoted_by": "script", "stale": False}
    write_atomic(os.path.join(latest, "manifest.json"), orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
    stages.done("publish")
    stages.write()
    print(f"{len(frame)} documents read, {len(scored)} scored, {len(rejected)} rejected, snapshot of {len(lines)}",
          file=sys.stderr)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "train":
        return train(sys.argv[2], sys.argv[3])
    parser = argparse.ArgumentParser(usage=__doc__)
    parser.add_argument("command", choices=["run"])
    for option in ("--source", "--store", "--run-id", "--model", "--data-interval-end"):
        parser.add_argument(option, required=True)
    parser.add_argument("--timings")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
