"""Writes the small ONNX fixtures of OnnxScorerTest: model.onnx, model.json (as register writes it) and expected.json
(rows as predict vectorizes them, and what Python's onnxruntime answers for them).
Run from the repo root: $(python/venv.sh | tail -n1)/bin/python jobs/model/src/test/resources/onnx/make-fixtures.py"""
import json
import os

import numpy as np
import onnxruntime
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import DoubleTensorType, FloatTensorType, Int64TensorType, StringTensorType
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_diabetes, load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = {"": 17, "ai.onnx.ml": 3}


def write(name, proto, spec, rows, feeds):
    os.makedirs(os.path.join(HERE, name), exist_ok=True)
    data = proto.SerializeToString()
    names = [o.name for o in proto.graph.output]  # skl2onnx's names: label/probabilities, or output_* with ZipMap
    spec["onnx"]["outputs"] = ({"label": names[0], "probabilities": names[1]} if spec["task"] == "classification"
                               else {"value": names[0]})
    open(os.path.join(HERE, name, "model.onnx"), "wb").write(data)
    session = onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"])
    outputs = spec["onnx"]["outputs"]
    expected = {"rows": rows}
    if spec["task"] == "classification":
        label, proba = session.run([outputs["label"], outputs["probabilities"]], feeds)
        expected["labels"] = [str(v) for v in np.asarray(label).ravel()]
        if isinstance(proba, list):  # ZipMap
            proba = [[row[int(c) if isinstance(next(iter(row)), int) else c] for c in spec["classes"]] for row in proba]
        expected["probabilities"] = np.asarray(proba, dtype=np.float64).tolist()
    else:
        (value,) = session.run([outputs["value"]], feeds)
        expected["values"] = np.asarray(value, dtype=np.float64).ravel().tolist()
    json.dump(spec, open(os.path.join(HERE, name, "model.json"), "w"), indent=1)
    json.dump(expected, open(os.path.join(HERE, name, "expected.json"), "w"))


def numbers(names):
    return [{"name": n, "type": "number"} for n in names]


def iris(zipmap):
    data = load_iris()
    x, y = data.data.astype(np.float32), data.target
    model = RandomForestClassifier(5, max_depth=3, random_state=0).fit(x, y)
    proto = convert_sklearn(model, initial_types=[("input", FloatTensorType([None, 4]))],
                            options={id(model): {"zipmap": zipmap}}, target_opset=OPSET)
    names = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    spec = {"schema_version": 1, "format": "onnx", "file": "model.onnx", "task": "classification",
            "algorithm": "sklearn.ensemble.RandomForestClassifier", "features": numbers(names), "classes": ["0", "1", "2"],
            "onnx": {"inputs": [{"name": "input", "elem_type": "float", "features": names}],
                     "outputs": {"label": "output_label", "probabilities": "output_probability"}}}
    rows = x[::10].astype(np.float64).tolist()
    write("iris-zipmap" if zipmap else "iris-tensor", proto, spec, rows, {"input": x[::10]})


def churn():
    """String labels, one input per feature, string inputs fed from category levels, ZipMap with string keys."""
    r = np.random.default_rng(1)
    n = 400
    tenure = r.integers(1, 73, n).astype(np.float32)
    contract = r.choice(["month-to-month", "one-year", "two-year"], n)
    z = 1.5 * (contract == "month-to-month") - 0.04 * tenure + r.normal(0, 0.5, n)
    y = np.where(z > 0, "yes", "no")
    import pandas as pd
    frame = pd.DataFrame({"tenure_months": tenure, "contract": contract})
    model = Pipeline([("prepare", ColumnTransformer([("keep", "passthrough", ["tenure_months"]),
                                                      ("onehot", OneHotEncoder(handle_unknown="ignore"), ["contract"])])),
                      ("classify", LogisticRegression(max_iter=1000))]).fit(frame, y)
    proto = convert_sklearn(model, initial_types=[("tenure_months", FloatTensorType([None, 1])),
                                                  ("contract", StringTensorType([None, 1]))], target_opset=OPSET)
    levels = ["month-to-month", "one-year", "two-year"]
    spec = {"schema_version": 1, "format": "onnx", "file": "model.onnx", "task": "classification",
            "algorithm": "sklearn.pipeline.Pipeline", "classes": ["no", "yes"],
            "features": [{"name": "tenure_months", "type": "number"},
                         {"name": "contract", "type": "category", "levels": levels}],
            "onnx": {"inputs": [{"name": "tenure_months", "elem_type": "float", "features": ["tenure_months"]},
                                {"name": "contract", "elem_type": "string", "features": ["contract"]}],
                     "outputs": {"label": "output_label", "probabilities": "output_probability"}}}
    pick = slice(0, 40, 4)
    rows = [[float(t), float(levels.index(c))] for t, c in zip(tenure[pick], contract[pick])]
    write("churn-strings", proto, spec, rows,
          {"tenure_months": tenure[pick].reshape(-1, 1), "contract": contract[pick].reshape(-1, 1).astype(object)})


