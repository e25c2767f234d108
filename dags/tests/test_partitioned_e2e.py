"""End to end, partitioned: the scoreline_batch DAG with ``partitions`` = 3 reading a real
Elasticsearch, against a reference store run with P = 1 on the same documents.

1. P = 3 and P = 1     -> fetch and predict run as three mapped instances each, `--partition i/3`,
                          publish merges the parts: latest/ is byte for byte the P = 1 run's
2. a partition killed  -> fetch partition 1/3's JVM is killed (SIGKILL) once: only that instance is
                          retried, with the same slice of the same plan; the run publishes what the
                          P = 1 run publishes on the same new documents; no alert
3. killed on every try -> fetch partition 1/3 fails for good (exit 137): the run fails, the other
                          partitions ran once, fallback keeps the last good output marked stale with
                          the partition in the reason; one alert naming it
4. in parallel         -> the same DAG with the real LocalExecutor (parallelism 4) and a real API
                          server: the three fetch instances run at the same time in separate
                          processes, and latest/ is again the P = 1 run's bytes

1-3 run in ``dag.test()``, which runs mapped instances one after another in this process; 4 is
the proof that they fan out. Elasticsearch: the shared node (SCORELINE_IT_ES9_URL, as
``make test`` sets it) or, without it, a node this module starts. Stores: temporary directories,
or S3 prefixes when SCORELINE_IT_S3_ENDPOINT is set.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from e2e import (
    RETRIES,
    EsNode,
    Pipeline,
    Run,
    Store,
    customer,
    es_request,
    forget_runs,
    free_port,
    java,
    load_dags,
    make_pipeline,
    needs_jars,
    run_dag,
    settings_restored,
    states,
    store_under_test,
)

pytestmark = needs_jars
P = 3
FIRST, NEW, CHANGED = 300, 30, 40  # documents of run 1; new and updated ones before run 2


# ----------------------------------------------------------------------------- Elasticsearch


@pytest.fixture(scope="module")
def es_url(tmp_path_factory):
    shared = os.environ.get("SCORELINE_IT_ES9_URL")
    if shared:
        yield shared.rstrip("/")
        return
    java()  # start.sh needs a JDK 21+: skips without one
    node = EsNode(tmp_path_factory.mktemp("es9"), free_port())
    try:
        node.start()
        yield node.url
    finally:
        node.stop()


@pytest.fixture(scope="module")
def index(es_url):
    name = f"fanout-{uuid.uuid4().hex[:12]}"  # this module's own, on a shared node
    mapping = {"id": {"type": "keyword"}, "updated_at": {"type": "date"}}
    body = {
        "settings": {"number_of_shards": 2, "number_of_replicas": 0},
        "mappings": {"properties": mapping},
    }
    es_request(es_url, "PUT", f"/{name}", json.dumps(body))
    yield name
    es_request(es_url, "DELETE", f"/{name}")


def index_documents(es_url: str, index: str, docs: list[dict]) -> None:
    lines = []
    for doc in docs:
        lines += [json.dumps({"index": {"_id": doc["id"]}}), json.dumps(doc)]
    body = "\n".join(lines) + "\n"
    answer = es_request(es_url, "POST", f"/{index}/_bulk?refresh=true", body, ndjson=True)
    assert answer["errors"] is False, answer


# ----------------------------------------------------------------------------- the stores


@pytest.fixture(scope="module")
def pipeline(airflow_in_process, tmp_path_factory, es_url, index):
    """The partitioned runs' store (with the model), fetch reading the index."""
    with settings_restored():
        p = make_pipeline(tmp_path_factory.mktemp("fanout"), index=index)
        os.environ["AIRFLOW_CONN_SCORELINE_ES"] = json.dumps({"conn_type": "http", "host": es_url})
        yield p


@pytest.fixture(scope="module")
def reference(pipeline, tmp_path_factory) -> Pipeline:
    """A second store holding the same model bytes: the P = 1 runs publish there."""
    ref = replace(pipeline, store=store_under_test(tmp_path_factory.mktemp("reference")))
    registered = ref.jar(
        "predict",
        *("register", "--model-dir", str(pipeline.model_dir), "--model", "churn"),
        *("--model-version", "v1", "--alias", "production"),
    )
    assert registered.returncode == 0, registered.stderr
    return ref


