"""End to end: every action of the scoreline_operations DAG, and manual reruns of scoreline_batch,
run by ``dag.test()`` in this process on the real jars against a temporary file store (always:
see the pipeline fixture), with a local webhook as the alert channel.

One scenario, in order (each fixture builds on the previous ones):

1. batch runs A (40 documents) and B (10 more)     -> both published; the summary says what each did
2. status                                         -> lists the runs; one message
3. rollback to A                                  -> latest/ and the watermark are A's; one message
   rollback to an unknown run, rollback without a run -> fail at once with one line, nothing moves
4. promote-model v2; promote-model v9 (unknown)   -> the alias names v2; v9 fails at once, the alias stays
5. batch run C with v2's bytes damaged            -> predict fails (exit 5); after repairing them,
   the same run again (as clearing its tasks does) -> published with v2, B's documents rescored
6. rollback-model to v1                           -> the alias names v1 again
7. fallback with a reason                         -> latest/ marked stale with it and who asked
8. full-refresh                                   -> queues one scoreline_batch run with mode=full; that
   run publishes a full snapshot (documents that left the source are gone)
9. a manual batch run older than latest/          -> publish refuses it (exit 6), the reason in its log
Every operations run posts exactly one message.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from e2e import (
    Pipeline,
    Run,
    customer,
    forget_runs,
    load_dags,
    make_pipeline,
    needs_jars,
    run_dag,
    settings_restored,
    states,
    xcom,
)
from scoreline import contract

pytestmark = needs_jars
ACTION_TASKS = ["status", "rollback", "fallback", "promote_model", "rollback_model", "full_refresh"]


def write_documents(path: Path, numbers: range, updated_at: datetime, mode: str = "a") -> None:
    with path.open(mode) as fh:
        for i in numbers:
            fh.write(json.dumps(customer(i, updated_at)) + "\n")


@pytest.fixture(scope="module")
def pipeline(airflow_in_process, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ops")
    source = tmp / "source" / "documents.ndjson"
    source.parent.mkdir()
    with settings_restored():
        # The file store even under make test: the store's semantics on S3 are the jars' own
        # tests' (jobs/it) and test_batch_e2e's; this scenario costs half as much on a file store.
        p = make_pipeline(tmp, source, file_store=True, source=str(source))
        # v2: the same bytes under another version, so which version scored shows in the output
        done = p.jar(
            "predict", "register", "--model-dir", str(p.model_dir), "--model", "churn",
            "--model-version", "v2",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        yield p


@pytest.fixture(scope="module")
def dags(pipeline):
    for dag_id in ("scoreline_batch", "scoreline_operations"):
        forget_runs(dag_id)
    batch, ops = load_dags("scoreline_batch", "scoreline_operations")
    return {"batch": batch, "ops": ops}


# The form's defaults. dag.test() in one process keeps the previous run's conf in the DAG's
# Params, so every run passes them all, as the form does.
FORM = {"to_run": "", "reason": "", "model": "", "version": "", "alias": "production", "limit": 20}


def operate(pipeline: Pipeline, dags, **conf) -> Run:
    return run_dag(dags["ops"], pipeline.receiver, run_conf={**FORM, **conf})


def alias(pipeline: Pipeline) -> str:
    return json.loads(pipeline.store.read("models/churn/aliases/production.json"))["version"]


def watermark(pipeline: Pipeline) -> dict:
    return json.loads(pipeline.store.read("state/watermark.json"))


# ----------------------------------------------------------------------------- the scenario


@pytest.fixture(scope="module")
def published(pipeline, dags) -> tuple[Run, Run, dict]:
    """Runs A and B, and A's watermark (what a rollback to A restores)."""
    write_documents(pipeline.source, range(0, 40), datetime.now(UTC) - timedelta(minutes=3))
    a = run_dag(dags["batch"], pipeline.receiver)
    a_watermark = watermark(pipeline)
    write_documents(pipeline.source, range(40, 50), datetime.now(UTC) - timedelta(minutes=2))
    b = run_dag(dags["batch"], pipeline.receiver)
    return a, b, a_watermark


@pytest.fixture(scope="module")
def status(pipeline, dags, published) -> Run:
    return operate(pipeline, dags, action="status", limit=5)


