"""End to end: manual runs of scoreline_batch as an on-call engineer makes them from the Airflow UI,
on the real jars and a temporary file store, with a local webhook as the alert channel.

The UI is a client of the api-server's REST API, so the test makes the requests its buttons make
(``e2e.Ui``), to the api-server's own app (``create_app("core")``, in process through FastAPI's
TestClient, as a logged-in admin):

* **Trigger**: ``POST /api/v2/dags/{dag}/dagRuns`` (logical date, conf);
* **Clear** on a task instance: ``POST /api/v2/dags/{dag}/clearTaskInstances`` with the body the
  UI's Clear dialog sends, the instance as ``[task id, map index]`` and the dialog's defaults
  (``include_downstream`` on; past, future, upstream and only-failed off), which runs
  ``dag.clear`` + ``clear_task_instances`` and puts the run back in the queue;
* the **log pane**: ``GET .../taskInstances/{task}/logs/{try}``, the task log file read by
  Airflow's log reader.

Each task then runs as a LocalExecutor worker runs it: ``supervise_task`` forks the task process,
which parses the DAG file, and writes the task log file the log pane reads. The one stand-in is
the scheduler: :func:`schedule` starts the queued run and hands its ready task instances to the
worker until the run ends (``DagRun.update_state``, as the scheduler loop does). Why not
``dag.test()`` (test_batch_e2e, test_operations_e2e): it deletes and recreates the run of its
logical date, so it never reruns a cleared task of an existing run (test_operations_e2e's "same run
id again" reruns all tasks, fetch included, in a new run), and it runs tasks without a log file, so
there is nothing for the UI to show.

One scenario, in order:

1. run A (Trigger)                            -> published
2. run B, the model's bytes missing           -> predict fails (exit 5), fallback keeps A, run failed
3. bytes back; Clear predict (dialog defaults) -> predict reruns, publish runs once, the run succeeds;
   latest/ holds the same bytes as B's jobs run uninterrupted on a copy of the store made after A
4. a run whose logical date is an hour old    -> publish refuses it (exit 6); the log pane shows why
5. Clear fetch of run A, published long since  -> fetch refuses it (exit 2, no retry), the log pane
   shows why; not one byte of runs/, latest/ or state/ changes, and nothing is marked stale
"""

from __future__ import annotations

import hashlib
import json
import shlex
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from e2e import (
    Pipeline,
    Ui,
    customer,
    forget_runs,
    make_pipeline,
    needs_jars,
    settings_restored,
)

pytestmark = needs_jars
DAG_ID = "scoreline_batch"
# the file predict loads: register stores a Smile forest's flattened trees beside model.smile
MODEL_KEY = "models/churn/v1/model.trees"
MAPPED = {"fetch", "predict"}  # the partition group's tasks: one instance, 0, when P = 1


def schedule(run_id: str) -> str:
    """What the scheduler does with a queued run (new or cleared), one task at a time: starts it,
    and hands each ready task instance to the worker until the run ends. Returns its state."""
    from airflow.executors.workloads import ExecuteTask
    from airflow.models.dagbag import DBDagBag
    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session
    from airflow.utils.state import DagRunState, TaskInstanceState
    from sqlalchemy import select

    with create_session() as session:
        run = session.scalar(select(DagRun).where(DagRun.dag_id == DAG_ID, DagRun.run_id == run_id))
        assert run.state == DagRunState.QUEUED, run  # triggered, or put back by the clear
        run.dag = DBDagBag().get_dag_for_run(run, session=session)
        run.state = DagRunState.RUNNING
        session.commit()
        while run.state == DagRunState.RUNNING:
            ready, _ = run.update_state(session=session)
            for ti in ready:
                if ti.state != TaskInstanceState.UP_FOR_RESCHEDULE:
                    ti.try_number += 1
                ti.state = TaskInstanceState.QUEUED
            workloads = [ExecuteTask.make(ti) for ti in ready]
            session.commit()
            for workload in workloads:
                work(workload)
            if not ready:
                time.sleep(0.5)  # a retry waiting for its delay
            session.expire_all()
        return str(getattr(run.state, "value", run.state))


