"""The DAGs read the jobs' own exit-code table and alert fields (scoreline/exit_codes.json)."""

from __future__ import annotations

import json
from types import SimpleNamespace

from conftest import DAGS, REPO
from scoreline import contract

JOBS_TABLE = REPO / "jobs/core/src/main/resources/io/scoreline/core/error/exit-codes.json"
DAGS_COPY = DAGS / "scoreline/exit_codes.json"


def test_the_dags_copy_is_the_jobs_table():
    assert DAGS_COPY.read_bytes() == JOBS_TABLE.read_bytes(), (
        f"edit {JOBS_TABLE.relative_to(REPO)}, then copy it to {DAGS_COPY.relative_to(REPO)}"
    )


def test_meanings_and_retries_come_from_the_table():
    rows = json.loads(JOBS_TABLE.read_text())["exit_codes"]
    assert {r["code"]: r["meaning"] for r in rows}.items() <= contract.MEANINGS.items()
    assert {2, 5, 6} <= contract.NO_RETRY
    assert not {0, 1, 3, 4} & contract.NO_RETRY
    assert contract.ALERT_FIELDS[:4] == ("event", "text", "job", "run_id")


def test_a_failed_runs_alert_carries_every_field(airflow_in_process):
    from scoreline import alerts, jobs

    pushed = {}
    ti = SimpleNamespace(
        task_id="predict",
        try_number=1,
        max_tries=0,
        log_url="http://airflow/log",
        xcom_push=lambda key, value: pushed.update(value),
    )
    jobs.record_failure({"ti": ti}, 5, "predict: error: model churn has no version v9")
    message = alerts.Message("failed", "text", "scoreline_batch", "manual__1", pushed)
    as_json = message.as_json()
    missing = [f for f in contract.ALERT_FIELDS if f not in as_json]
    assert not missing, as_json
    assert as_json["job"] == "predict" and as_json["retryable"] is False
    assert as_json["meaning"] == contract.MEANINGS[5]
