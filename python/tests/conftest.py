"""Models trained on the datasets scikit-learn ships (no downloads), one of each kind the package supports."""

import os
import uuid
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from lightgbm import LGBMClassifier
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from xgboost import XGBClassifier, XGBRegressor

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ROWS = 60  # sample rows checked by register and scored end to end


@dataclass
class Case:
    name: str
    model: object
    features: list
    rows: object  # held-out rows, as the model takes them (DataFrame or array)

    def documents(self):
        """The rows as a user's documents: {feature name: JSON value}."""
        frame = self.rows if isinstance(self.rows, pd.DataFrame) else pd.DataFrame(self.rows, columns=self.features)
        return [
            {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()} for row in frame.to_dict("records")
        ]


def _split(dataset, frame):
    data = dataset(as_frame=True)
    x = data.data if frame else data.data.to_numpy()
    x_train, x_test, y_train, _ = train_test_split(x, data.target, test_size=ROWS, random_state=7)
    return list(data.feature_names), x_train, x_test, y_train


def churn_frame(rows, seed):
    """Demo-like customers: numbers, a boolean and two string columns, with a churn label."""
    r = np.random.default_rng(seed)
    x = pd.DataFrame(
        {
            "tenure_months": r.integers(1, 73, rows),
            "monthly_charges": np.round(20 + r.random(rows) * 100, 2),
            "support_tickets": r.poisson(1.2, rows),
            "contract": r.choice(["month-to-month", "one-year", "two-year"], rows),
            "has_partner": r.random(rows) < 0.5,
            "region": r.choice(["north", "south", "east", "west"], rows),
        }
    )
    z = (
        -1.2
        + 0.9 * x.support_tickets
        - 0.05 * x.tenure_months
        + 0.02 * (x.monthly_charges - 60)
        + x.contract.map({"month-to-month": 1.4, "one-year": 0.1, "two-year": -1.2})
        + np.where(x.has_partner, -0.4, 0.3)
    )
    y = np.where(r.random(rows) < 1 / (1 + np.exp(-z)), "yes", "no")
    return x, y


def churn_pipeline():
    numbers = ["tenure_months", "monthly_charges", "support_tickets", "has_partner"]
    return Pipeline(
        [
            (
                "prepare",
                ColumnTransformer(
                    [
                        ("scale", StandardScaler(), numbers),
                        ("onehot", OneHotEncoder(handle_unknown="ignore"), ["contract", "region"]),
                    ]
                ),
            ),
            ("classify", LogisticRegression(max_iter=1000)),
        ]
    )


def _cases():
    cases = {}
    names, x, x_test, y = _split(load_breast_cancer, frame=True)
    cases["random_forest"] = Case(
        "random_forest", RandomForestClassifier(40, max_depth=8, random_state=0).fit(x, y), names, x_test
    )
    names, x, x_test, y = _split(load_iris, frame=True)
    cases["sklearn_gradient_boosting"] = Case(
        "sklearn_gradient_boosting",
        GradientBoostingClassifier(n_estimators=50, random_state=0).fit(x, y),
        names,
        x_test,
    )
    names, x, x_test, y = _split(load_wine, frame=False)
    cases["xgboost"] = Case(
        "xgboost", XGBClassifier(n_estimators=40, max_depth=4, random_state=0).fit(x, y), names, x_test
    )
    names, x, x_test, y = _split(load_breast_cancer, frame=False)
    cases["lightgbm"] = Case(
        "lightgbm", LGBMClassifier(n_estimators=40, random_state=0, verbose=-1).fit(x, y), names, x_test
    )
    names, x, x_test, y = _split(load_wine, frame=True)
    cases["logistic_regression"] = Case(
        "logistic_regression",
        make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(x, y),
        names,
        x_test,
    )
    x, y = churn_frame(2000, seed=3)
    cases["onehot_pipeline"] = Case(
        "onehot_pipeline", churn_pipeline().fit(x, y), list(x.columns), churn_frame(ROWS, seed=4)[0]
    )
    names, x, x_test, y = _split(load_diabetes, frame=True)
    cases["random_forest_regressor"] = Case(
        "random_forest_regressor", RandomForestRegressor(40, max_depth=8, random_state=0).fit(x, y), names, x_test
    )
    names, x, x_test, y = _split(load_diabetes, frame=False)
    cases["xgboost_regressor"] = Case(
        "xgboost_regressor", XGBRegressor(n_estimators=40, random_state=0).fit(x, y), names, x_test
    )
    return cases


CASES = sorted(
    [
        "random_forest",
        "sklearn_gradient_boosting",
        "xgboost",
        "lightgbm",
        "logistic_regression",
        "onehot_pipeline",
        "random_forest_regressor",
        "xgboost_regressor",
    ]
)


@pytest.fixture(scope="session")
def cases():
    return _cases()


def expected(case):
    """What the Python model itself says about each row: (labels, probabilities by class) or (values, None)."""
    model = case.model
    if hasattr(model, "predict_proba"):
        return [str(v) for v in model.predict(case.rows)], model.predict_proba(case.rows)
    return model.predict(case.rows), None


class LocalStore:
    def __init__(self, tmp_path):
        self.root = tmp_path / "store"
        self.uri, self.args, self.env, self.settings = str(self.root), [], {}, {}

    def read(self, key):
        return (self.root / key).read_bytes()

    def exists(self, key):
        return (self.root / key).is_file()


class S3Store:
    def __init__(self):
        import boto3

        endpoint = os.environ["SCORELINE_IT_S3_ENDPOINT"]
        self.bucket, self.prefix = (
            os.environ.get("SCORELINE_IT_S3_BUCKET", "scoreline-it"),
            f"python-e2e/{uuid.uuid4().hex}",
        )
        self.uri = f"s3://{self.bucket}/{self.prefix}"
        self.args = ["--s3-endpoint", endpoint, "--s3-path-style"]
        # S3Mock accepts any credentials; the jars and boto3 both read them from the environment
        self.env = {"AWS_ACCESS_KEY_ID": "python-e2e", "AWS_SECRET_ACCESS_KEY": "python-e2e", "AWS_REGION": "us-east-1"}
        self.settings = {"endpoint_url": endpoint, "region": "us-east-1"}
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="python-e2e",
            aws_secret_access_key="python-e2e",
        )
        try:
            self.client.create_bucket(Bucket=self.bucket)
        except self.client.exceptions.ClientError:
            pass  # already there

    def read(self, key):
        return self.client.get_object(Bucket=self.bucket, Key=f"{self.prefix}/{key}")["Body"].read()

    def exists(self, key):
        try:
            self.client.head_object(Bucket=self.bucket, Key=f"{self.prefix}/{key}")
            return True
        except self.client.exceptions.ClientError as e:
            if e.response["Error"]["Code"] in ("404", "NoSuchKey"):
                return False
            raise  # a server or credentials problem is not "absent"


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path, monkeypatch):
    if request.param == "local":
        return LocalStore(tmp_path)
    if not os.environ.get("SCORELINE_IT_S3_ENDPOINT"):
        pytest.skip("SCORELINE_IT_S3_ENDPOINT is not set: source testenv/run/env.sh (make test does)")
    s3 = S3Store()
    for key, value in s3.env.items():
        monkeypatch.setenv(key, value)
    return s3