def work(workload) -> None:
    """A LocalExecutor worker's job (BaseExecutor.run_workload), its Execution API in process
    (the one dag.test() uses) instead of the api-server's URL."""
    from airflow.sdk.execution_time.supervisor import InProcessTestSupervisor, supervise_task

    supervise_task(
        ti=workload.ti,
        bundle_info=workload.bundle_info,
        dag_rel_path=workload.dag_rel_path,
        token=workload.token,
        log_path=workload.log_path,
        client=InProcessTestSupervisor._api_client(),
    )


def task_states(run_id: str) -> dict[str, tuple[str, int]]:
    """Each task's state and try number."""
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        tis = session.scalars(
            select(TaskInstance).where(TaskInstance.dag_id == DAG_ID, TaskInstance.run_id == run_id)
        )
        return {
            ti.task_id: (str(getattr(ti.state, "value", ti.state)), ti.try_number) for ti in tis
        }


def write_documents(p: Pipeline, numbers: range, updated_at: datetime) -> None:
    with p.source.open("a") as fh:
        for i in numbers:
            fh.write(json.dumps(customer(i, updated_at)) + "\n")


def rendered_args(ui: Ui, run_id: str, task_id: str) -> list[str]:
    """The arguments the task passed to its jar (its rendered command, as the UI shows it)."""
    instance = ui.task(run_id, task_id, 0 if task_id in MAPPED else -1)
    command = instance["rendered_fields"]["bash_command"]
    words = shlex.split(command)
    return words[words.index("-jar") + 2 :]


# ----------------------------------------------------------------------------- the scenario


