"""What the end-to-end scenarios share: the jars under test, the store (a temporary directory or
an S3 prefix), a registered model, the DAG settings pointing at them, and ``run_dag``.

A scenario module builds one :class:`Pipeline` in a module-scoped fixture inside
:func:`settings_restored`, then runs the real DAGs with ``run_dag``.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import hmac
import json
import logging
import os
import random
import socket
import subprocess
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import REPO, Receiver

JARS = Path(os.environ.get("SCORELINE_IT_JAR_DIR") or REPO / "dist")  # the jars under test
RETRIES = 2
needs_jars = pytest.mark.skipif(
    not all((JARS / f"{job}.jar").is_file() for job in ("fetch", "predict", "publish")),
    reason=f"{JARS}/fetch.jar, predict.jar, publish.jar are missing: build them first (scripts/build.sh)",
)
# What the scenarios set in os.environ for Airflow (Variable, Connections, retry timing).
ENV_SET_HERE = (
    "SCORELINE_DAG_RETRIES",
    "SCORELINE_DAG_RETRY_DELAY_SECONDS",
    "AIRFLOW_VAR_SCORELINE_CONFIG",
    "AIRFLOW_CONN_SCORELINE_ALERTS",
    "AIRFLOW_CONN_SCORELINE_SLACK",
    "AIRFLOW_CONN_SCORELINE_ES",
)


def java() -> str:
    home = subprocess.run([str(REPO / "scripts" / "find-java.sh")], capture_output=True, text=True)
    if home.returncode != 0:
        pytest.skip(f"no Java 21+: {home.stderr.strip()}")
    return str(Path(home.stdout.strip()) / "bin" / "java")


# ----------------------------------------------------------------------------- the store


@dataclass
class Store:
    uri: str
    env: dict[str, str]
    path: Path | None  # the file store's directory; None for S3

    def read(self, key: str) -> bytes:
        """One object, e.g. latest/predictions.ndjson.gz."""
        if self.path is not None:
            return (self.path / key).read_bytes()
        bucket, prefix = self.uri.removeprefix("s3://").split("/", 1)
        return s3_request(self.env, "GET", bucket, f"{prefix}/{key}")

    def write(self, key: str, body: bytes) -> None:
        """Overwrites one object behind the jars' back, as a damaged store would."""
        if self.path is not None:
            (self.path / key).write_bytes(body)
            return
        bucket, prefix = self.uri.removeprefix("s3://").split("/", 1)
        s3_request(self.env, "PUT", bucket, f"{prefix}/{key}", body)

    def records(self, key: str) -> list[dict]:
        return [json.loads(line) for line in gzip.decompress(self.read(key)).splitlines()]


def store_under_test(tmp: Path) -> Store:
    endpoint = os.environ.get("SCORELINE_IT_S3_ENDPOINT")
    if not endpoint:
        return Store((tmp / "store").as_uri(), {}, tmp / "store")
    bucket = os.environ.get("SCORELINE_IT_S3_BUCKET", "scoreline-it")
    env = {
        "SCORELINE_S3_ENDPOINT": endpoint,
        "SCORELINE_S3_PATH_STYLE": "true",
        "SCORELINE_S3_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "scoreline-it"),
        "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", "scoreline-it-secret"),
    }
    return Store(f"s3://{bucket}/dag-it-{uuid.uuid4()}", env, None)


