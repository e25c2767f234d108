"""As a user would: register from Python into a local store and into S3, run fetch -> predict -> publish with the
real jars (java -jar dist/*.jar) on an NDJSON source, and compare the published predictions with the Python model's."""

import gzip
import json
import os
import subprocess

import numpy as np
import pytest

import scoreline
from conftest import CASES, REPO, expected

TOLERANCE = 1e-5
END = "2026-01-02T00:00:00Z"
# tree ensembles are scored by predict's flattened trees, everything else by ONNX Runtime (predict logs which)
TREES = {
    "random_forest",
    "sklearn_gradient_boosting",
    "xgboost",
    "lightgbm",
    "random_forest_regressor",
    "xgboost_regressor",
}


@pytest.fixture(scope="session")
def java():
    for jar in ("fetch", "predict", "publish"):
        if not os.path.exists(os.path.join(REPO, "dist", jar + ".jar")):
            pytest.fail(f"dist/{jar}.jar is missing: run scripts/build.sh first")
    home = subprocess.run([os.path.join(REPO, "scripts", "find-java.sh")], capture_output=True, text=True, check=True)
    return os.path.join(home.stdout.strip(), "bin", "java")


@pytest.mark.parametrize("name", CASES)
def test_predict_jar_publishes_the_python_models_answers(cases, name, store, java, tmp_path):
    case = cases[name]
    scoreline.register(
        case.model,
        name=name,
        features=case.features,
        store=store.uri,
        sample=case.rows,
        version="v1",
        alias="production",
        **store.settings,
    )
    source = tmp_path / "documents.ndjson"
    ids = [f"row-{i:04d}" for i in range(len(case.rows))]
    with open(source, "w") as out:
        for id_, document in zip(ids, case.documents(), strict=True):
            out.write(json.dumps({"id": id_, "updated_at": "2026-01-01T00:00:00Z", **document}) + "\n")

    def job(jar, *args):
        return subprocess.run(
            [
                java,
                "-jar",
                os.path.join(REPO, "dist", jar + ".jar"),
                "--store",
                store.uri,
                *store.args,
                "--run-id",
                "python-e2e",
                *args,
            ],
            capture_output=True,
            text=True,
            env={**os.environ, **store.env},
        )

    fetched = job("fetch", "--source", str(source), "--data-interval-end", END)
    assert fetched.returncode == 0, fetched.stderr
    predicted = job("predict", "--model", name)
    assert predicted.returncode == 0, predicted.stderr
    scorer = "with fast trees (ONNX TreeEnsemble" if name in TREES else "with ONNX Runtime"
    assert scorer in predicted.stderr, predicted.stderr
    published = job("publish")
    assert published.returncode == 0, published.stderr

    records = [json.loads(line) for line in gzip.decompress(store.read("latest/predictions.ndjson.gz")).splitlines()]
    by_id = {r["id"]: r for r in records}
    assert sorted(by_id) == ids, "every document is scored, none rejected"
    labels, probabilities = expected(case)
    for row, id_ in enumerate(ids):
        record = by_id[id_]
        assert record["model"] == name and record["model_version"] == "v1"
        if probabilities is not None:
            assert record["prediction"] == labels[row], f"row {row}"
            got = [record["probabilities"][c] for c in (str(c) for c in case.model.classes_)]
            assert np.max(np.abs(np.array(got) - probabilities[row])) <= TOLERANCE, (
                f"row {row}: {got} vs {probabilities[row]}"
            )
        else:
            value = labels[row]
            assert abs(record["prediction"] - value) <= TOLERANCE * max(1.0, abs(value)), f"row {row}"
