"""End to end: the scoreline_batch and scoreline_freshness DAGs run by ``dag.test()`` in this
process, executing the real jars (dist/*.jar) against a real store, with a local webhook
receiver standing in for Slack.

One scenario, in order (each fixture is one DAG run and builds on the previous one):

1. good run          -> publishes; latest/ is this run
2. corrupt model     -> predict exits 5, no retry; fallback keeps run 1 marked stale; run failed; one alert
   and again         -> the same failure in the next run: no alert, one "suppressed" line in the log
3. source missing    -> fetch exits 3, retried 2 times; fallback; run failed; one alert
4. freshness, stale  -> check fails (exit 6); one "stale" alert
5. good run again    -> publishes; one "recovered" message (through the Slack provider's hook)
6. freshness, fresh  -> no alert
7. freshness, old    -> max age 1 s: check fails; one alert
8. empty store       -> predict exits 5, the fallback has nothing to keep (exit 6); one alert saying so

Source: an NDJSON file (test_batch_es_e2e.py reads Elasticsearch). Store: a temporary file
store, or an S3 prefix when SCORELINE_IT_S3_ENDPOINT is set. Jars: dist/, or SCORELINE_IT_JAR_DIR. Retry delays are 1 s
(SCORELINE_DAG_RETRY_DELAY_SECONDS).
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from e2e import (
    RETRIES,
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
)

pytestmark = needs_jars


def append_documents(path: Path, start: int, count: int, updated_at: datetime) -> None:
    with path.open("a") as fh:
        for i in range(start, start + count):
            fh.write(json.dumps(customer(i, updated_at)) + "\n")


# ----------------------------------------------------------------------------- the scenario


@pytest.fixture(scope="module")
def pipeline(airflow_in_process, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    source = tmp / "source" / "documents.ndjson"
    source.parent.mkdir()
    with settings_restored():
        yield make_pipeline(tmp, source, source=str(source))


@pytest.fixture(scope="module")
def dags(pipeline):
    forget_runs("scoreline_batch")
    forget_runs("scoreline_freshness")
    return load_dags("scoreline_batch", "scoreline_freshness")


@pytest.fixture(scope="module")
def good_run(pipeline, dags) -> Run:
    append_documents(pipeline.source, 0, 40, datetime.now(UTC) - timedelta(minutes=2))
    return run_dag(dags[0], pipeline.receiver)


@pytest.fixture(scope="module")
def corrupt_model_run(pipeline, dags, good_run) -> Run:
    corrupt_model(pipeline)
    return run_dag(dags[0], pipeline.receiver)


@pytest.fixture(scope="module")
def same_failure_again_run(pipeline, dags, corrupt_model_run) -> Run:
    return run_dag(dags[0], pipeline.receiver)


@pytest.fixture(scope="module")
def source_missing_run(pipeline, dags, same_failure_again_run) -> Run:
    restore_model(pipeline)
    pipeline.set_config(source=str(pipeline.source.parent / "gone.ndjson"))
    return run_dag(dags[0], pipeline.receiver)


@pytest.fixture(scope="module")
def freshness_stale_run(pipeline, dags, source_missing_run) -> Run:
    return run_dag(dags[1], pipeline.receiver)


@pytest.fixture(scope="module")
def recovered_run(pipeline, dags, freshness_stale_run) -> Run:
    pipeline.set_config(source=str(pipeline.source), alert_conn_id="scoreline_slack")
    append_documents(pipeline.source, 40, 10, datetime.now(UTC) - timedelta(minutes=1))
    try:
        return run_dag(dags[0], pipeline.receiver)
    finally:
        pipeline.set_config(alert_conn_id="scoreline_alerts")


@pytest.fixture(scope="module")
def freshness_runs(pipeline, dags, recovered_run) -> tuple[Run, Run]:
    fresh = run_dag(dags[1], pipeline.receiver)
    pipeline.set_config(freshness_max_age="1s")
    time.sleep(2.1)
    try:
        old = run_dag(dags[1], pipeline.receiver)
    finally:
        pipeline.set_config(freshness_max_age="10m")
    return fresh, old


@pytest.fixture(scope="module")
def nothing_to_fall_back_to_run(pipeline, dags, freshness_runs) -> Run:
    settings = dict(pipeline.config)
    # the jobs refuse a store directory that does not exist (exit 2)
    if pipeline.store.path is not None:
        pipeline.store.path.with_name(pipeline.store.path.name + "-empty").mkdir(exist_ok=True)
    pipeline.set_config(
        store=pipeline.store.uri.rstrip("/") + "-empty"
    )  # no model, nothing published
    try:
        return run_dag(dags[0], pipeline.receiver)
    finally:
        pipeline.set_config(**settings)


# the file predict loads: register stores a Smile forest's flattened trees beside model.smile
MODEL_KEY = "models/churn/v1/model.trees"


def corrupt_model(p: Pipeline) -> None:
    """Damages the registered model's bytes in the store; register itself refuses such a model."""
    (p.model_dir / "model.trees.good").write_bytes(p.store.read(MODEL_KEY))
    p.store.write(MODEL_KEY, b"not a model")


