"""End to end, partitioned: the scoreline_batch DAG with ``partitions`` = 3 reading a real
Elasticsearch, against a reference store run with P = 1 on the same documents.

1. P = 3 and P = 1     -> ``dag.test()``: the partition group (fetch, then predict) runs as three
                          chains, `--partition i/3`, publish merges the parts: latest/ is byte for
                          byte the P = 1 run's
2. side by side, one   -> a real scheduler with the LocalExecutor (parallelism 4) and a real API
   partition killed,      server run the DAG: the three fetch instances run at the same time in
   then slow              their own processes; partition 1/3's JVM is killed (SIGKILL) once and
                          only that instance is retried, on its slice of the same plan; its retry
                          is held (SIGSTOP) until another partition's predict has run: predict
                          instances start as their own fetch ends, not when every fetch has;
                          latest/ is again the P = 1 run's bytes; no alert
3. killed on every try, -> the real scheduler again: fetch partition 1/3 fails for good (exit 137),
   then cleared            its predict is upstream-failed while the other partitions' predict
                          succeed, the run fails, the fallback keeps the last good output marked
                          stale with the partition in the reason; one alert naming it. Then the
                          UI's Clear on fetch[1] (Downstream, ``e2e.Ui``) reruns fetch[1],
                          predict[1] and publish only: latest/ is the P = 1 run's bytes, one
                          "recovered" message

``dag.test()`` runs mapped instances one after another in this process: 2 and 3 are the proof that
they fan out and that each partition is a chain of its own. Elasticsearch: the shared node
(SCORELINE_IT_ES9_URL, as ``make test`` sets it) or, without it, a node this module starts.
Stores: temporary directories, or S3 prefixes when SCORELINE_IT_S3_ENDPOINT is set.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import Receiver
from e2e import (
    RETRIES,
    EsNode,
    Pipeline,
    Run,
    Store,
    Ui,
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
    task_instances,
    xcom,
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
    """A dag.test() run, the DAG paused meanwhile: the real scheduler, up from scenario 2 on, runs
    the tasks of every running run of an unpaused DAG, this one's too (with its own settings)."""
    p.set_config(store=store.uri, job_env=store.env, partitions=partitions)
    with paused(batch.dag_id):
        return run_dag(batch, p.receiver, **test_args)


@contextmanager
def paused(dag_id: str) -> Iterator[None]:
    """What the UI's pause toggle does (PATCH /dags/<id> is_paused), straight in the DB."""
    from airflow.models.dag import DagModel
    from airflow.utils.session import create_session
    from sqlalchemy import update

    def toggle(to: bool) -> None:
        with create_session() as session:
            session.execute(update(DagModel).where(DagModel.dag_id == dag_id).values(is_paused=to))

    toggle(True)
    try:
        yield
    finally:
        toggle(False)


def same_latest(a: Store, b: Store) -> None:
    assert a.read("latest/predictions.ndjson.gz") == b.read("latest/predictions.ndjson.gz")
    ma, mb = (json.loads(s.read("latest/manifest.json")) for s in (a, b))
    for key in ("sha256", "count", "bytes", "model_version", "stale"):
        assert ma[key] == mb[key], key


def parts(store: Store, run: Run) -> list[dict]:
    return [json.loads(store.read(f"runs/{run.run_id}/parts/{i}/fetch.json")) for i in range(P)]