def s3_request(env: dict[str, str], method: str, bucket: str, key: str, body: bytes = b"") -> bytes:
    """A path-style GET or PUT signed with AWS Signature V4: the test reads (and damages) what the
    jars wrote without an S3 library in the Airflow venv."""
    endpoint = env["SCORELINE_S3_ENDPOINT"].rstrip("/")
    path = "/" + urllib.parse.quote(f"{bucket}/{key}", safe="/-_.~")
    headers = {
        "host": urllib.parse.urlsplit(endpoint).netloc,
        "x-amz-content-sha256": hashlib.sha256(body).hexdigest(),
        "x-amz-date": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
    }
    credentials = (env[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"))
    headers["authorization"] = sigv4_authorization(
        method, path, headers, env["SCORELINE_S3_REGION"], *credentials
    )
    request = urllib.request.Request(
        endpoint + path, data=body if method == "PUT" else None, headers=headers, method=method
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def sigv4_authorization(
    method: str, path: str, headers: dict[str, str], region: str, access_key: str, secret: str
) -> str:
    """The Authorization header of a request without query string (AWS SigV4, service s3); the
    payload's sha256 is in the x-amz-content-sha256 header."""
    names = sorted(headers)
    canonical_headers = [f"{n}:{headers[n].strip()}" for n in names]
    payload_hash = headers["x-amz-content-sha256"]
    canonical = "\n".join([method, path, "", *canonical_headers, "", ";".join(names), payload_hash])
    day = headers["x-amz-date"][:8]
    scope = f"{day}/{region}/s3/aws4_request"
    to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256",
            headers["x-amz-date"],
            scope,
            hashlib.sha256(canonical.encode()).hexdigest(),
        ]
    )
    key = ("AWS4" + secret).encode()
    for part in (day, region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, "
        f"SignedHeaders={';'.join(names)}, Signature={signature}"
    )


# ----------------------------------------------------------------------------- the pipeline


@dataclass
class Pipeline:
    java: str
    store: Store
    model_dir: Path
    receiver: Receiver
    source: Path | None = None  # the file source's NDJSON, when the scenario reads files
    config: dict = field(default_factory=dict)

    def jar(self, job: str, *args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, **self.store.env, "SCORELINE_STORE": self.store.uri}
        return subprocess.run(
            [self.java, "-jar", str(JARS / f"{job}.jar"), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def latest(self) -> dict:
        status = self.jar("publish", "status")
        assert status.returncode == 0, status.stderr
        return json.loads(status.stdout)

    def set_config(self, **changes) -> None:
        self.config.update(changes)
        os.environ["AIRFLOW_VAR_SCORELINE_CONFIG"] = json.dumps(self.config)


@contextmanager
def settings_restored() -> Iterator[None]:
    """Starts a scenario without, and ends it restoring, the caller's ENV_SET_HERE."""
    with pytest.MonkeyPatch.context() as mp:
        for key in ENV_SET_HERE:
            mp.delenv(key, raising=False)
        yield


def make_pipeline(
    tmp: Path, source_file: Path | None = None, file_store: bool = False, **settings
) -> Pipeline:
    """A store holding the trained "churn" model (alias production), and the DAG settings for it:
    alerts to a local receiver (Connections scoreline_alerts: JSON, scoreline_slack: Slack),
    retries every second. ``settings`` are further keys of the Variable scoreline_config.
    ``file_store``: a temporary directory even when SCORELINE_IT_S3_ENDPOINT is set."""
    os.environ["SCORELINE_DAG_RETRIES"] = str(RETRIES)
    os.environ["SCORELINE_DAG_RETRY_DELAY_SECONDS"] = "1"
    store = Store((tmp / "store").as_uri(), {}, tmp / "store") if file_store else None
    p = Pipeline(java(), store or store_under_test(tmp), tmp / "model", Receiver(), source_file)
    write_training_csv(tmp / "training.csv", 400, seed=7)
    for args in (
        ["train", "--data", str(tmp / "training.csv"), "--target", "churned", "--trees", "10"]
        + ["--out", str(p.model_dir)],
        ["register", "--model-dir", str(p.model_dir), "--model", "churn", "--model-version", "v1"]
        + ["--alias", "production"],
    ):
        done = p.jar("predict", *args)
        assert done.returncode == 0, done.stderr
    p.set_config(
        java=p.java,
        # C1 only and the serial GC: these short JVMs start about 40% faster on a busy machine.
        java_opts="-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
        jar_dir=str(JARS),
        store=p.store.uri,
        model="churn",
        job_env=p.store.env,
        **settings,
    )
    os.environ["AIRFLOW_CONN_SCORELINE_ALERTS"] = json.dumps(
        {"conn_type": "http", "password": p.receiver.url("/hooks/json")}
    )
    os.environ["AIRFLOW_CONN_SCORELINE_SLACK"] = json.dumps(
        {"conn_type": "slackwebhook", "password": p.receiver.url("/hooks/slack")}
    )
    return p


def write_training_csv(path: Path, rows: int, seed: int) -> None:
    rnd = random.Random(seed)
    with path.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(
            [
                "tenure_months",
                "monthly_charges",
                "support_tickets",
                "contract",
                "has_partner",
                "region",
                "churned",
            ]
        )
        for _ in range(rows):
            tenure, tickets = rnd.randint(1, 72), rnd.randint(0, 6)
            churned = int(tenure < 12 and tickets >= 2 or rnd.random() < 0.05)
            contract = rnd.choice(["month-to-month", "one-year", "two-year"])
            out.writerow(
                [
                    tenure,
                    round(rnd.uniform(20, 120), 1),
                    tickets,
                    contract,
                    rnd.random() < 0.5,
                    rnd.choice(["north", "south"]),
                    churned,
                ]
            )


def customer(i: int, updated_at: datetime) -> dict:
    """Document number i, with the features the model was trained on."""
    return {
        "id": f"cust-{i:05d}",
        "updated_at": updated_at.isoformat(),
        "tenure_months": 1 + i % 70,
        "monthly_charges": 20.0 + i % 80,
        "support_tickets": i % 5,
        "contract": "month-to-month",
        "has_partner": i % 2 == 0,
        "region": "north",
    }


# ----------------------------------------------------------------------------- Elasticsearch

ES_SCRIPTS = REPO / "testenv" / "elasticsearch"


@dataclass
class EsNode:
    work: Path
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        done = subprocess.run(
            [str(ES_SCRIPTS / "start.sh"), "9", str(self.port), str(self.work)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"Elasticsearch did not start:\n{done.stderr[-3000:]}"
        assert done.stdout.strip() == self.url

    def stop(self) -> None:
        done = subprocess.run(
            [str(ES_SCRIPTS / "stop.sh"), str(self.work)], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr

    def request(self, method: str, path: str, body: str | None = None, ndjson=False) -> dict:
        return es_request(self.url, method, path, body, ndjson)


def es_request(url: str, method: str, path: str, body: str | None = None, ndjson=False) -> dict:
    kind = "application/x-ndjson" if ndjson else "application/json"
    request = urllib.request.Request(
        url + path,
        data=None if body is None else body.encode(),
        headers={"Content-Type": kind},
        method=method,
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ----------------------------------------------------------------------------- DAG runs


@dataclass
class Run:
    run_id: str
    state: str
    tis: dict[str, dict]
    tries: dict[str, int]  # archived earlier tries per task (task_instance_history)
    alerts: list[tuple[str, dict]]
    seconds: float
    alert_log: list[str]  # what scoreline.alerts logged during the run, e.g. a suppressed alert
    log: list[str] = field(default_factory=list)  # every log record of the run's tasks


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def run_dag(dag, receiver: Receiver, **test_args) -> Run:
    """One ``dag.test(**test_args)``, e.g. run_conf={...}, or logical_date=... to run an earlier
    run's id again (dag.test replaces the run of that logical date: the jobs see what clearing its
    tasks gives them, the same --run-id)."""
    before = len(receiver.messages)
    recorder, alerts_log = Recorder(), logging.getLogger("scoreline.alerts")
    everything = Recorder()
    alerts_log.addHandler(recorder)
    logging.getLogger().addHandler(everything)
    started = time.monotonic()
    try:
        dr = dag.test(**test_args)
    finally:
        alerts_log.removeHandler(recorder)
        logging.getLogger().removeHandler(everything)
    seconds = time.monotonic() - started
    print(f"dag.test() {dag.dag_id} {dr.run_id}: {dr.state} in {seconds:.1f}s")
    tis, tries = task_instances(dag.dag_id, dr.run_id)
    state = str(getattr(dr.state, "value", dr.state))
    return Run(
        dr.run_id,
        state,
        tis,
        tries,
        receiver.messages[before:],
        seconds,
        recorder.lines,
        everything.lines,
    )


def task_instances(dag_id: str, run_id: str) -> tuple[dict[str, dict], dict[str, int]]:
    """A run's task instances by name (see instance_names), and how many earlier tries each has."""
    from airflow.models.taskinstance import TaskInstance
    from airflow.models.taskinstancehistory import TaskInstanceHistory
    from airflow.utils.session import create_session
    from sqlalchemy import func, select

    with create_session() as session:
        found = list(
            session.scalars(
                select(TaskInstance).where(
                    TaskInstance.dag_id == dag_id, TaskInstance.run_id == run_id
                )
            )
        )
        name = instance_names((ti.task_id, ti.map_index) for ti in found)
        tis = {
            name[ti.task_id, ti.map_index]: {
                "state": str(getattr(ti.state, "value", ti.state)),
                "try_number": ti.try_number,
                "max_tries": ti.max_tries,
                "hostname": ti.hostname,
                "pid": ti.pid,
                "label": ti.rendered_map_index,  # the grid's name of a mapped instance
                "start_date": ti.start_date,
                "end_date": ti.end_date,
            }
            for ti in found
        }
        tries = {
            name[task_id, map_index]: count
            for task_id, map_index, count in session.execute(
                select(TaskInstanceHistory.task_id, TaskInstanceHistory.map_index, func.count())
                .where(
                    TaskInstanceHistory.dag_id == dag_id,
                    TaskInstanceHistory.run_id == run_id,
                )
                .group_by(TaskInstanceHistory.task_id, TaskInstanceHistory.map_index)
            ).all()
        }
    return tis, tries


def instance_names(instances) -> dict[tuple[str, int], str]:
    """A task instance's name in Run.tis: the task id, or "fetch[1]" for one of several mapped
    instances (a task mapped over one partition is just "fetch", as before the DAG fanned out)."""
    instances = list(instances)
    count: dict[str, int] = {}
    for task_id, _ in instances:
        count[task_id] = count.get(task_id, 0) + 1
    return {
        (task_id, i): task_id if count[task_id] == 1 else f"{task_id}[{i}]"
        for task_id, i in instances
    }


def xcom(dag_id: str, run_id: str, task_id: str, key: str = "return_value"):
    """What a task of a finished run left in XCom (None: nothing)."""
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        value = session.scalar(
            select(XComModel.value).where(
                XComModel.dag_id == dag_id,
                XComModel.run_id == run_id,
                XComModel.task_id == task_id,
                XComModel.key == key,
            )
        )
    return None if value is None else json.loads(value) if isinstance(value, str) else value


def states(run: Run) -> dict[str, str]:
    return {task: ti["state"] for task, ti in run.tis.items()}


def forget_runs(dag_id: str) -> None:
    """Deletes the DAG's earlier runs and its alert state (another scenario's, in this session's
    DB): the "recovered" message and the repeat suppression depend on the previous run and on
    the Variable scoreline_alert_state__<dag_id>, which must be this scenario's own."""
    from airflow.models.dagrun import DagRun
    from airflow.models.variable import Variable
    from airflow.utils.session import create_session
    from sqlalchemy import delete

    from scoreline import repeats

    with create_session() as session:
        session.execute(delete(DagRun).where(DagRun.dag_id == dag_id))
        session.execute(delete(Variable).where(Variable.key == repeats.variable(dag_id)))


def load_dags(*dag_ids: str) -> list:
    """The DAGs as the dag processor parses them from dags/ (dag.test() runs bundle DAGs only)."""
    from airflow.dag_processing.dagbag import BundleDagBag

    from conftest import DAGS

    bag = BundleDagBag(dag_folder=str(DAGS), bundle_path=DAGS, bundle_name="dags-folder")
    assert not bag.import_errors, bag.import_errors
    return [bag.get_dag(dag_id) for dag_id in dag_ids]


# ----------------------------------------------------------------------------- the UI

# What the UI's Clear dialog sends for one task instance, with its default options.
CLEAR_DIALOG = {
    "dry_run": False,
    "include_downstream": True,
    "include_upstream": False,
    "include_past": False,
    "include_future": False,
    "only_failed": False,
    "run_on_latest_version": False,
}


class Ui:
    """The requests the Airflow UI makes about one DAG, to the api-server's app in this process
    (FastAPI's TestClient), as a logged-in admin."""

    def __init__(self, dag_id: str, user: str = "oncall") -> None:
        from airflow.api_fastapi.app import create_app, get_auth_manager
        from airflow.api_fastapi.auth.managers.simple.user import SimpleAuthManagerUser
        from fastapi.testclient import TestClient

        self.dag_id = dag_id
        self.http = TestClient(create_app("core"))
        admin = SimpleAuthManagerUser(username=user, role="admin")
        self.http.headers["Authorization"] = f"Bearer {get_auth_manager().generate_jwt(admin)}"

    def trigger(self, logical_date: datetime, conf: dict) -> str:
        body = {"logical_date": logical_date.isoformat(), "conf": conf}
        return self.call("POST", f"/dags/{self.dag_id}/dagRuns", body)["dag_run_id"]

    def clear(self, run_id: str, task_id: str, map_index: int = -1) -> list[tuple[str, int]]:
        """Clear on one task instance, the dialog's defaults (Downstream): the UI names it by
        task id and map index (-1: not mapped). Returns what was cleared, sorted."""
        body = {**CLEAR_DIALOG, "dag_run_id": run_id, "task_ids": [[task_id, map_index]]}
        cleared = self.call("POST", f"/dags/{self.dag_id}/clearTaskInstances", body)
        return sorted((ti["task_id"], ti["map_index"]) for ti in cleared["task_instances"])

    def task(self, run_id: str, task_id: str, map_index: int = -1) -> dict:
        """The task instance as the UI shows it."""
        instance = task_id if map_index < 0 else f"{task_id}/{map_index}"
        return self.call("GET", f"{self.run_path(run_id)}/taskInstances/{instance}")

    def log(self, run_id: str, task_id: str, try_number: int, map_index: int = -1) -> list[str]:
        """The log pane's lines: each record's event, and under an error its exceptions
        ("AirflowFailException: ...", as the pane prints them above their frames)."""
        path = f"{self.run_path(run_id)}/taskInstances/{task_id}/logs/{try_number}"
        if map_index >= 0:
            path += f"?map_index={map_index}"
        lines = []
        for record in self.call("GET", path)["content"]:
            lines.append(str(record.get("event", "")))
            lines += [f"{e['exc_type']}: {e['exc_value']}" for e in record.get("error_detail", [])]
        return lines

    def run_path(self, run_id: str) -> str:
        return f"/dags/{self.dag_id}/dagRuns/{urllib.parse.quote(run_id, safe='')}"

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        response = self.http.request(method, "/api/v2" + path, json=body)
        assert response.status_code == 200, (method, path, response.status_code, response.text)
        return response.json()
