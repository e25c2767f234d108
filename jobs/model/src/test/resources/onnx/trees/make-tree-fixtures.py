"""Writes the tree-ensemble fixtures of OnnxTreesParityTest: model.onnx and model.json, one directory each, from
scikit-learn (skl2onnx), XGBoost and LightGBM (onnxmltools) and hand-built graphs for the node modes, missing values,
post transforms and two-class forms the converters do not emit. The test scores rows with the flattened trees and
with ONNX Runtime and compares them; no expected answers are stored.
Run from the repo root: $(python/venv.sh | tail -n1)/bin/python jobs/model/src/test/resources/onnx/trees/make-tree-fixtures.py"""
import json
import os
import sys

import numpy as np
from onnx import TensorProto, helper
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "..", "..", "..", "python"))
from scoreline.convert import convert  # noqa: E402  the package's own conversion, as register does it


def numbers(names):
    return [{"name": n, "type": "number"} for n in names]


def write(name, data, spec):
    os.makedirs(os.path.join(HERE, name), exist_ok=True)
    open(os.path.join(HERE, name, "model.onnx"), "wb").write(data)
    json.dump(spec, open(os.path.join(HERE, name, "model.json"), "w"), indent=1)


def converted(name, model, names, elem):
    features = numbers(names)
    c = convert(model, features, elem)
    spec = {"schema_version": 1, "format": "onnx", "file": "model.onnx", "task": c.task, "algorithm": c.algorithm,
            "features": features, "onnx": {"inputs": c.inputs, "outputs": c.outputs}}
    if c.classes is not None:
        spec["classes"] = c.classes
    write(name, c.bytes, spec)


def from_python():
    from lightgbm import LGBMClassifier, LGBMRegressor
    from sklearn.ensemble import (ExtraTreesClassifier, GradientBoostingClassifier, GradientBoostingRegressor,
                                  RandomForestClassifier, RandomForestRegressor)
    from xgboost import XGBClassifier, XGBRegressor
    from scoreline.convert import _register_boosters

    cancer, iris, diabetes = load_breast_cancer(), load_iris(), load_diabetes()
    names = lambda d: [n.replace(" ", "_") for n in d.feature_names]  # noqa: E731
    xc, yc = cancer.data, cancer.target
    xi, yi = iris.data, iris.target
    xd, yd = diabetes.data, diabetes.target
    rf = RandomForestClassifier(8, max_depth=5, random_state=0).fit(xc, yc)
    converted("sklearn-rf-binary-double", rf, names(cancer), "double")
    converted("sklearn-rf-binary-float", rf, names(cancer), "float")
    converted("sklearn-rf-iris", RandomForestClassifier(8, max_depth=4, random_state=0).fit(xi, yi), names(iris), "float")
    converted("sklearn-extratrees-strings", ExtraTreesClassifier(8, max_depth=4, random_state=0)
              .fit(xi, np.array(["setosa", "versicolor", "virginica"])[yi]), names(iris), "float")
    converted("sklearn-gbm-binary", GradientBoostingClassifier(n_estimators=15, random_state=0).fit(xc, yc), names(cancer), "float")
    converted("sklearn-gbm-iris", GradientBoostingClassifier(n_estimators=10, random_state=0).fit(xi, yi), names(iris), "float")
    converted("sklearn-rf-regressor", RandomForestRegressor(8, max_depth=5, random_state=0).fit(xd, yd), names(diabetes), "float")
    converted("sklearn-gbm-regressor", GradientBoostingRegressor(n_estimators=15, random_state=0).fit(xd, yd), names(diabetes), "float")
    for model, x, y, d, name in [(XGBClassifier(n_estimators=10, max_depth=3, random_state=0), xc, yc, cancer, "xgboost-binary"),
                                 (XGBClassifier(n_estimators=8, max_depth=3, random_state=0), xi, yi, iris, "xgboost-iris"),
                                 (XGBRegressor(n_estimators=10, max_depth=3, random_state=0), xd, yd, diabetes, "xgboost-regressor"),
                                 (LGBMClassifier(n_estimators=10, num_leaves=8, verbose=-1, random_state=0), xc, yc, cancer, "lightgbm-binary"),
                                 (LGBMClassifier(n_estimators=6, num_leaves=8, verbose=-1, random_state=0), xi, yi, iris, "lightgbm-iris"),
                                 (LGBMRegressor(n_estimators=10, num_leaves=8, verbose=-1, random_state=0), xd, yd, diabetes, "lightgbm-regressor")]:
        model.fit(x, y)
        _register_boosters(model)
        converted(name, model, names(d), "float")