@pytest.fixture(scope="module")
def batch(pipeline):
    forget_runs("scoreline_batch")
    return load_dags("scoreline_batch")[0]


def run_on(p: Pipeline, store: Store, partitions: int, batch, **test_args) -> Run:
    p.set_config(store=store.uri, job_env=store.env, partitions=partitions)
    return run_dag(batch, p.receiver, **test_args)


def same_latest(a: Store, b: Store) -> None:
    assert a.read("latest/predictions.ndjson.gz") == b.read("latest/predictions.ndjson.gz")
    ma, mb = (json.loads(s.read("latest/manifest.json")) for s in (a, b))
    for key in ("sha256", "count", "bytes", "model_version", "stale"):
        assert ma[key] == mb[key], key


def parts(store: Store, run: Run) -> list[dict]:
    return [json.loads(store.read(f"runs/{run.run_id}/parts/{i}/fetch.json")) for i in range(P)]


class Killer(threading.Thread):
    """SIGKILLs the JVM of fetch partition 1/3 writing to ``store``, ``times`` times: a worker
    dying under one partition. Other sessions' jobs (another store) are never touched."""

    def __init__(self, store: Store, times: int) -> None:
        super().__init__(daemon=True)
        self.wanted = f"SCORELINE_STORE={store.uri}".encode()
        self.times, self.killed, self.stopping = times, [], threading.Event()

    def run(self) -> None:
        while len(self.killed) < self.times and not self.stopping.wait(0.02):
            for pid in self.victims():
                os.kill(pid, signal.SIGKILL)
                self.killed.append(pid)

    def victims(self) -> list[int]:
        found = []
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit() or int(proc.name) in self.killed:
                continue
            try:
                args = (proc / "cmdline").read_bytes().split(b"\0")
                if b"fetch.jar" in b" ".join(args) and args[-3:-1] == [b"--partition", b"1/3"]:
                    if self.wanted in (proc / "environ").read_bytes().split(b"\0"):
                        found.append(int(proc.name))
            except OSError:  # gone meanwhile
                continue
        return found

    def __enter__(self) -> Killer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.join()


# ----------------------------------------------------------------------------- the scenario


@pytest.fixture(scope="module")
def first_runs(pipeline, reference, batch, es_url, index) -> tuple[Run, Run]:
    docs = [customer(i, datetime.now(UTC) - timedelta(minutes=2)) for i in range(FIRST)]
    index_documents(es_url, index, docs)
    whole = run_on(pipeline, reference.store, 1, batch)
    return whole, run_on(pipeline, pipeline.store, P, batch)


@pytest.fixture(scope="module")
def killed_once_runs(pipeline, reference, batch, es_url, index, first_runs):
    later = datetime.now(UTC) - timedelta(minutes=1)
    docs = [customer(i, later) for i in range(FIRST, FIRST + NEW)]
    docs += [{**customer(i, later), "support_tickets": 4} for i in range(0, 2 * CHANGED, 2)]
    index_documents(es_url, index, docs)
    whole = run_on(pipeline, reference.store, 1, batch)
    with Killer(pipeline.store, times=1) as killer:
        run = run_on(pipeline, pipeline.store, P, batch)
    return whole, run, killer.killed


@pytest.fixture(scope="module")
def killed_for_good_run(pipeline, batch, killed_once_runs):
    with Killer(pipeline.store, times=RETRIES + 1) as killer:
        run = run_on(pipeline, pipeline.store, P, batch)
    return run, killer.killed


# ----------------------------------------------------------------------------- 1. P = 3 and P = 1


