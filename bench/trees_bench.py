"""bench/trees.sh's Python side, in the venv of python/venv.sh.

  prepare WORK N   trains on 5,000 demo-like customers (all features numbers: a one-tensor ONNX input) a 100-tree
                   scikit-learn random forest (rf), a 300-tree scikit-learn gradient boosting (gbm), a 300-tree
                   XGBoost (xgb) and a 300-tree LightGBM (lgbm) model, registers each with the scoreline package into
                   WORK/store (model name = its key), and writes N rows (WORK/rows.f64, N x 6 little-endian doubles)
  score WORK MODEL WHAT   times one scorer on the N rows: sklearn (the model's own predict_proba, n_jobs=-1 where
                   the model has it), native (XGBoost's / LightGBM's own predict_proba, all threads), ort (Python
                   onnxruntime on model.onnx, default threads, chunks of 8192 as predict); one "result" line
"""
import json
import os
import sys
import time

import joblib
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python", "tests"))
FEATURES = ["tenure_months", "monthly_charges", "support_tickets", "has_partner", "contract", "region"]
CHUNK = 8192


def numeric(frame):
    levels = {"contract": ["month-to-month", "one-year", "two-year"], "region": ["east", "north", "south", "west"]}
    return np.column_stack([frame[f].map({v: i for i, v in enumerate(levels[f])}).to_numpy(dtype=np.float64) if f in levels
                            else frame[f].to_numpy(dtype=np.float64) for f in FEATURES])


def prepare(work, n):
    from conftest import churn_frame
    from lightgbm import LGBMClassifier
    from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
    from xgboost import XGBClassifier
    import scoreline

    frame, y = churn_frame(5000, seed=1)
    x, y = numeric(frame), (y == "yes").astype(np.int64)  # XGBoost wants classes 0..k-1
    models = {
        # sized like bench/models.sh's Smile models: depth limit 20, about 140 leaves per tree; 6 leaves for boosting
        "rf": RandomForestClassifier(100, max_depth=20, min_samples_split=5, max_leaf_nodes=140, n_jobs=-1, random_state=1),
        "gbm": GradientBoostingClassifier(n_estimators=300, max_depth=20, max_leaf_nodes=6, min_samples_split=5,
                                          learning_rate=0.05, subsample=0.7, random_state=1),
        "xgb": XGBClassifier(n_estimators=300, max_depth=3, learning_rate=0.05, random_state=1),
        "lgbm": LGBMClassifier(n_estimators=300, num_leaves=6, learning_rate=0.05, verbose=-1, random_state=1),
    }
    for name, model in models.items():
        model.fit(x, y)
        joblib.dump(model, os.path.join(work, name + ".joblib"))
        spec = scoreline.register(model, name=name, features=FEATURES, store=os.path.join(work, "store"), sample=x[:1000],
                                  version="v1", alias="production")
        print(name, spec["algorithm"], spec["onnx"]["inputs"][0]["elem_type"], spec["training"]["parity"], file=sys.stderr)
    rows, _ = churn_frame(n, seed=2)
    numeric(rows).astype("<f8").tofile(os.path.join(work, "rows.f64"))


def score(work, name, what):
    x = np.fromfile(os.path.join(work, "rows.f64"), dtype="<f8").reshape(-1, len(FEATURES))
    if what == "ort":
        import onnxruntime
        model_dir = os.path.join(work, "store", "models", name, "v1")
        spec = json.load(open(os.path.join(model_dir, "model.json")))
        session = onnxruntime.InferenceSession(os.path.join(model_dir, "model.onnx"), providers=["CPUExecutionProvider"])
        elem = np.float32 if spec["onnx"]["inputs"][0]["elem_type"] == "float" else np.float64
        xs = x.astype(elem)
        wanted = [spec["onnx"]["outputs"]["label"], spec["onnx"]["outputs"]["probabilities"]]

        def run(rows):
            for start in range(0, len(rows), CHUNK):
                session.run(wanted, {"input": rows[start:start + CHUNK]})
        run(xs[:100_000])
        timed(what, lambda: run(xs), len(x))
        return
    model = joblib.load(os.path.join(work, name + ".joblib"))
    if what == "native" and name in ("rf", "gbm"):
        return  # scikit-learn's own is the sklearn line
    if what == "native" and name == "xgb":
        model.set_params(n_jobs=os.cpu_count())
    elif what == "native" and name == "lgbm":
        model.set_params(n_jobs=-1)
    elif what == "sklearn" and name in ("xgb", "lgbm"):
        return
    model.predict_proba(x[:100_000])  # warm-up: thread pools, page cache
    timed(what, lambda: model.predict_proba(x), len(x))


def timed(what, run, rows):
    wall0, cpu0 = time.perf_counter(), time.process_time()
    run()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    print(f"result scorer={what} rows={rows} wall_s={wall:.3f} cpu_s={cpu:.3f} us_per_row={wall * 1e6 / rows:.3f}"
          f" cpu_us_per_row={cpu * 1e6 / rows:.3f}")


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(sys.argv[2], int(sys.argv[3]))
    else:
        score(sys.argv[2], sys.argv[3], sys.argv[4])
