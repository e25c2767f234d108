"""Smoke test of the Airflow 3 test environment (testenv/airflow/).

Runs ``airflow dags test`` on dags/tests/fixtures/hello_dag.py in a subprocess, inside the
session's isolated AIRFLOW_HOME with a SQLite DB (testenv/airflow/env.sh, sourced and migrated
once by conftest's ``airflow_in_process``), fully offline, then checks the files the
tasks/callbacks wrote and the task/dag-run rows in the metadata DB (its own DAG's rows only).

Run with the project venv (made by testenv/airflow/venv.sh): testenv/airflow/run-tests.sh.
"""

from __future__ import annotations

import sqlite3
import subprocess
import time
from datetime import datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DAG_ID = "scoreline_hello"
RUN_TIMEOUT_S = 600


@pytest.fixture(scope="module")
def airflow_env(airflow_in_process, tmp_path_factory) -> dict[str, str]:
    """Environment after `source testenv/airflow/env.sh <tmp>` (venv + db migrate): the session's."""
    env = airflow_in_process
    assert Path(env["AIRFLOW_HOME"]).parent == tmp_path_factory.getbasetemp()
    assert env["AIRFLOW__CORE__DAGS_FOLDER"] == str(REPO / "dags")
    assert (Path(env["AIRFLOW_HOME"]) / "airflow.db").is_file()
    return env


def _db(env: dict[str, str]) -> sqlite3.Connection:
    return sqlite3.connect(Path(env["AIRFLOW_HOME"]) / "airflow.db")


def _run_ids(env: dict[str, str]) -> set[str]:
    with _db(env) as conn:
        return {
            r[0] for r in conn.execute("SELECT run_id FROM dag_run WHERE dag_id = ?", (DAG_ID,))
        }


def _dags_test(env: dict[str, str], out: Path, *extra: str) -> dict:
    """Run `airflow dags test scoreline_hello` and return what happened."""
    out.mkdir(parents=True, exist_ok=True)
    before = _run_ids(env)
    log = out.parent / f"{out.name}.log"
    t0 = time.monotonic()
    with open(log, "wb") as fh:
        proc = subprocess.run(
            ["airflow", "dags", "test", DAG_ID, *extra],
            env=dict(env, SCORELINE_SMOKE_OUT=str(out)),
            stdout=fh,
            stderr=subprocess.STDOUT,
            timeout=RUN_TIMEOUT_S,
        )
    seconds = time.monotonic() - t0
    new = _run_ids(env) - before
    text = log.read_text(errors="replace")
    assert len(new) == 1, f"expected one new dag run, got {new}; log {log}:\n{text[-4000:]}"
    run_id = new.pop()
    with _db(env) as conn:
        state = conn.execute("SELECT state FROM dag_run WHERE run_id = ?", (run_id,)).fetchone()[0]
        tis = {
            row[0]: {"state": row[1], "try_number": row[2], "max_tries": row[3], "start": row[4]}
            for row in conn.execute(
                "SELECT task_id, state, try_number, max_tries, start_date FROM task_instance "
                "WHERE dag_id = ? AND run_id = ?",
                (DAG_ID, run_id),
            )
        }
        history = [
            {"task_id": r[0], "try_number": r[1], "state": r[2], "end": r[3]}
            for r in conn.execute(
                "SELECT task_id, try_number, state, end_date FROM task_instance_history "
                "WHERE dag_id = ? AND run_id = ? ORDER BY task_id, try_number",
                (DAG_ID, run_id),
            )
        ]
    print(f"`airflow dags test {DAG_ID} {' '.join(extra)}` took {seconds:.1f}s, state={state}")
    return {
        "rc": proc.returncode,
        "log": text,
        "seconds": seconds,
        "run_id": run_id,
        "state": state,
        "tis": tis,
        "history": history,
        "out": out,
    }


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def _ts(value: str) -> datetime:
    return datetime.fromisoformat(value)


@pytest.fixture(scope="module")
def failed_run(airflow_env, tmp_path_factory) -> dict:
    return _dags_test(airflow_env, tmp_path_factory.mktemp("smoke") / "failed_run")


# --------------------------------------------------------------------------- parsing