@pytest.fixture(scope="module")
def pipeline(airflow_in_process, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reruns")
    source = tmp / "source" / "documents.ndjson"
    source.parent.mkdir()
    with settings_restored():
        # A file store even under make test: the copy made after run A is the reference's store.
        yield make_pipeline(tmp, source, file_store=True, source=str(source))


@pytest.fixture(scope="module")
def ui(pipeline) -> Iterator[Ui]:
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import BundleDagBag, sync_bag_to_db
    from airflow.sdk.execution_time import supervisor

    from conftest import DAGS

    forget_runs(DAG_ID)
    # the dag processor's work: the serialized DAG the API server and the scheduler read
    DagBundlesManager().sync_bundles_to_db()
    bag = BundleDagBag(dag_folder=str(DAGS), bundle_path=DAGS, bundle_name="dags-folder")
    assert not bag.import_errors, bag.import_errors
    sync_bag_to_db(bag, "dags-folder", None)
    with pytest.MonkeyPatch.context() as mp:
        # The supervisor often notices that its task process has ended only when it next wakes,
        # up to [workers] min_heartbeat_interval (5 s) later: 1 s here, as the retry delays are.
        mp.setattr(supervisor, "MIN_HEARTBEAT_INTERVAL", 1)
        yield Ui(DAG_ID)


@pytest.fixture(scope="module")
def run_a(pipeline, ui) -> str:
    write_documents(pipeline, range(0, 30), datetime.now(UTC) - timedelta(minutes=3))
    run_id = ui.trigger(datetime.now(UTC) - timedelta(minutes=1), {"mode": "incremental"})
    assert schedule(run_id) == "success", task_states(run_id)
    return run_id


@pytest.fixture(scope="module")
def reference_store(pipeline, run_a):
    """The store as run A left it: B's jobs run uninterrupted on it give the expected bytes."""
    copy = pipeline.store.path.with_name("reference-store")
    shutil.copytree(pipeline.store.path, copy)
    return copy


@pytest.fixture(scope="module")
def cleared(pipeline, ui, run_a, reference_store) -> dict:
    """Run B failed on a missing model, then predict cleared from the UI and run again."""
    write_documents(pipeline, range(30, 45), datetime.now(UTC) - timedelta(minutes=2))
    model = pipeline.store.path / MODEL_KEY
    model.rename(model.with_suffix(".away"))
    sent = len(pipeline.receiver.messages)
    try:
        run_id = ui.trigger(datetime.now(UTC), {"mode": "incremental"})
        failed = {"state": schedule(run_id), "tasks": task_states(run_id)}
        failed["latest"] = pipeline.latest()
    finally:
        model.with_suffix(".away").rename(model)
    failed["alerts"] = pipeline.receiver.messages[sent:]
    cleared = ui.clear(run_id, "predict", 0)
    again = {"state": schedule(run_id), "tasks": task_states(run_id)}
    again["alerts"] = pipeline.receiver.messages[sent + len(failed["alerts"]) :]
    return {"run_id": run_id, "failed": failed, "cleared": cleared, "again": again}


@pytest.fixture(scope="module")
def uninterrupted(pipeline, ui, cleared, reference_store) -> dict[str, bytes]:
    """Run B's three jobs one after the other on the copy, with the arguments its tasks had and
    the scenario's settings (the source, the model)."""
    settings = ["--store", reference_store.as_uri()]
    extra = {
        "fetch": ["--source", str(pipeline.source)],
        "predict": ["--model", "churn"],
        "publish": [],
    }
    for job in ("fetch", "predict", "publish"):
        done = pipeline.jar(job, *rendered_args(ui, cleared["run_id"], job), *settings, *extra[job])
        assert done.returncode == 0, (job, done.stderr)
    return {
        key: (reference_store / key).read_bytes()
        for key in ("latest/predictions.ndjson.gz", f"runs/{cleared['run_id']}/snapshot.ndjson.gz")
    }


@pytest.fixture(scope="module")
def regressing(pipeline, ui, cleared) -> dict:
    before = pipeline.store.read("latest/manifest.json")
    run_id = ui.trigger(datetime.now(UTC) - timedelta(hours=1), {"mode": "incremental"})
    state = schedule(run_id)
    log = ui.log(run_id, "publish", task_states(run_id)["publish"][1])
    return {"run_id": run_id, "state": state, "tasks": task_states(run_id), "log": log,
            "before": before, "after": pipeline.store.read("latest/manifest.json")}  # fmt: skip


@pytest.fixture(scope="module")
def cleared_published(pipeline, ui, run_a, regressing) -> dict:
    """Run A, published two runs ago, cleared from fetch (the Clear of a successful run)."""
    before = store_digests(pipeline)
    cleared = ui.clear(run_a, "fetch", 0)
    state = schedule(run_a)
    tasks = task_states(run_a)
    log = ui.log(run_a, "fetch", tasks["fetch"][1], map_index=0)
    return {"cleared": cleared, "state": state, "tasks": tasks, "log": log,
            "before": before, "after": store_digests(pipeline)}  # fmt: skip


def store_digests(p: Pipeline) -> dict[str, str]:
    """The sha256 of every object under runs/, latest/ and state/ of the file store."""
    root = p.store.path
    return {
        str(f.relative_to(root)): hashlib.sha256(f.read_bytes()).hexdigest()
        for top in ("runs", "latest", "state")
        for f in sorted((root / top).rglob("*"))
        if f.is_file()
    }


# ----------------------------------------------------------------------------- 2, 3. clear


def test_a_run_failing_on_a_missing_model_falls_back(run_a, cleared):
    failed = cleared["failed"]
    assert failed["state"] == "failed"
    assert failed["tasks"]["predict"] == ("failed", 1), "exit 5 is not retried"
    assert failed["tasks"]["publish"][0] == "upstream_failed"
    assert failed["tasks"]["fallback"][0] == "success"
    assert (failed["latest"]["run_id"], failed["latest"]["stale"]) == (run_a, True)
    assert [m["event"] for _, m in failed["alerts"]] == ["failed"]


def test_clearing_the_failed_task_reruns_it_and_what_depends_on_it(cleared):
    # the dialog's "downstream": everything after predict, not fetch, which succeeded
    assert cleared["cleared"] == [
        ("done", -1),
        ("fallback", -1),
        ("predict", 0),  # the partition group's one instance (P = 1)
        ("publish", -1),
        ("summary", -1),
    ]
    again = cleared["again"]
    assert again["state"] == "success", again["tasks"]
    assert again["tasks"] == {
        "partitions": ("success", 1),  # not run again
        "fetch": ("success", 1),  # not run again
        "predict": ("success", 2),  # the second try, after the cleared one
        "publish": ("success", 1),  # ran once: upstream_failed before the clear was no try
        "done": ("success", 1),
        "fallback": ("skipped", 1),
        "summary": ("success", 2),
    }
    # the failure was announced: its end is too, once
    assert [m["event"] for _, m in again["alerts"]] == ["recovered"], again["alerts"]
    _, message = again["alerts"][0]
    assert message["run_id"] == message["previous_run_id"] == cleared["run_id"]
    assert "on a rerun" in message["text"]


def test_the_cleared_run_publishes_once_with_the_bytes_of_an_uninterrupted_run(
    pipeline, cleared, uninterrupted
):
    run_id = cleared["run_id"]
    latest = pipeline.latest()
    assert (latest["run_id"], latest["stale"], latest["promoted_by"]) == (run_id, False, "publish")
    assert latest["count"] == 45
    for key, expected in uninterrupted.items():
        assert pipeline.store.read(key) == expected, key
    runs = pipeline.jar("publish", "runs", "--json")
    assert runs.returncode == 0, runs.stderr
    history = json.loads(runs.stdout)
    assert [r["result"] for r in history["runs"] if r["run_id"] == run_id] == ["published"]
    assert history["watermark"]["run_id"] == run_id


# ----------------------------------------------------------------------------- 4. no regression


def test_an_older_manual_run_is_refused_and_the_log_pane_says_why(cleared, regressing):
    assert regressing["state"] == "failed"
    tasks = regressing["tasks"]
    assert tasks["publish"] == ("failed", 1), "exit 6 is not retried"
    assert (tasks["fallback"][0], tasks["summary"][0]) == ("success", "success")
    refusals = [line for line in regressing["log"] if "publishing it would regress latest" in line]
    assert len(refusals) == 1, regressing["log"]
    assert refusals[0].startswith(f"publish: error: run {regressing['run_id']} (interval end ")
    assert f"is older than the published run {cleared['run_id']}" in refusals[0]
    assert "Use --force to publish it anyway" in refusals[0]
    assert (
        "AirflowFailException: publish failed: validation refused the output (exit 6): not retrying"
        in regressing["log"]
    )
    assert regressing["after"] == regressing["before"], "latest/ must not change"


# ----------------------------------------------------------------------------- 5. history


def test_clearing_a_published_run_rewrites_nothing_and_the_log_pane_says_why(
    run_a, cleared_published
):
    assert cleared_published["state"] == "failed"
    tasks = cleared_published["tasks"]
    assert tasks["fetch"] == ("failed", 2), "exit 2 is not retried"
    assert (tasks["predict"][0], tasks["publish"][0]) == ("upstream_failed", "upstream_failed")
    assert (tasks["fallback"][0], tasks["summary"][0]) == ("success", "success")
    log = cleared_published["log"]
    refusals = [line for line in log if "its files are history and are not rewritten" in line]
    assert len(refusals) == 1, log
    assert refusals[0].startswith(f"fetch: error: run {run_a} was published at ")
    assert refusals[0].endswith(f"or use 'publish.jar rollback --to {run_a}' to serve it again")
    assert any(
        line.startswith("AirflowFailException: fetch failed") and "(exit 2): not retrying" in line
        for line in log
    ), log
    # fallback: the refused rerun brought nothing newer, so latest/ is not marked stale either
    before, after = cleared_published["before"], cleared_published["after"]
    assert after == before, "history and latest/ must not change"
