"""register() into a local store: conversion, parity, refusal, model.json, the store layout."""

import hashlib
import json
import os

import numpy as np
import onnxruntime
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.cluster import KMeans

import scoreline
from conftest import CASES, REPO, expected
from scoreline import parity
from scoreline.convert import convert, feeds
from scoreline.features import describe

SCHEMA = os.path.join(REPO, "docs", "model.schema.json")


def register(case, store, **kwargs):
    args = dict(name=case.name, features=case.features, store=str(store), sample=case.rows, version="v1")
    return scoreline.register(case.model, **{**args, **kwargs})


def files(root):
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)


@pytest.mark.parametrize("name", CASES)
def test_registers_every_supported_kind_with_its_parity(cases, name, tmp_path):
    case = cases[name]
    spec = register(case, tmp_path)

    assert files(tmp_path) == [f"models/{name}/v1/model.json", f"models/{name}/v1/model.onnx"]
    data = (tmp_path / "models" / name / "v1" / "model.onnx").read_bytes()
    assert json.loads((tmp_path / "models" / name / "v1" / "model.json").read_text()) == spec
    assert spec["sha256"] == hashlib.sha256(data).hexdigest() and spec["size"] == len(data)
    assert [f["name"] for f in spec["features"]] == list(case.features)
    assert spec["training"]["parity"]["rows"] == len(case.rows)
    assert spec["training"]["parity"]["max_diff"] <= 1e-5

    # the stored bytes, fed as model.json's "onnx" section says, give the Python model's answers
    session = onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"])
    outputs = spec["onnx"]["outputs"]
    labels, probabilities = expected(case)
    if probabilities is not None:
        assert spec["task"] == "classification"
        label, proba = session.run(
            [outputs["label"], outputs["probabilities"]], feeds(spec["onnx"]["inputs"], spec["features"], case.rows)
        )
        assert [str(v) for v in np.ravel(label)] == labels
        assert set(labels) <= set(spec["classes"])
        assert np.max(np.abs(proba - probabilities)) <= 1e-5
    else:
        assert spec["task"] == "regression" and "classes" not in spec
        (value,) = session.run([outputs["value"]], feeds(spec["onnx"]["inputs"], spec["features"], case.rows))
        assert np.max(np.abs(np.ravel(value) - labels) / np.maximum(1, np.abs(labels))) <= 1e-5


def test_model_json_follows_the_contract(cases, tmp_path):
    spec = register(cases["onehot_pipeline"], tmp_path, alias="production", target="churned")
    assert spec["schema_version"] == 1 and spec["format"] == "onnx" and spec["file"] == "model.onnx"
    assert spec["target"] == "churned" and spec["classes"] == ["no", "yes"]
    assert (
        spec["algorithm"]
        == "sklearn.pipeline.Pipeline(sklearn.compose.ColumnTransformer, sklearn.linear_model.LogisticRegression)"
    )
    assert spec["created_at"].endswith("Z") and len(spec["created_at"]) == 20
    assert {f["name"]: f["type"] for f in spec["features"]} == {
        "tenure_months": "number",
        "monthly_charges": "number",
        "support_tickets": "number",
        "contract": "category",
        "has_partner": "boolean",
        "region": "category",
    }
    assert next(f for f in spec["features"] if f["name"] == "contract")["levels"] == [
        "month-to-month",
        "one-year",
        "two-year",
    ]
    # string columns need one ONNX input per feature; each names its feature
    assert [(i["name"], i["elem_type"], i["features"]) for i in spec["onnx"]["inputs"]][3] == (
        "contract",
        "string",
        ["contract"],
    )
    assert spec["training"]["library"] == "scikit-learn" and spec["training"]["converter"].startswith("skl2onnx ")
    import jsonschema

    jsonschema.validate(spec, json.load(open(SCHEMA)))


def test_numbers_are_one_tensor_of_the_first_precision_that_keeps_parity(cases, tmp_path):
    spec = register(cases["logistic_regression"], tmp_path)
    assert spec["onnx"]["inputs"] == [
        {"name": "input", "elem_type": "double", "features": cases["logistic_regression"].features}
    ]
    # scikit-learn's trees compare float32 features: in double, a row on a split's edge goes the other way
    assert register(cases["random_forest"], tmp_path)["onnx"]["inputs"][0]["elem_type"] == "float"
    assert register(cases["xgboost"], tmp_path)["onnx"]["inputs"][0]["elem_type"] == "float"