def test_three_partitions_publish_what_one_run_publishes(pipeline, reference, first_runs):
    whole, run = first_runs
    assert (whole.state, run.state) == ("success", "success"), (whole, run)
    assert states(whole) == {
        "partitions": "success",
        "fetch": "success",  # P = 1: one instance, as before the DAG fanned out
        "predict": "success",
        "publish": "success",
        "done": "success",
        "fallback": "skipped",
        "summary": "success",
    }
    assert states(run) == {
        "partitions": "success",
        **{f"{job}[{i}]": "success" for job in ("fetch", "predict") for i in range(P)},
        "publish": "success",
        "done": "success",
        "fallback": "skipped",
        "summary": "success",
    }
    same_latest(reference.store, pipeline.store)
    assert json.loads(pipeline.store.read("latest/manifest.json"))["count"] == FIRST
    found = parts(pipeline.store, run)
    assert [f["part"]["index"] for f in found] == list(range(P))
    assert len({f["part"]["plan"] for f in found}) == 1, "every partition read one plan"
    assert sum(f["read"] for f in found) == FIRST and all(f["read"] > 0 for f in found)
    plan = json.loads(pipeline.store.read(f"runs/{run.run_id}/parts/plan.json"))
    assert (plan["partitions"], plan["id"]) == (P, found[0]["part"]["plan"])
    assert plan.get("point_in_time"), "one Elasticsearch point-in-time for every partition"
    # P = 1 keeps the unpartitioned layout: no plan, no parts.
    assert json.loads(reference.store.read(f"runs/{whole.run_id}/fetch.json")).get("part") is None
    assert run.alerts == [] and whole.alerts == []


# ----------------------------------------------------------------------------- 2. killed once


def test_a_killed_partition_is_retried_alone_and_the_run_publishes_the_same(
    pipeline, reference, killed_once_runs
):
    whole, run, killed = killed_once_runs
    assert len(killed) == 1
    assert (whole.state, run.state) == ("success", "success"), run
    # Only the killed instance has an earlier try; the others ran once.
    assert run.tries == {"fetch[1]": 1}, run.tries
    assert {k: v["try_number"] for k, v in run.tis.items() if k.startswith("fetch")} == {
        "fetch[0]": 1,
        "fetch[1]": 2,
        "fetch[2]": 1,
    }
    same_latest(reference.store, pipeline.store)
    assert json.loads(pipeline.store.read("latest/manifest.json"))["count"] == FIRST + NEW
    found = parts(pipeline.store, run)  # the retry reread its own slices of the run's one plan
    assert len({f["part"]["plan"] for f in found}) == 1
    one = json.loads(reference.store.read(f"runs/{whole.run_id}/fetch.json"))
    assert sum(f["read"] for f in found) == one["read"], "together, what one fetch read"
    assert run.alerts == [], "a retry that succeeds alerts nobody"


# ----------------------------------------------------------------------------- 3. killed for good


def test_a_partition_failing_for_good_fails_the_run_and_the_fallback_runs(
    pipeline, killed_once_runs, killed_for_good_run
):
    run, killed = killed_for_good_run
    _, published, _ = killed_once_runs
    assert len(killed) == RETRIES + 1
    assert run.state == "failed", run
    assert states(run) == {
        "partitions": "success",
        "fetch[0]": "success",
        "fetch[1]": "failed",
        "fetch[2]": "success",
        "predict": "upstream_failed",  # never expanded: one placeholder instance
        "publish": "upstream_failed",
        "done": "upstream_failed",
        "fallback": "success",
        "summary": "success",
    }
    assert run.tries == {"fetch[1]": RETRIES}, "only the failing partition was retried"
    latest = pipeline.latest()
    assert (latest["run_id"], latest["stale"], latest["failed_run_id"]) == (
        published.run_id,
        True,
        run.run_id,
    )
    assert latest["stale_reason"] == "fetch partition 1/3 failed: killed (out of memory?) (exit 137)"
    assert len(run.alerts) == 1, run.alerts
    _, alert = run.alerts[0]
    assert (alert["event"], alert["task_id"], alert["partition"], alert["exit_code"]) == (
        "failed",
        "fetch",
        "1/3",
        137,
    )
    assert "fetch partition 1/3 failed in run" in alert["text"]
    assert "/tasks/fetch/mapped/1" in alert["log_url"]