def test_dags_folder_parses_with_zero_import_errors(airflow_env):
    code = (
        "import json, os\n"
        "from airflow.dag_processing.dagbag import BundleDagBag\n"
        "folder = os.environ['AIRFLOW__CORE__DAGS_FOLDER']\n"
        "# BundleDagBag, as the dag-processor parses: it puts the folder on sys.path for local imports\n"
        "bag = BundleDagBag(dag_folder=folder, bundle_path=folder, bundle_name='dags-folder')\n"
        "print(json.dumps({'errors': bag.import_errors, 'dags': sorted(bag.dag_ids),"
        " 'files': sorted(bag.file_last_changed)}))\n"
    )
    proc = subprocess.run(
        ["python", "-c", code], env=airflow_env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    import json

    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["errors"] == {}
    assert DAG_ID in result["dags"]
    # .airflowignore keeps pytest modules out of DAG discovery.
    assert not any(Path(f).name.startswith("test_") for f in result["files"]), result["files"]


# --------------------------------------------------------------------------- failed run


def test_cli_reports_failed_dag_run(failed_run):
    assert failed_run["rc"] == 1
    assert "DagRun failed" in failed_run["log"]
    assert failed_run["state"] == "failed"


def test_success_task_wrote_its_output(failed_run):
    assert failed_run["tis"]["ok"]["state"] == "success"
    assert _lines(failed_run["out"] / "ok.txt") == ["hello from try 1 / 1"]


def test_failing_task_was_tried_twice_with_retry_delay(failed_run):
    ti = failed_run["tis"]["always_fails"]
    assert (ti["state"], ti["try_number"], ti["max_tries"]) == ("failed", 2, 1)
    assert _lines(failed_run["out"] / "always_fails.tries") == ["1", "2"]
    # Try 1 is archived in task_instance_history (with state "failed", not "up_for_retry").
    hist = [h for h in failed_run["history"] if h["task_id"] == "always_fails"]
    assert [(h["try_number"], h["state"]) for h in hist] == [(1, "failed")]
    # dag.test() waits for retry_delay (3 s) before running try 2.
    gap = (_ts(ti["start"]) - _ts(hist[0]["end"])).total_seconds()
    assert gap >= 2.9, gap


def test_task_failure_callback_fired_once_and_retry_callback_per_retry(failed_run):
    out = failed_run["out"]
    on_failure = _lines(out / "task_on_failure.log")
    on_retry = _lines(out / "task_on_retry.log")
    assert [line for line in on_failure if line.startswith("always_fails ")] == [
        "always_fails try=2 state=TaskInstanceState.FAILED"
    ]
    assert [line for line in on_retry if line.startswith("always_fails ")] == [
        "always_fails try=1 state=TaskInstanceState.UP_FOR_RETRY"
    ]


def test_flaky_task_succeeds_on_retry(failed_run):
    ti = failed_run["tis"]["flaky"]
    assert (ti["state"], ti["try_number"]) == ("success", 2)
    assert _lines(failed_run["out"] / "flaky.tries") == ["1", "2"]
    assert [
        line
        for line in _lines(failed_run["out"] / "task_on_retry.log")
        if line.startswith("flaky ")
    ] == ["flaky try=1 state=TaskInstanceState.UP_FOR_RETRY"]
    assert not [
        line
        for line in _lines(failed_run["out"] / "task_on_failure.log")
        if line.startswith("flaky ")
    ]


def test_fail_fast_exit_code_skips_remaining_retries(failed_run):
    ti = failed_run["tis"]["fail_fast"]
    assert (ti["state"], ti["try_number"], ti["max_tries"]) == ("failed", 1, 2)
    assert _lines(failed_run["out"] / "fail_fast.tries") == ["1"]
    assert "fail_fast try=1 state=TaskInstanceState.FAILED" in _lines(
        failed_run["out"] / "task_on_failure.log"
    )
    assert not [
        line
        for line in _lines(failed_run["out"] / "task_on_retry.log")
        if line.startswith("fail_fast ")
    ]


def test_exit_99_skips(failed_run):
    assert failed_run["tis"]["skipped"]["state"] == "skipped"
    assert _lines(failed_run["out"] / "skipped.ran") == ["ran"]


def test_one_failed_task_ran_and_all_success_task_did_not(failed_run):
    assert failed_run["tis"]["on_fail"]["state"] == "success"
    assert _lines(failed_run["out"] / "on_fail.txt") == ["upstream failed"]
    assert failed_run["tis"]["publish"]["state"] == "upstream_failed"
    assert not (failed_run["out"] / "publish.txt").exists()


def test_dag_failure_callback_fired_once(failed_run):
    lines = _lines(failed_run["out"] / "dag_on_failure.log")
    assert len(lines) == 1, lines
    assert lines[0].startswith("dag_run reason=task_failure"), lines
    assert not (failed_run["out"] / "dag_on_success.log").exists()


# --------------------------------------------------------------------------- success run


def test_mark_success_pattern_gives_successful_run_and_dag_success_callback(
    airflow_env, failed_run, tmp_path_factory
):
    # failed_run first: both runs share one DB, run ids tell them apart.
    run = _dags_test(
        airflow_env,
        tmp_path_factory.mktemp("smoke") / "success_run",
        "--mark-success-pattern",
        "flaky|always_fails|fail_fast",
    )
    assert run["rc"] == 0, run["log"][-4000:]
    assert run["state"] == "success"
    states = {task: ti["state"] for task, ti in run["tis"].items()}
    assert states == {
        "ok": "success",
        "flaky": "success",
        "always_fails": "success",
        "fail_fast": "success",
        "skipped": "skipped",
        "on_fail": "skipped",  # one_failed with no failed upstream -> skipped
        "publish": "success",
    }
    # Marked tasks are not executed at all.
    assert not (run["out"] / "always_fails.tries").exists()
    lines = _lines(run["out"] / "dag_on_success.log")
    assert len(lines) == 1 and lines[0].startswith("dag_run reason=success"), lines
    assert not (run["out"] / "dag_on_failure.log").exists()