@pytest.fixture(scope="module")
def rollbacks(pipeline, dags, status, published) -> dict[str, Run]:
    a = published[0]
    done = {"good": operate(pipeline, dags, action="rollback", to_run=a.run_id)}
    done["latest_after"] = pipeline.store.read("latest/manifest.json")
    done["unknown"] = operate(pipeline, dags, action="rollback", to_run="manual__never-published")
    done["missing"] = operate(pipeline, dags, action="rollback")
    done["latest_end"] = pipeline.store.read("latest/manifest.json")
    return done


@pytest.fixture(scope="module")
def promotions(pipeline, dags, rollbacks) -> dict[str, Run]:
    done = {"good": operate(pipeline, dags, action="promote-model", version="v2")}
    done["unknown"] = operate(pipeline, dags, action="promote-model", model="churn", version="v9")
    return done


# the file predict loads: register stores a Smile forest's flattened trees beside model.smile
V2_BYTES = "models/churn/v2/model.trees"


@pytest.fixture(scope="module")
def rerun(pipeline, dags, promotions) -> tuple[Run, Run, dict]:
    """The failed run, the same run id again once repaired, and the failed run's summary."""
    good = pipeline.store.read(V2_BYTES)
    pipeline.store.write(V2_BYTES, b"not a model")
    when = {"logical_date": datetime.now(UTC)}
    when["run_after"] = when["logical_date"]  # the run id is manual__<run_after>
    try:
        failed = run_dag(dags["batch"], pipeline.receiver, **when)
        failed_summary = xcom("scoreline_batch", failed.run_id, "summary")
    finally:
        pipeline.store.write(V2_BYTES, good)
    again = run_dag(dags["batch"], pipeline.receiver, **when)
    return failed, again, failed_summary


@pytest.fixture(scope="module")
def model_rollback(pipeline, dags, rerun) -> Run:
    return operate(pipeline, dags, action="rollback-model", model="churn", version="v1")


@pytest.fixture(scope="module")
def fallback(pipeline, dags, model_rollback) -> Run:
    return operate(
        pipeline, dags, action="fallback", reason="checking the backend's stale handling"
    )


@pytest.fixture(scope="module")
def full_refresh(pipeline, dags, fallback) -> tuple[Run, dict, Run]:
    """The operations run, the batch run it queued, and that run when run (no scheduler here)."""
    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session
    from sqlalchemy import select

    # documents 30..49 left the pool: only a full run drops them
    write_documents(pipeline.source, range(0, 30), datetime.now(UTC) - timedelta(minutes=1), "w")
    ops = operate(pipeline, dags, action="full-refresh")
    with create_session() as session:
        queued = [
            {"run_id": r.run_id, "state": str(r.state), "conf": r.conf, "note": r.note,
             "logical_date": r.logical_date}
            for r in session.scalars(
                select(DagRun).where(DagRun.dag_id == "scoreline_batch", DagRun.state == "queued")
            )
        ]  # fmt: skip
    assert len(queued) == 1, queued
    run = run_dag(
        dags["batch"],
        pipeline.receiver,
        logical_date=queued[0]["logical_date"],
        run_after=queued[0]["logical_date"],  # the queued run's id: manual__<logical date>
        run_conf=queued[0]["conf"],
    )
    return ops, queued[0], run


@pytest.fixture(scope="module")
def regressing(pipeline, dags, full_refresh) -> tuple[Run, bytes]:
    before = pipeline.store.read("latest/manifest.json")
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    run = run_dag(dags["batch"], pipeline.receiver, logical_date=an_hour_ago, run_after=an_hour_ago)
    return run, before


# ----------------------------------------------------------------------------- helpers


def one_message(run: Run) -> dict:
    assert len(run.alerts) == 1, run.alerts
    path, message = run.alerts[0]
    assert path == "/hooks/json"
    assert (message["event"], message["dag_id"]) == ("operation", "scoreline_operations")
    assert message["triggered_by"] == "dag_test"  # dag.test()'s user; the UI's is the logged-in one
    assert "dag_test asked for" in message["text"]
    assert [f for f in contract.ALERT_FIELDS if f not in message] == []  # the one field table
    return message


def action_states(run: Run) -> dict[str, str]:
    return {t: s for t, s in states(run).items() if s != "skipped"}


def log_block(run: Run) -> str:
    blocks = [line for line in run.log if line.startswith("Scoreline operation\n")]
    assert len(blocks) == 1, run.log[-20:]
    return blocks[0]


