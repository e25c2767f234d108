"""bench/onnx.sh's Python side. prepare WORK N: train a 100-tree forest behind a one-hot encoder on demo-like
customers, register it as ONNX (scoreline package) into WORK/store, write N rows as a DataFrame (WORK/rows.pkl) and
as predict's vectorized rows (WORK/rows.f64: N x k little-endian doubles). ort WORK / sklearn WORK: score the N rows
with Python onnxruntime (chunks of 8192, as predict) or the original model's predict_proba (n_jobs=-1); print one
line: name rows wall_s cpu_s (scoring only). threads WORK: Python onnxruntime's thread settings on 100,000 rows."""
import json
import os
import pickle
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python", "tests"))
CHUNK = 8192


def prepare(work, n):
    from conftest import churn_frame
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder
    import scoreline

    x, y = churn_frame(5000, seed=1)
    # no scaler: trees compare raw float32 values, in sklearn and in ONNX alike, so the conversion keeps parity
    numbers = ["tenure_months", "monthly_charges", "support_tickets", "has_partner"]
    model = Pipeline([("prepare", ColumnTransformer([("keep", "passthrough", numbers),
                                                     ("onehot", OneHotEncoder(handle_unknown="ignore"), ["contract", "region"])])),
                      ("classify", RandomForestClassifier(100, random_state=0))]).fit(x, y)
    spec = scoreline.register(model, name="churn", features=list(x.columns), store=os.path.join(work, "store"),
                              sample=x.iloc[:1000], version="v1", alias="production")
    rows, _ = churn_frame(n, seed=2)
    pickle.dump((model, rows), open(os.path.join(work, "rows.pkl"), "wb"))
    columns = []
    for f in spec["features"]:
        values = rows[f["name"]]
        if f["type"] == "category":
            values = values.map({level: i for i, level in enumerate(f["levels"])})
        columns.append(np.asarray(values, dtype="<f8"))
    np.column_stack(columns).astype("<f8").tofile(os.path.join(work, "rows.f64"))
    print(json.dumps(spec["onnx"]), file=sys.stderr)


def timed(name, score, rows):
    wall, cpu = time.perf_counter(), time.process_time()
    score()
    print(f"{name} {rows} {time.perf_counter() - wall:.3f} {time.process_time() - cpu:.3f}")


def ort(work):
    import onnxruntime
    model_dir = os.path.join(work, "store", "models", "churn", "v1")
    spec = json.load(open(os.path.join(model_dir, "model.json")))
    session = onnxruntime.InferenceSession(os.path.join(model_dir, "model.onnx"), providers=["CPUExecutionProvider"])
    _, rows = pickle.load(open(os.path.join(work, "rows.pkl"), "rb"))
    from scoreline.convert import feeds
    inputs = feeds(spec["onnx"]["inputs"], spec["features"], rows)
    wanted = [spec["onnx"]["outputs"]["label"], spec["onnx"]["outputs"]["probabilities"]]

    def score():
        for start in range(0, len(rows), CHUNK):
            session.run(wanted, {k: v[start:start + CHUNK] for k, v in inputs.items()})
    timed("python-onnxruntime", score, len(rows))


def threads(work, n=100_000):
    """Python onnxruntime on the first n rows with 1 intra-op thread, 2 sleeping, 2 spinning: which setting fits."""
    import onnxruntime
    from scoreline.convert import feeds
    model_dir = os.path.join(work, "store", "models", "churn", "v1")
    spec = json.load(open(os.path.join(model_dir, "model.json")))
    _, rows = pickle.load(open(os.path.join(work, "rows.pkl"), "rb"))
    rows = rows.iloc[:n]
    inputs = feeds(spec["onnx"]["inputs"], spec["features"], rows)
    wanted = [spec["onnx"]["outputs"]["label"], spec["onnx"]["outputs"]["probabilities"]]
    for count, spin in ((1, "0"), (2, "0"), (2, "1")):
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = count
        options.add_session_config_entry("session.intra_op.allow_spinning", spin)
        session = onnxruntime.InferenceSession(os.path.join(model_dir, "model.onnx"), options, providers=["CPUExecutionProvider"])

        def score():
            for start in range(0, len(rows), CHUNK):
                session.run(wanted, {k: v[start:start + CHUNK] for k, v in inputs.items()})
        timed(f"python-onnxruntime-threads={count}-spinning={spin}", score, len(rows))


def sklearn(work):
    model, rows = pickle.load(open(os.path.join(work, "rows.pkl"), "rb"))
    model.set_params(classify__n_jobs=-1)
    timed("sklearn-predict_proba", lambda: model.predict_proba(rows), len(rows))


if __name__ == "__main__":
    command, work = sys.argv[1], sys.argv[2]
    {"prepare": lambda: prepare(work, int(sys.argv[3])), "ort": lambda: ort(work), "sklearn": lambda: sklearn(work),
     "threads": lambda: threads(work)}[command]()