class PartitionOne(threading.Thread):
    """Does to each JVM of fetch partition 1/3 writing to ``store`` what ``actions`` say, in turn:
    "kill" (SIGKILL: a worker dying under the partition) or "hold" (SIGSTOP until a predict of
    another partition has run to its end, then SIGCONT: a partition slower than the others, as
    one with more documents or a slow shard would be). Other sessions' jobs (another store) are
    never touched."""

    HOLD_AT_MOST = 90  # seconds, within the task's 2-minute timeout

    def __init__(self, store: Store, actions: list[str]) -> None:
        super().__init__(daemon=True)
        self.wanted = f"SCORELINE_STORE={store.uri}".encode()
        self.actions, self.stopping = list(actions), threading.Event()
        self.fetches: list[int] = []  # fetch 1/3's JVMs, in order
        self.killed: list[int] = []
        self.held: list[int] = []
        self.predicts: set[int] = set()  # other partitions' predict JVMs seen
        self.released_by: int | None = None  # the predict that had ended when the hold ended

    def run(self) -> None:
        holding, until = None, 0.0
        while not self.stopping.wait(0.02):
            alive = self.jvms()
            for pid, job, partition in alive:
                if job == b"predict.jar" and partition != b"1/3":
                    self.predicts.add(pid)
                elif job == b"fetch.jar" and partition == b"1/3" and pid not in self.fetches:
                    self.fetches.append(pid)
                    action = self.actions[len(self.fetches) - 1 : len(self.fetches)]
                    if action == ["kill"]:
                        os.kill(pid, signal.SIGKILL)
                        self.killed.append(pid)
                    elif action == ["hold"]:
                        os.kill(pid, signal.SIGSTOP)
                        self.held.append(pid)
                        holding, until = pid, time.monotonic() + self.HOLD_AT_MOST
            ended = self.predicts - {pid for pid, _, _ in alive}
            if holding is not None and (ended or time.monotonic() > until):
                self.released_by = min(ended) if ended else None
                os.kill(holding, signal.SIGCONT)
                holding = None

    def jvms(self) -> list[tuple[int, bytes, bytes]]:
        """This store's fetch and predict JVMs of a partition: (pid, jar, "i/P")."""
        found = []
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                args = (proc / "cmdline").read_bytes().split(b"\0")
                if args[-3:-2] != [b"--partition"] or b"-jar" not in args:
                    continue
                jar = Path(args[args.index(b"-jar") + 1].decode()).name.encode()
                if self.wanted in (proc / "environ").read_bytes().split(b"\0"):
                    found.append((int(proc.name), jar, args[-2]))
            except (OSError, IndexError):  # gone meanwhile
                continue
        return found

    def __enter__(self) -> PartitionOne:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.join()
        for pid in self.held:  # never leave a JVM stopped
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass


# ----------------------------------------------------------------------------- the scenario


@pytest.fixture(scope="module")
def first_runs(pipeline, reference, batch, es_url, index) -> tuple[Run, Run]:
    docs = [customer(i, datetime.now(UTC) - timedelta(minutes=2)) for i in range(FIRST)]
    index_documents(es_url, index, docs)
    whole = run_on(pipeline, reference.store, 1, batch)
    return whole, run_on(pipeline, pipeline.store, P, batch)


def new_documents(es_url: str, index: str, first: int) -> None:
    """NEW documents from number ``first`` on and CHANGED updated ones, a minute old."""
    later = datetime.now(UTC) - timedelta(minutes=1)
    docs = [customer(i, later) for i in range(first, first + NEW)]
    tickets = 4 if first == FIRST else 1  # each round changes something
    docs += [{**customer(i, later), "support_tickets": tickets} for i in range(0, 2 * CHANGED, 2)]
    index_documents(es_url, index, docs)


@pytest.fixture(scope="module")
def real_airflow(pipeline, tmp_path_factory):
    """The real API server and scheduler of scenarios 2 and 3, started once, with the P = 3 runs'
    settings (its processes keep the environment they start with)."""
    pipeline.set_config(store=pipeline.store.uri, job_env=pipeline.store.env, partitions=P)
    with RealAirflow(tmp_path_factory.mktemp("real-airflow")) as airflow:
        yield airflow


@pytest.fixture(scope="module")
def parallel_runs(pipeline, reference, batch, es_url, index, first_runs, real_airflow):
    """New and changed documents, the P = 1 reference run, then one P = 3 run by a real
    scheduler, during which partition 1/3's fetch is killed once and its retry held until
    another partition's predict has run."""
    new_documents(es_url, index, FIRST)
    whole = run_on(pipeline, reference.store, 1, batch)
    with PartitionOne(pipeline.store, ["kill", "hold"]) as one:
        run = real_airflow.run("scoreline_batch", pipeline.receiver)
    return whole, run, one, real_airflow.logs


@pytest.fixture(scope="module")
def failed_then_cleared(pipeline, reference, batch, es_url, index, parallel_runs, real_airflow):
    """More documents and their P = 1 reference run (dag.test()); then, on the same scheduler, a
    P = 3 run whose partition 1/3 is killed on every try, and the UI's Clear on that fetch
    instance once the cause is gone."""
    new_documents(es_url, index, FIRST + NEW)
    whole = run_on(pipeline, reference.store, 1, batch)
    with PartitionOne(pipeline.store, ["kill"] * (RETRIES + 1)) as one:
        failed = real_airflow.run("scoreline_batch", pipeline.receiver, alerts=1)
    latest = pipeline.latest()
    cleared = Ui("scoreline_batch").clear(failed.run_id, "fetch", 1)
    again = real_airflow.wait("scoreline_batch", failed.run_id, pipeline.receiver, alerts=1)
    return {"whole": whole, "failed": failed, "killed": one.killed, "latest": latest,
            "cleared": cleared, "again": again}  # fmt: skip