# ----------------------------------------------------------------------------- 1. batch + summary


def test_batch_runs_publish_and_summarize_what_they_did(pipeline, published):
    a, b, a_watermark = published
    assert (a.state, b.state) == ("success", "success")
    assert states(b)["summary"] == "success"
    summary = xcom("scoreline_batch", b.run_id, "summary")
    assert summary["result"] == "published" and summary["mode"] == "incremental"
    # fetch re-reads A's documents too: they are within its 5-minute --overlap
    assert (summary["read"], summary["scored"], summary["rejected"]) == (50, 50, 0)
    assert (summary["published"], summary["snapshot_count"]) == (50, 50)
    assert summary["model"] == "churn/v1" and summary["serving"] == b.run_id
    assert 0 <= summary["data_age_seconds"] < 600
    assert any(line.startswith("Run summary\n") for line in b.log)


# ----------------------------------------------------------------------------- 2. status


def test_status_lists_the_runs_and_posts_one_message(published, status):
    a, b, a_watermark = published
    assert (status.state, action_states(status)) == (
        "success",
        {"choose": "success", "status": "success"},
    )
    block = log_block(status)
    assert "status: the last 5 runs" in block and "runs --limit 5" in block
    message = one_message(status)
    assert message["action"] == "status" and message["exit_code"] == 0
    # the table is in the task log above the block; its last line, the watermark, is the output
    assert message["text"].splitlines()[1].startswith("Done: watermark: updated_at up to")
    assert f"committed by run {b.run_id}" in message["text"]


# ----------------------------------------------------------------------------- 3. rollback


def test_rollback_moves_latest_and_the_watermark_to_the_chosen_run(pipeline, published, rollbacks):
    a, b, a_watermark = published
    run = rollbacks["good"]
    assert (run.state, action_states(run)) == (
        "success",
        {"choose": "success", "rollback": "success"},
    )
    latest = json.loads(rollbacks["latest_after"])
    assert (latest["run_id"], latest["count"], latest["promoted_by"]) == (a.run_id, 40, "rollback")
    mark = watermark(pipeline)
    assert (mark["run_id"], mark["up_to"]) == (a.run_id, a_watermark["up_to"])
    block = log_block(run)
    assert f"rollback of latest/ to run {a.run_id}" in block
    assert f"publish.jar rollback --to {a.run_id}" in block and "done (exit 0)" in block
    message = one_message(run)
    assert message["params"] == {"to_run": a.run_id, "model": "churn", "alias": "production"}
    assert f"latest/ now serves run {a.run_id} (40 predictions)" in message["text"]


def test_rollback_to_an_unknown_run_fails_at_once_with_one_line(rollbacks):
    run = rollbacks["unknown"]
    assert (run.state, action_states(run)) == (
        "failed",
        {"choose": "success", "rollback": "failed"},
    )
    assert run.tis["rollback"]["try_number"] == 1, "exit 2 is not retried"
    message = one_message(run)
    assert (message["exit_code"], message["retryable"]) == (2, False)
    assert message["error"].startswith(
        "publish rollback: error: run manual__never-published was never published"
    )
    assert "\n" not in message["error"]
    assert rollbacks["latest_end"] == rollbacks["latest_after"], "nothing may change"


def test_rollback_without_a_run_is_refused_before_any_jar_runs(rollbacks):
    run = rollbacks["missing"]
    assert (run.state, states(run)["choose"], states(run)["rollback"]) == (
        "failed",
        "failed",
        "upstream_failed",
    ), run.alerts
    message = one_message(run)
    assert message["error"].startswith("rollback needs to_run: to_run is the published run")
    assert "Refused: rollback needs to_run" in message["text"]


# ----------------------------------------------------------------------------- 4, 5. models, reruns


def test_promote_model_moves_the_alias_and_an_unknown_version_changes_nothing(pipeline, promotions):
    good, unknown = promotions["good"], promotions["unknown"]
    assert good.state == "success"
    assert "alias production of model churn: v1 -> v2" in one_message(good)["text"]
    assert unknown.state == "failed" and unknown.tis["promote_model"]["try_number"] == 1
    message = one_message(unknown)
    assert message["exit_code"] == 2
    assert (
        message["error"]
        == "predict models promote: error: model churn has no version 'v9'; its versions: v1, v2"
    )
    assert alias(pipeline) == "v2"


