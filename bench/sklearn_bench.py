"""The model-scoring benchmark's Python side (bench/models.sh), in the venv of python/venv.sh.

  train TRAINING.csv MODEL.json OUT.joblib rf|gbm TREES LEAVES
      fits scikit-learn's forest (or gradient boosting) on the same training rows as predict.jar train, encoded as
      predict encodes them (numbers, booleans 0/1, categories as their index in model.json's levels), sized like
      Smile's (depth limit 20, about as many leaves per tree); prints the trees' sizes
  score OUT.joblib ROWS.f64 FEATURES
      times predict_proba (n_jobs=-1 for the forest) on the rows ModelBench.java exported; prints one "result" line
"""
import csv
import json
import sys
import time

import joblib
import numpy as np
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier


def encode(value, feature):
    kind = feature["type"]
    if kind == "number":
        return float(value)
    if kind == "boolean":
        return 1.0 if value.strip().lower() == "true" else 0.0
    return float(feature["levels"].index(value))


def train(training, model_json, out, kind, trees, leaves):
    spec = json.load(open(model_json))
    features, classes = spec["features"], spec["classes"]
    x, y = [], []
    with open(training, newline="") as f:
        for row in csv.DictReader(f):
            x.append([encode(row[feat["name"]], feat) for feat in features])
            y.append(classes.index(row[spec["target"]]))
    x, y = np.array(x), np.array(y)
    if kind == "rf":
        # Smile's RandomForest.Options(n): mtry floor(sqrt(p)), maxDepth 20, nodeSize 5, bootstrap
        model = RandomForestClassifier(n_estimators=trees, max_depth=20, max_features="sqrt", min_samples_split=5,
                                       max_leaf_nodes=leaves, n_jobs=-1, random_state=1)
    else:
        # Smile's GradientTreeBoost.Options(n): maxDepth 20, maxNodes 6, nodeSize 5, shrinkage 0.05, subsample 0.7
        model = GradientBoostingClassifier(n_estimators=trees, max_depth=20, max_leaf_nodes=leaves, min_samples_split=5,
                                           learning_rate=0.05, subsample=0.7, random_state=1)
    model.fit(x, y)
    estimators = model.estimators_.ravel() if kind == "gbm" else model.estimators_
    leaf_counts = [e.tree_.n_leaves for e in estimators]
    depths = [e.tree_.max_depth for e in estimators]
    print(f"sklearn trees: count={len(estimators)} mean_leaves={np.mean(leaf_counts):.1f} max_depth={max(depths)}"
          f" mean_depth={np.mean(depths):.1f}", file=sys.stderr)
    joblib.dump(model, out)


def score(path, rows_file, features):
    model = joblib.load(path)
    x = np.fromfile(rows_file, dtype="<f8").reshape(-1, int(features))
    model.predict_proba(x[:100_000])  # warm-up: thread pools, page cache
    wall0, cpu0 = time.perf_counter(), time.process_time()
    model.predict_proba(x)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    n = x.shape[0]
    print(f"result scorer=sklearn rows={n} wall_s={wall:.3f} cpu_s={cpu:.3f} us_per_row={wall * 1e6 / n:.3f}"
          f" cpu_us_per_row={cpu * 1e6 / n:.3f}")


if __name__ == "__main__":
    if sys.argv[1] == "train":
        train(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]), int(sys.argv[7]))
    else:
        score(sys.argv[2], sys.argv[3], sys.argv[4])
