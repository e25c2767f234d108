"""The same layout and promises in a local directory and in S3 (the shared S3Mock server)."""

import hashlib
import http.server
import json
import threading

import pytest

import scoreline


def register_m(case, **where):
    """Registers ``case`` as model m, version v1, wherever ``where`` says: the refusals below differ only there."""
    return scoreline.register(case.model, name="m", version="v1", features=case.features, sample=case.rows, **where)


def test_register_writes_the_layout_predict_reads(cases, store):
    case = cases["onehot_pipeline"]
    spec = scoreline.register(
        case.model,
        name="churn",
        features=case.features,
        store=store.uri,
        sample=case.rows,
        version="v1",
        **store.settings,
    )
    data = store.read("models/churn/v1/model.onnx")
    assert hashlib.sha256(data).hexdigest() == spec["sha256"]
    assert json.loads(store.read("models/churn/v1/model.json")) == spec
    assert not store.exists("models/churn/aliases/production.json")  # no alias unless asked

    scoreline.register(
        case.model,
        name="churn",
        features=case.features,
        store=store.uri,
        sample=case.rows,
        version="v2",
        alias="production",
        **store.settings,
    )
    assert json.loads(store.read("models/churn/aliases/production.json")) == {"version": "v2"}

    with pytest.raises(
        scoreline.ScorelineError, match="model churn version v1 already exists .* versions are immutable"
    ):
        scoreline.register(
            case.model,
            name="churn",
            features=case.features,
            store=store.uri,
            sample=case.rows,
            version="v1",
            alias="production",
            **store.settings,
        )
    assert json.loads(store.read("models/churn/aliases/production.json")) == {"version": "v2"}
    assert store.read("models/churn/v1/model.onnx") == data


def test_an_unreachable_s3_endpoint_is_one_line(cases, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    case = cases["logistic_regression"]
    with pytest.raises(scoreline.StoreError, match=r"^cannot read s3://bucket/p/models/m/v1/model.json: ") as refused:
        register_m(case, store="s3://bucket/p", endpoint_url="http://127.0.0.1:9", region="us-east-1")
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("typo", ["s3:/bucket/p", "s3:bucket/p", "S3:/bucket/p"])
def test_an_s3_url_missing_a_slash_is_refused_not_a_local_folder(cases, tmp_path, monkeypatch, typo):
    monkeypatch.chdir(tmp_path)
    case = cases["logistic_regression"]
    with pytest.raises(scoreline.StoreError, match=rf"^store '{typo}' is not a URL: a scheme is followed by '://'"):
        register_m(case, store=typo)
    assert list(tmp_path.iterdir()) == [], "nothing written under the working directory"


def test_refused_credentials_are_one_line_that_names_what_to_check_and_never_the_secret(cases, monkeypatch):
    class Refuse(http.server.BaseHTTPRequestHandler):
        def _refuse(self):
            self.send_response(403)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_HEAD = do_GET = do_PUT = _refuse

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAWRONGKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "sl-py-secret-Wq9z")
    case = cases["logistic_regression"]
    try:
        with pytest.raises(scoreline.StoreError) as refused:
            register_m(
                case, store="s3://bucket/p", endpoint_url=f"http://127.0.0.1:{server.server_port}", region="us-east-1"
            )
    finally:
        server.shutdown()
    said = str(refused.value)
    assert said == (
        "cannot read s3://bucket/p/models/m/v1/model.json: S3 refused the request (403): check the AWS"
        " credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE or the role) and their"
        " permissions on the bucket"
    ), said
    assert "sl-py-secret" not in said


def test_an_endpoint_without_its_scheme_is_one_line(cases):
    case = cases["logistic_regression"]
    with pytest.raises(
        scoreline.StoreError,
        match=r"^cannot use S3 with endpoint_url='127.0.0.1:9000', region=None: Invalid endpoint:"
        r" 127.0.0.1:9000; an endpoint is http\(s\)://host\[:port\]$",
    ):
        register_m(case, store="s3://bucket/p", endpoint_url="127.0.0.1:9000")