def test_a_failed_task_run_again_publishes_idempotently_with_the_promoted_version(pipeline, rerun):
    failed, again, failed_summary = rerun
    assert failed.run_id == again.run_id
    assert (failed.state, states(failed)["predict"], states(failed)["fallback"]) == (
        "failed",
        "failed",
        "success",
    )
    assert again.state == "success", again
    # the failed try's summary, in the grid before the rerun replaced it, said why
    assert failed_summary["result"] == "fell_back"
    assert failed_summary["reason"].startswith(
        "predict failed: model missing, corrupt or incompatible"
    )
    latest = pipeline.latest()
    assert (latest["run_id"], latest["model_version"], latest["stale"]) == (
        again.run_id,
        "v2",
        False,
    )
    # after the rollback to A the watermark was A's: B's documents were read and scored again
    summary = xcom("scoreline_batch", again.run_id, "summary")
    assert (summary["read"], summary["scored"], summary["snapshot_count"]) == (50, 50, 50)
    assert summary["model"] == "churn/v2"
    versions = {r["model_version"] for r in pipeline.store.records("latest/predictions.ndjson.gz")}
    assert versions == {"v2"}


def test_rollback_model_points_the_alias_back(pipeline, model_rollback):
    assert model_rollback.state == "success"
    assert alias(pipeline) == "v1"
    message = one_message(model_rollback)
    assert "back to version v1" in message["text"] and "v2 -> v1" in message["text"]


# ----------------------------------------------------------------------------- 7. fallback


def test_fallback_marks_latest_stale_with_the_reason_and_who_asked(pipeline, rerun, fallback):
    assert fallback.state == "success"
    latest = json.loads(pipeline.store.read("latest/manifest.json"))
    assert (latest["run_id"], latest["stale"]) == (rerun[1].run_id, True)
    assert latest["stale_reason"] == (
        "checking the backend's stale handling (manual fallback by dag_test)"
    )
    one_message(fallback)


# ----------------------------------------------------------------------------- 8. full refresh


def test_full_refresh_queues_one_full_batch_run_which_publishes_a_full_snapshot(
    pipeline, full_refresh
):
    ops, queued, run = full_refresh
    assert (ops.state, action_states(ops)) == (
        "success",
        {"choose": "success", "full_refresh": "success"},
    )
    assert queued["conf"] == {"mode": "full"}
    assert queued["note"] == f"full refresh by dag_test (scoreline_operations run {ops.run_id})"
    message = one_message(ops)
    assert f"queued scoreline_batch run {queued['run_id']} with mode=full" in message["text"]
    assert run.run_id == queued["run_id"] and run.state == "success", run
    latest = pipeline.latest()
    assert (latest["run_id"], latest["count"], latest["stale"]) == (run.run_id, 30, False)
    summary = xcom("scoreline_batch", run.run_id, "summary")
    assert (summary["mode"], summary["read"], summary["snapshot_count"]) == ("full", 30, 30)
    assert summary["model"] == "churn/v1"  # the alias rolled back


# ----------------------------------------------------------------------------- 9. no regression


def test_a_manual_run_older_than_latest_is_refused_with_the_reason_in_the_log(pipeline, regressing):
    run, before = regressing
    assert run.state == "failed"
    assert (states(run)["publish"], states(run)["fallback"]) == ("failed", "success")
    assert run.tis["publish"]["try_number"] == 1, "exit 6 is not retried"
    # the job's one line, which the task log shows last (the failure record keeps it)
    failure = xcom("scoreline_batch", run.run_id, "publish", key="failure")
    assert failure["exit_code"] == 6
    assert failure["error"].startswith(f"publish: error: run {run.run_id} (interval end ")
    assert "is older than the published run" in failure["error"]
    assert "publishing it would regress latest" in failure["error"]
    assert (
        json.loads(pipeline.store.read("latest/manifest.json"))["run_id"]
        == json.loads(before)["run_id"]
    )
    assert not json.loads(pipeline.store.read("latest/manifest.json"))["stale"]


def test_every_operations_run_posted_exactly_one_message(
    status, rollbacks, promotions, model_rollback, fallback, full_refresh
):
    runs = [status, *(rollbacks[k] for k in ("good", "unknown", "missing")), *promotions.values()]
    runs += [model_rollback, fallback, full_refresh[0]]
    assert [len(r.alerts) for r in runs] == [1] * len(runs)