def restore_model(p: Pipeline) -> None:
    p.store.write(MODEL_KEY, (p.model_dir / "model.trees.good").read_bytes())


# ----------------------------------------------------------------------------- 1. good run


def test_good_run_publishes_its_own_output(pipeline, good_run):
    assert good_run.state == "success", good_run
    assert states(good_run) == {
        "partitions": "success",
        "fetch": "success",
        "predict": "success",
        "publish": "success",
        "done": "success",
        "fallback": "skipped",
        "summary": "success",
    }
    latest = pipeline.latest()
    assert latest["run_id"] == good_run.run_id
    assert latest["stale"] is False and latest["count"] == 40
    assert good_run.alerts == []


# ----------------------------------------------------------------------------- 2. corrupt model


def test_corrupt_model_fails_predict_at_once_and_the_run_fails(corrupt_model_run):
    run = corrupt_model_run
    assert run.state == "failed", run
    assert states(run) == {
        "partitions": "success",
        "fetch": "success",
        "predict": "failed",
        "publish": "upstream_failed",
        "done": "upstream_failed",
        "fallback": "success",
        "summary": "success",
    }
    assert (run.tis["predict"]["try_number"], run.tis["predict"]["max_tries"]) == (1, RETRIES)
    assert run.tries.get("predict", 0) == 0, "exit 5 must not be retried"


def test_corrupt_model_fallback_keeps_last_good_output_marked_stale(
    pipeline, good_run, corrupt_model_run
):
    latest = pipeline.latest()
    assert latest["run_id"] == good_run.run_id
    assert latest["stale"] is True
    assert latest["failed_run_id"] == corrupt_model_run.run_id
    assert (
        latest["stale_reason"] == "predict failed: model missing, corrupt or incompatible (exit 5)"
    )


def test_corrupt_model_sends_exactly_one_alert_with_the_facts(corrupt_model_run):
    assert len(corrupt_model_run.alerts) == 1, corrupt_model_run.alerts
    path, alert = corrupt_model_run.alerts[0]
    assert path == "/hooks/json"
    assert alert["event"] == "failed"
    assert (alert["dag_id"], alert["run_id"], alert["task_id"]) == (
        "scoreline_batch",
        corrupt_model_run.run_id,
        "predict",
    )
    assert (alert["exit_code"], alert["try_number"], alert["retryable"]) == (5, 1, False)
    assert alert["meaning"] == "model missing, corrupt or incompatible"
    assert alert["error"].startswith("predict: error: model churn/")  # the job's own line
    assert alert["fallback_kept_last_good"] is True
    assert "again, marked stale" in alert["fallback"]
    assert (
        "/dags/scoreline_batch/runs/" in alert["log_url"] and "/tasks/predict" in alert["log_url"]
    )
    for fact in (
        "scoreline_batch",
        "predict failed",
        corrupt_model_run.run_id,
        "exit 5",
        "try 1 of 3, not retried",
        "Fallback:",
        "Log: http",
    ):
        assert fact in alert["text"], (fact, alert["text"])