def diabetes():
    data = load_diabetes()
    x, y = data.data, data.target
    model = LinearRegression().fit(x, y)  # TreeEnsembleRegressor has no double version in ai.onnx.ml 3
    proto = convert_sklearn(model, initial_types=[("input", DoubleTensorType([None, 10]))], target_opset=OPSET)
    names = list(data.feature_names)
    spec = {"schema_version": 1, "format": "onnx", "file": "model.onnx", "task": "regression",
            "algorithm": "sklearn.linear_model.LinearRegression", "features": numbers(names),
            "onnx": {"inputs": [{"name": "input", "elem_type": "double", "features": names}],
                     "outputs": {"value": "variable"}}}
    write("diabetes-double", proto, spec, x[::40].tolist(), {"input": x[::40]})


def counts():
    """int64 inputs (counts), an int64-labelled linear classifier."""
    r = np.random.default_rng(2)
    x = r.integers(0, 10, (300, 2))
    y = (x[:, 0] + r.normal(0, 1, 300) > x[:, 1]).astype(np.int64)
    model = LogisticRegression().fit(x, y)
    proto = convert_sklearn(model, initial_types=[("input", Int64TensorType([None, 2]))],
                            options={id(model): {"zipmap": False}}, target_opset=OPSET)
    spec = {"schema_version": 1, "format": "onnx", "file": "model.onnx", "task": "classification",
            "algorithm": "sklearn.linear_model.LogisticRegression", "features": numbers(["visits", "tickets"]),
            "classes": ["0", "1"],
            "onnx": {"inputs": [{"name": "input", "elem_type": "int64", "features": ["visits", "tickets"]}],
                     "outputs": {"label": "label", "probabilities": "probabilities"}}}
    write("counts-int64", proto, spec, x[:12].astype(np.float64).tolist(), {"input": x[:12]})


def churn_demo():
    """The black-box tests' model (jobs/it): the demo documents' six features, a forest behind a one-hot encoder.
    Its model.json has no onnx section: predict.jar register derives it from the model's metadata."""
    import pandas as pd
    r = np.random.default_rng(5)
    n = 600
    contracts, regions = ["month-to-month", "one-year", "two-year"], ["east", "north", "south", "west"]
    x = pd.DataFrame({"tenure_months": r.integers(1, 73, n).astype(np.float32),
                      "monthly_charges": np.round(20 + r.random(n) * 100, 1).astype(np.float32),
                      "support_tickets": r.poisson(1.2, n).astype(np.float32),
                      "contract": r.choice(contracts, n),
                      "has_partner": (r.random(n) < 0.5).astype(np.float32),
                      "region": r.choice(regions, n)})
    z = 0.9 * x.support_tickets - 0.05 * x.tenure_months + 1.2 * (x.contract == "month-to-month") - 0.3 * x.has_partner
    y = np.where(z + r.normal(0, 0.5, n) > 0, "yes", "no")
    numbers = ["tenure_months", "monthly_charges", "support_tickets", "has_partner"]
    model = Pipeline([("prepare", ColumnTransformer([("keep", "passthrough", numbers),
                                                      ("onehot", OneHotEncoder(handle_unknown="ignore"), ["contract", "region"])])),
                      ("classify", RandomForestClassifier(10, max_depth=4, random_state=0))]).fit(x, y)
    types = [(c, StringTensorType([None, 1]) if c in ("contract", "region") else FloatTensorType([None, 1])) for c in x.columns]
    proto = convert_sklearn(model, initial_types=types, target_opset=OPSET)
    features = [{"name": "tenure_months", "type": "number"}, {"name": "monthly_charges", "type": "number"},
                {"name": "support_tickets", "type": "number"},
                {"name": "contract", "type": "category", "levels": contracts},
                {"name": "has_partner", "type": "boolean"}, {"name": "region", "type": "category", "levels": regions}]
    spec = {"schema_version": 1, "format": "onnx", "file": "model.onnx", "task": "classification",
            "algorithm": "sklearn.pipeline.Pipeline(RandomForestClassifier)", "features": features, "target": "churned",
            "classes": ["no", "yes"], "onnx": {"inputs": [], "outputs": {}}}
    sample = x.iloc[:10]
    rows = [[float(v.tenure_months), float(v.monthly_charges), float(v.support_tickets), float(contracts.index(v.contract)),
             float(v.has_partner), float(regions.index(v.region))] for v in sample.itertuples()]
    feeds = {c: sample[c].to_numpy().reshape(-1, 1).astype(object if c in ("contract", "region") else np.float32)
             for c in x.columns}
    write("churn-demo", proto, spec, rows, feeds)
    del spec["onnx"]
    json.dump(spec, open(os.path.join(HERE, "churn-demo", "model.json"), "w"), indent=1)


if __name__ == "__main__":
    iris(zipmap=False)
    iris(zipmap=True)
    churn()
    diabetes()
    counts()
    churn_demo()