class RealAirflow:
    """An API server (the Execution API the task processes talk to) and a scheduler with the
    LocalExecutor, parallelism 4, on this session's DB, started with this process's environment
    (the DAG's settings included). Cron scheduling is off: only the run triggered here runs."""

    def __init__(self, logs: Path) -> None:
        self.logs, self.port, self.procs = logs, free_port(), []
        self.env = {
            **os.environ,
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": "4",
            "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{self.port}/execution/",
            "AIRFLOW__API_AUTH__JWT_SECRET": uuid.uuid4().hex,  # the scheduler signs, the API checks
        }

    def __enter__(self) -> RealAirflow:
        airflow = str(Path(sys.prefix) / "bin" / "airflow")
        api = ["api-server", "--apps", "execution", "-H", "127.0.0.1", "-p", str(self.port)]
        for name, args in (("api-server", api), ("scheduler", ["scheduler"])):
            with (self.logs / f"{name}.log").open("wb") as out:  # the child keeps its own copy
                self.procs.append(
                    subprocess.Popen(
                        [airflow, *args],
                        env=self.env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,  # its workers too are stopped with it
                    )
                )
        self.wait_for(f"http://127.0.0.1:{self.port}/execution/health", 180)
        return self

    def wait_for(self, url: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5):
                    return
            except OSError:
                dead = [p.args[1] for p in self.procs if p.poll() is not None]
                assert not dead and time.monotonic() < deadline, (dead, self.tail())
                time.sleep(0.5)

    def run(self, dag_id: str, receiver: Receiver, alerts: int = 0) -> Run:
        """Triggers one run and waits for its end (and for the ``alerts`` it should send)."""
        from airflow.api.common.trigger_dag import trigger_dag
        from airflow.utils.types import DagRunTriggeredByType

        run_id = trigger_dag(dag_id, triggered_by=DagRunTriggeredByType.TEST).run_id
        return self.wait(dag_id, run_id, receiver, alerts)

    def wait(self, dag_id: str, run_id: str, receiver: Receiver, alerts: int = 0) -> Run:
        """Waits for the end of a run, queued or running (triggered, or put back by a clear)."""
        from airflow.models.dagrun import DagRun
        from airflow.utils.session import create_session

        before, started = len(receiver.messages), time.monotonic()
        while True:
            with create_session() as session:
                state = str(DagRun.find(dag_id=dag_id, run_id=run_id, session=session)[0].state)
            if state in ("success", "failed"):
                break
            assert time.monotonic() - started < 300, self.tail()
            time.sleep(1)
        seconds = time.monotonic() - started
        print(f"scheduler + LocalExecutor: {dag_id} {run_id}: {state} in {seconds:.1f}s")
        # A callback may still be posting as the run ends (the task's state is sent first).
        posting = time.monotonic() + 15
        while len(receiver.messages) - before < alerts and time.monotonic() < posting:
            time.sleep(0.2)
        tis, tries = task_instances(dag_id, run_id)
        return Run(run_id, state, tis, tries, receiver.messages[before:], seconds, [])

    def tail(self) -> str:
        return "\n".join(f.read_text(errors="replace")[-3000:] for f in self.logs.glob("*.log"))

    def __exit__(self, *exc) -> None:
        for proc in self.procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


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
    assert [run.tis[f"fetch[{i}]"]["label"] for i in range(P)] == ["0/3", "1/3", "2/3"]
    assert whole.tis["fetch"]["label"] == "whole run"
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
    summary = xcom("scoreline_batch", run.run_id, "summary")  # publish.jar runs sums the parts
    assert (summary["result"], summary["read"], summary["scored"]) == ("published", FIRST, FIRST)
    assert run.alerts == [] and whole.alerts == []


# ----------------------------------------------------------------------------- 2. side by side


def most_at_once(spans: list[tuple]) -> int:
    """The most of these (start, end) intervals that were open at one moment."""
    events = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    running = most = 0
    for _, step in events:
        running += step
        most = max(most, running)
    return most


def span(run: Run, name: str) -> tuple[datetime, datetime]:
    return run.tis[name]["start_date"], run.tis[name]["end_date"]