def test_the_same_failure_in_the_next_run_sends_no_alert_but_logs_it(
    corrupt_model_run, same_failure_again_run
):
    run = same_failure_again_run
    assert (run.state, states(run)["predict"], states(run)["fallback"]) == (
        "failed",
        "failed",
        "success",
    )
    assert run.alerts == []
    suppressed = [line for line in run.alert_log if "suppressed" in line]
    assert len(suppressed) == 1, run.alert_log
    assert (
        f"Alert (failed, run {run.run_id}) suppressed: the same failure (predict exit 5)"
        in (suppressed[0])
    )
    assert "1 suppressed, next alert from" in suppressed[0]


# ----------------------------------------------------------------------------- 3. transient failure


def test_source_unavailable_is_retried_then_fails(source_missing_run):
    run = source_missing_run
    assert run.state == "failed", run
    assert states(run) == {
        "partitions": "success",
        "fetch": "failed",
        "predict": "upstream_failed",
        "publish": "upstream_failed",
        "done": "upstream_failed",
        "fallback": "success",
        "summary": "success",
    }
    assert run.tis["fetch"]["try_number"] == RETRIES + 1
    assert run.tries["fetch"] == RETRIES, "every earlier try is archived"


def test_source_unavailable_sends_one_alert_after_the_last_try(
    pipeline, good_run, source_missing_run
):
    assert [a["task_id"] for _, a in source_missing_run.alerts] == ["fetch"]
    alert = source_missing_run.alerts[0][1]
    assert (alert["exit_code"], alert["try_number"], alert["retryable"]) == (3, RETRIES + 1, True)
    assert "(try 3 of 3)" in alert["text"]
    latest = pipeline.latest()
    assert (latest["run_id"], latest["stale"]) == (good_run.run_id, True)
    assert latest["stale_reason"] == "fetch failed: source unavailable (exit 3)"


# ----------------------------------------------------------------------------- 4-7. freshness, recovery


def test_freshness_check_alerts_on_stale_output(freshness_stale_run):
    run = freshness_stale_run
    assert (run.state, states(run)) == ("failed", {"check_freshness": "failed"})
    assert run.tis["check_freshness"]["try_number"] == 1, "exit 6 is not retried"
    assert len(run.alerts) == 1
    alert = run.alerts[0][1]
    assert (alert["event"], alert["dag_id"], alert["exit_code"]) == (
        "stale",
        "scoreline_freshness",
        6,
    )
    assert "is stale" in alert["error"] and "fetch failed" in alert["error"]


def test_next_good_run_publishes_and_sends_one_recovered_message_to_slack(pipeline, recovered_run):
    assert recovered_run.state == "success", recovered_run
    latest = pipeline.latest()
    assert (latest["run_id"], latest["stale"], latest["count"]) == (recovered_run.run_id, False, 50)
    assert len(recovered_run.alerts) == 1, recovered_run.alerts
    path, body = recovered_run.alerts[0]
    assert path == "/hooks/slack"
    assert set(body) == {"text"}  # what the Slack provider's hook posts
    assert "recovered" in body["text"] and recovered_run.run_id in body["text"]
    assert "The incident lasted" in body["text"]  # since the fetch failure (run 3)


def test_freshness_check_passes_on_fresh_output_and_alerts_on_old(freshness_runs):
    fresh, old = freshness_runs
    assert (fresh.state, fresh.alerts) == ("success", [])
    assert old.state == "failed"
    assert len(old.alerts) == 1
    alert = old.alerts[0][1]
    assert alert["event"] == "stale" and "more than --max-age 1 s" in alert["error"]
    assert "not fresh" in alert["text"]


# ----------------------------------------------------------------------------- 8. nothing to keep


def test_alert_says_so_when_the_fallback_fails_too(nothing_to_fall_back_to_run):
    run = nothing_to_fall_back_to_run
    assert run.state == "failed", run
    assert states(run) == {
        "partitions": "success",
        "fetch": "success",
        "predict": "failed",
        "publish": "upstream_failed",
        "done": "upstream_failed",
        "fallback": "failed",
        "summary": "success",
    }
    assert run.tis["fallback"]["try_number"] == 1, "exit 6 (nothing published yet) is not retried"
    assert len(run.alerts) == 1, run.alerts
    alert = run.alerts[0][1]
    assert (alert["task_id"], alert["exit_code"], alert["fallback_kept_last_good"]) == (
        "predict",
        5,
        False,
    )
    assert "the fallback failed too" in alert["text"] and "exit 6" in alert["text"]
