"""The same layout and promises in a local directory and in S3 (the shared S3Mock server)."""
import hashlib
import json

import pytest

import scoreline


def test_register_writes_the_layout_predict_reads(cases, store):
    case = cases["onehot_pipeline"]
    spec = scoreline.register(case.model, name="churn", features=case.features, store=store.uri, sample=case.rows,
                              version="v1", **store.settings)
    data = store.read("models/churn/v1/model.onnx")
    assert hashlib.sha256(data).hexdigest() == spec["sha256"]
    assert json.loads(store.read("models/churn/v1/model.json")) == spec
    assert not store.exists("models/churn/aliases/production.json")  # no alias unless asked

    scoreline.register(case.model, name="churn", features=case.features, store=store.uri, sample=case.rows,
                       version="v2", alias="production", **store.settings)
    assert json.loads(store.read("models/churn/aliases/production.json")) == {"version": "v2"}

    with pytest.raises(scoreline.ScorelineError, match="model churn version v1 already exists .* versions are immutable"):
        scoreline.register(case.model, name="churn", features=case.features, store=store.uri, sample=case.rows,
                           version="v1", alias="production", **store.settings)
    assert json.loads(store.read("models/churn/aliases/production.json")) == {"version": "v2"}
    assert store.read("models/churn/v1/model.onnx") == data


def test_an_unreachable_s3_endpoint_is_one_line(cases, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    case = cases["logistic_regression"]
    with pytest.raises(scoreline.StoreError, match=r"^cannot read s3://bucket/p/models/m/v1/model.json: ") as refused:
        scoreline.register(case.model, name="m", version="v1", features=case.features, sample=case.rows,
                           store="s3://bucket/p", endpoint_url="http://127.0.0.1:9", region="us-east-1")
    assert "\n" not in str(refused.value)