def hand_built(name, op, attributes, task, classes=None, elem=TensorProto.FLOAT, zipmap=False):
    """A two-feature graph around one tree ensemble node, as a converter would write it."""
    attributes = {k: v for k, v in attributes.items() if not (isinstance(v, list) and not v)}
    x = helper.make_tensor_value_info("input", elem, [None, 2])
    if op == "TreeEnsembleClassifier":
        label_type = TensorProto.STRING if "classlabels_strings" in attributes else TensorProto.INT64
        node = helper.make_node(op, ["input"], ["label", "scores"], domain="ai.onnx.ml", **attributes)
        outputs = [helper.make_tensor_value_info("label", label_type, [None]),
                   helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, len(classes)])]
        nodes = [node, helper.make_node("Identity", ["scores"], ["probabilities"])]
        out = {"label": "label", "probabilities": "probabilities"}
    else:
        nodes = [helper.make_node(op, ["input"], ["variable"], domain="ai.onnx.ml", **attributes)]
        outputs = [helper.make_tensor_value_info("variable", TensorProto.FLOAT, [None, 1])]
        out = {"value": "variable"}
    graph = helper.make_graph(nodes, name, [x], outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)])
    model.ir_version = 8
    spec = {"schema_version": 1, "format": "onnx", "file": "model.onnx", "task": task, "algorithm": "hand-built " + op,
            "features": numbers(["a", "b"]),
            "onnx": {"inputs": [{"name": "input", "elem_type": "float" if elem == TensorProto.FLOAT else "double",
                                 "features": ["a", "b"]}], "outputs": out}}
    if classes:
        spec["classes"] = classes
    write(name, model.SerializeToString(), spec)


def trees(modes, tracks):
    """Two trees of three splits each on features a and b, every split in the given mode; leaves 3..6 and 10..13."""
    nodes = dict(nodes_treeids=[], nodes_nodeids=[], nodes_featureids=[], nodes_modes=[], nodes_values=[],
                 nodes_truenodeids=[], nodes_falsenodeids=[], nodes_missing_value_tracks_true=[])
    leaves = []
    for t, (mode, (v0, v1, v2)) in enumerate(zip(modes, [(0.5, -1.25, 2.0), (1.5, 0.25, -0.75)])):
        for node, (feature, value, yes, no) in enumerate([(0, v0, 1, 2), (1, v1, 3, 4), (1, v2, 5, 6)]):
            for k, v in zip(nodes, [t, node, feature, mode, value, yes, no, tracks[node % len(tracks)]]):
                nodes[k].append(v)
        for leaf in range(3, 7):
            for k, v in zip(nodes, [t, leaf, 0, "LEAF", 0.0, 0, 0, 0]):
                nodes[k].append(v)
            leaves.append((t, leaf))
    return nodes, leaves


def classifier_weights(leaves, classes, only=None):
    r = np.random.default_rng(len(leaves) * 7 + len(classes))
    w = dict(class_treeids=[], class_nodeids=[], class_ids=[], class_weights=[])
    for t, leaf in leaves:
        for c in range(len(classes)) if only is None else [only]:
            for k, v in zip(w, [t, leaf, c, float(np.float32(r.normal()))]):
                w[k].append(v)
    return w


def synthetic():
    modes = ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ", "BRANCH_NEQ"]
    for i, (m0, m1) in enumerate([(modes[0], modes[2]), (modes[1], modes[3]), (modes[4], modes[5])]):
        nodes, leaves = trees([m0, m1], tracks=[1, 0, 1])
        hand_built(f"modes-{m0.lower()}-{m1.lower()}", "TreeEnsembleClassifier",
                   {**nodes, **classifier_weights(leaves, "abc"), "classlabels_strings": ["a", "b", "c"],
                    "post_transform": "SOFTMAX_ZERO", "base_values": [0.1, -0.2, 0.3]}, "classification", ["a", "b", "c"])
    nodes, leaves = trees(["BRANCH_LT", "BRANCH_GTE"], tracks=[0, 1])
    for post in ["NONE", "LOGISTIC"]:
        for base in [[], [0.25], [0.25, -0.5]]:
            hand_built(f"two-columns-{post.lower()}-base{len(base)}", "TreeEnsembleClassifier",
                       {**nodes, **classifier_weights(leaves, "01"), "classlabels_int64s": [0, 1], "post_transform": post,
                        "base_values": base}, "classification", ["0", "1"])
            for only in [0, 1]:
                if only == 1 and len(base) == 2:
                    continue
                hand_built(f"one-column{only}-{post.lower()}-base{len(base)}", "TreeEnsembleClassifier",
                           {**nodes, **classifier_weights(leaves, "01", only), "classlabels_int64s": [0, 1],
                            "post_transform": post, "base_values": base}, "classification", ["0", "1"])
    positive = classifier_weights(leaves, "01", 0)
    positive["class_weights"] = [abs(w) / 2 for w in positive["class_weights"]]
    hand_built("one-column-all-positive", "TreeEnsembleClassifier",
               {**nodes, **positive, "classlabels_int64s": [0, 1], "post_transform": "NONE"}, "classification", ["0", "1"])
    for aggregate in ["SUM", "AVERAGE"]:
        r = np.random.default_rng(3)
        hand_built(f"regressor-{aggregate.lower()}-double", "TreeEnsembleRegressor",
                   {**nodes, "target_treeids": [t for t, _ in leaves], "target_nodeids": [n for _, n in leaves],
                    "target_ids": [0] * len(leaves), "target_weights": [float(np.float32(v)) for v in r.normal(size=len(leaves))],
                    "n_targets": 1, "aggregate_function": aggregate, "base_values": [0.75]}, "regression",
                   elem=TensorProto.DOUBLE)


if __name__ == "__main__":
    from_python()
    synthetic()