def test_alias_only_when_asked(cases, tmp_path):
    case = cases["logistic_regression"]
    register(case, tmp_path, version="v1")
    assert not (tmp_path / "models" / case.name / "aliases").exists()
    register(case, tmp_path, version="v2", alias="production")
    alias = tmp_path / "models" / case.name / "aliases" / "production.json"
    assert json.loads(alias.read_text()) == {"version": "v2"}


def test_versions_are_immutable(cases, tmp_path):
    case = cases["logistic_regression"]
    register(case, tmp_path)
    before = (tmp_path / "models" / case.name / "v1" / "model.json").read_bytes()
    with pytest.raises(
        scoreline.ScorelineError, match=r"model logistic_regression version v1 already exists .*immutable"
    ):
        register(cases["random_forest"], tmp_path, name=case.name, features=cases["random_forest"].features)
    assert (tmp_path / "models" / case.name / "v1" / "model.json").read_bytes() == before


def test_default_version_is_the_utc_time(cases, tmp_path):
    spec = register(cases["logistic_regression"], tmp_path, version=None)
    assert spec["version"] == spec["created_at"][:19].replace("-", "").replace(":", "").replace("T", "-")


def test_a_conversion_beyond_the_tolerance_is_refused_and_nothing_is_written(cases, tmp_path):
    # float32 trees cannot equal LightGBM's float64 probabilities to the last bit, so a zero tolerance refuses them
    with pytest.raises(scoreline.ParityError) as refused:
        register(cases["lightgbm"], tmp_path, tolerance=0.0)
    message = str(refused.value)
    assert "differs from the original by" in message and "on sample row" in message and "tolerance 0" in message
    assert "\n" not in message
    assert files(tmp_path) == []


class _FlippedLabels:
    """A model whose predict() disagrees with its own probabilities: parity must see the label mismatch."""

    def __init__(self, model):
        self.model = model

    def predict_proba(self, x):
        return self.model.predict_proba(x)

    def predict(self, x):
        return self.model.classes_[(np.argmax(self.model.predict_proba(x), axis=1) + 1) % len(self.model.classes_)]


def test_a_label_mismatch_is_refused(cases):
    case = cases["logistic_regression"]
    features = describe(case.features, case.rows)
    converted = convert(case.model, features, "double")
    with pytest.raises(
        scoreline.ParityError, match=r"predicts class '\d' on sample row \d+ where the original predicts '\d'"
    ):
        parity.check(_FlippedLabels(case.model), converted, features, case.rows, 1e-5)


def test_a_model_the_converters_do_not_know_is_refused_in_one_line(cases, tmp_path):
    class Handmade(ClassifierMixin, BaseEstimator):
        def fit(self, x, y):
            self.classes_ = np.unique(y)
            return self

        def predict(self, x):
            return np.repeat(self.classes_[0], len(x))

    case = cases["random_forest"]
    with pytest.raises(
        scoreline.ConversionError,
        match=r"^cannot convert .*Handmade to ONNX: skl2onnx and onnxmltools have no converter for a step of it",
    ) as refused:
        scoreline.register(
            Handmade().fit(case.rows, np.arange(len(case.rows)) % 2),
            name="handmade",
            features=case.features,
            store=str(tmp_path),
            sample=case.rows,
        )
    assert "\n" not in str(refused.value)
    with pytest.raises(scoreline.ConversionError, match="neither a classifier nor a regressor"):
        scoreline.register(
            KMeans(2, n_init=1).fit(case.rows), name="k", features=case.features, store=str(tmp_path), sample=case.rows
        )
    assert files(tmp_path) == []


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(name="churn/v1"), r"name 'churn/v1' is not allowed"),
        (dict(alias="../prod"), r"alias '../prod' is not allowed"),
        (dict(features=["mean radius", "nope"]), r"feature 'nope' is not a column of the sample"),
        (dict(features=[{"name": "mean radius", "type": "text"}]), r"feature 'mean radius' has type 'text'"),
        (dict(store="ftp://host/dir"), r"store 'ftp://host/dir' is neither s3://bucket/prefix nor file:///dir"),
        (dict(tolerance=-1), r"tolerance -1 is not a number >= 0"),
    ],
)
def test_bad_arguments_are_refused_in_the_users_terms(cases, tmp_path, kwargs, message):
    store = kwargs.pop("store", tmp_path)
    with pytest.raises(scoreline.ScorelineError, match=message):
        register(cases["random_forest"], store, **kwargs)
    assert files(tmp_path) == []