def test_a_real_scheduler_runs_the_partitions_side_by_side_and_retries_only_the_killed_one(
    pipeline, reference, parallel_runs
):
    whole, run, one, logs = parallel_runs
    assert (whole.state, run.state) == ("success", "success"), (logs / "scheduler.log").read_text()[
        -3000:
    ]
    assert (len(one.killed), len(one.held)) == (1, 1), (one.killed, one.held)
    instances = {k: v for k, v in run.tis.items() if k.startswith(("fetch[", "predict["))}
    assert len(instances) == 2 * P and len({t["pid"] for t in instances.values()}) == 2 * P
    # With 2 cores, the scheduler's loop and JVMs of different lengths, not every instance
    # overlaps every other; two at once shows the fan-out (all three did in most runs).
    fetches = [span(run, f"fetch[{i}]") for i in range(P)]
    assert most_at_once(fetches) >= 2, fetches
    # Only the killed instance has an earlier try; the others ran once.
    assert run.tries == {"fetch[1]": 1}, run.tries
    assert [run.tis[f"fetch[{i}]"]["try_number"] for i in range(P)] == [1, 2, 1]
    same_latest(reference.store, pipeline.store)
    latest = pipeline.latest()
    assert (latest["run_id"], latest["stale"], latest["count"]) == (run.run_id, False, FIRST + NEW)
    found = parts(pipeline.store, run)  # the retry reread its own slices of the run's one plan
    assert len({f["part"]["plan"] for f in found}) == 1
    one_fetch = json.loads(reference.store.read(f"runs/{whole.run_id}/fetch.json"))
    assert sum(f["read"] for f in found) == one_fetch["read"], "together, what one fetch read"
    assert run.alerts == [], "a retry that succeeds alerts nobody"


def test_each_predict_starts_when_its_own_fetch_ends_not_every_fetch(parallel_runs):
    """Partition 1's fetch was held (its retry stopped until another partition's predict had
    ended): a predict that waited for every fetch could not have started before it ended."""
    _, run, one, _ = parallel_runs
    assert one.released_by is not None, "no other partition's predict ended while fetch 1 was held"
    for i in range(P):
        assert span(run, f"predict[{i}]")[0] >= span(run, f"fetch[{i}]")[1], i  # its own fetch
    slow_end = span(run, "fetch[1]")[1]
    # at least one other partition fetched, then scored, while fetch 1 still ran
    scored_meanwhile = [i for i in (0, 2) if span(run, f"predict[{i}]")[1] < slow_end]
    assert scored_meanwhile, {name: span(run, name) for name in run.tis}


# ----------------------------------------------------------------------------- 3. killed, cleared


def test_a_partition_failing_for_good_stops_only_its_own_predict_and_the_fallback_names_it(
    pipeline, parallel_runs, failed_then_cleared
):
    run = failed_then_cleared["failed"]
    _, published, _, _ = parallel_runs
    assert len(failed_then_cleared["killed"]) == RETRIES + 1
    assert run.state == "failed", run
    assert states(run) == {
        "partitions": "success",
        "fetch[0]": "success",
        "fetch[1]": "failed",
        "fetch[2]": "success",
        "predict[0]": "success",  # the other partitions' chains went on
        "predict[1]": "upstream_failed",
        "predict[2]": "success",
        "publish": "upstream_failed",
        "done": "upstream_failed",
        "fallback": "success",
        "summary": "success",
    }
    assert run.tries == {"fetch[1]": RETRIES}, "only the failing partition was retried"
    latest = failed_then_cleared["latest"]
    assert (latest["run_id"], latest["stale"], latest["failed_run_id"]) == (
        published.run_id,
        True,
        run.run_id,
    )
    assert (
        latest["stale_reason"] == "fetch partition 1/3 failed: killed (out of memory?) (exit 137)"
    )
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


def test_clearing_the_failed_partition_reruns_its_chain_and_publish_only(
    pipeline, reference, failed_then_cleared
):
    failed, again = failed_then_cleared["failed"], failed_then_cleared["again"]
    # The dialog's Downstream from fetch[1]: its own predict, not the other partitions'.
    assert failed_then_cleared["cleared"] == [
        ("done", -1),
        ("fallback", -1),
        ("fetch", 1),
        ("predict", 1),
        ("publish", -1),
        ("summary", -1),
    ]
    assert again.state == "success", again.tis
    tries = {name: (ti["state"], ti["try_number"]) for name, ti in again.tis.items()}
    assert tries == {
        "partitions": ("success", 1),
        "fetch[0]": ("success", 1),
        "fetch[1]": ("success", RETRIES + 2),  # the try after the three that were killed
        "fetch[2]": ("success", 1),
        "predict[0]": ("success", 1),
        "predict[1]": ("success", 1),  # upstream_failed before the clear was no try
        "predict[2]": ("success", 1),
        "publish": ("success", 1),
        "done": ("success", 1),
        "fallback": ("skipped", 1),
        "summary": ("success", 2),
    }
    for name in ("partitions", "fetch[0]", "fetch[2]", "predict[0]", "predict[2]"):
        assert span(again, name) == span(failed, name), f"{name} ran again"
    latest = pipeline.latest()
    assert (latest["run_id"], latest["stale"]) == (failed.run_id, False)
    assert latest["count"] == FIRST + 2 * NEW
    assert failed_then_cleared["whole"].state == "success"  # the P = 1 reference
    same_latest(reference.store, pipeline.store)
    assert [m["event"] for _, m in again.alerts] == ["recovered"], again.alerts
    assert "on a rerun" in again.alerts[0][1]["text"]