@pytest.mark.parametrize(
    "features, message",
    [
        (lambda f: f[:-1], r"^features do not match the columns the model was trained on: it lacks 'region'$"),
        (lambda f: f[:-1] + ["regoin"], r"^feature 'regoin' is not a column of the sample$"),
        (lambda f: f + ["contract_code"], r"the model was not trained on 'contract_code'$"),
        (
            lambda f: f[::-1],
            r"^features are not in the order the model was trained in: tenure_months, monthly_charges, ",
        ),
    ],
)
def test_features_that_are_not_the_training_columns_are_refused_before_conversion(cases, tmp_path, features, message):
    case = cases["onehot_pipeline"]
    sample = case.rows.assign(contract_code=1)
    with pytest.raises(scoreline.ScorelineError, match=message) as refused:
        register(case, tmp_path, features=features(case.features), sample=sample)
    assert not isinstance(refused.value, scoreline.ConversionError), "the user's list is wrong, not the converter"
    assert files(tmp_path) == []


def test_features_may_be_the_frames_columns_as_they_are_but_not_one_name(cases, tmp_path):
    case = cases["onehot_pipeline"]
    spec = register(case, tmp_path, features=case.rows.columns)  # a pandas Index, as X.columns gives it
    assert [f["name"] for f in spec["features"]] == list(case.rows.columns)
    with pytest.raises(
        scoreline.ScorelineError, match=r"^features must be a list of the model's input columns, e.g. list\(X.columns\)"
    ):
        register(case, tmp_path, features="tenure_months", version="v2")


def test_an_unfitted_model_is_refused_in_one_line(cases, tmp_path):
    case = cases["random_forest"]
    with pytest.raises(
        scoreline.ScorelineError, match=r"^the RandomForestClassifier is not fitted: call fit\(X, y\) before"
    ):
        scoreline.register(type(case.model)(), name="rf", features=case.features, store=str(tmp_path), sample=case.rows)
    assert files(tmp_path) == []


def test_an_empty_sample_is_refused(cases, tmp_path):
    with pytest.raises(scoreline.ScorelineError, match="sample is empty"):
        register(cases["random_forest"], tmp_path, sample=cases["random_forest"].rows.iloc[:0])


def test_a_file_url_store_is_the_same_directory(cases, tmp_path):
    register(cases["logistic_regression"], "file://" + str(tmp_path))
    assert files(tmp_path) == ["models/logistic_regression/v1/model.json", "models/logistic_regression/v1/model.onnx"]


def test_declared_levels_and_defaults_are_kept(cases, tmp_path):
    case = cases["onehot_pipeline"]
    features = [
        f
        if f != "region"
        else {"name": "region", "levels": ["east", "north", "south", "west", "central"], "default": "north"}
        for f in case.features
    ]
    spec = register(case, tmp_path, features=features)
    region = next(f for f in spec["features"] if f["name"] == "region")
    assert region == {
        "name": "region",
        "type": "category",
        "levels": ["east", "north", "south", "west", "central"],
        "default": "north",
    }
    with pytest.raises(
        scoreline.ScorelineError,
        match=r"feature 'region' has values \['east', 'north', 'south'\] in the sample that are not in its levels",
    ):
        register(
            case,
            tmp_path,
            version="v2",
            features=[f if f != "region" else {"name": "region", "levels": ["west"]} for f in case.features],
        )


def test_a_model_json_outside_the_schema_is_refused():
    from scoreline.register import validate

    with pytest.raises(
        scoreline.ScorelineError, match="model.json would be invalid at the top level: 'format' is a required property"
    ):
        validate({"schema_version": 1})
