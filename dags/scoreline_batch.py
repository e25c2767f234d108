"""
### Scoreline batch scoring, every five minutes

`fetch >> predict >> publish`, each a `java -jar` job working only under `runs/<run_id>/` of the
store; `publish` promotes the run to `latest/`, which the backend reads.

* **Retries** follow the jobs' exit codes: 3 (source unavailable) and 4 (store unavailable) are
  retried twice with exponential backoff (15 s, then about 30 s); 2 (configuration), 5 (model) and
  6 (validation refused) fail at once. Each try has a 2-minute timeout.
* **Fallback**: when a job has failed for good, `fallback` re-promotes the last good output and
  marks `latest/` stale with the reason. The run still ends **failed**: `done`, a leaf that
  needs every job to succeed, is then upstream_failed, so a fallback never looks like a success.
* **Alerts**: one message per failed run, sent once the fallback has finished (saying whether the
  last good output was kept), and one "recovered" message when a run publishes after a failed
  one. While the same failure (task and exit code) persists, it alerts again only every
  `alert_repeat_minutes` (default 60); each alert left out is one line in the fallback's log. The separate `scoreline_freshness` DAG alerts when `latest/` gets old or stale.
* **Settings** come from the Variable `scoreline_config` and Connections when a task runs
  (see `dags/scoreline/config.py`); the `mode` param runs a full rescoring on demand.

Budget: a document changed at T is read by the run scheduled at the next 5-minute mark after
T + 30 s (fetch's refresh lag) and published within a minute or two: under 10 minutes.
"""

from __future__ import annotations

import pendulum
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, Param, TriggerRule

from scoreline import alerts, config, jobs
from scoreline.jobs import JarOperator

RUN = '--run-id "{{ run_id }}"'
# Manual runs in Airflow 3 may have no data interval: fall back to when the run was due.
INTERVAL_END = '--data-interval-end "{{ data_interval_end or dag_run.run_after }}"'
MODE = '--mode "{{ params.mode }}"'


def fallback_reason(context, settings) -> dict[str, str]:
    """Why the run failed, for publish.jar fallback --reason, e.g. 'predict failed: ... (exit 5)'."""
    failed = jobs.failures(context, alerts.JOB_TASKS)
    reason = "; ".join(f["summary"] for f in failed) or "a job failed (no exit code recorded)"
    return {"SCORELINE_FALLBACK_REASON": reason}


with DAG(
    dag_id="scoreline_batch",
    schedule="*/5 * * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["scoreline", "batch"],
    doc_md=__doc__,
    default_args=config.task_defaults(retries=2),
    params={"mode": Param("incremental", enum=["incremental", "full"], description="fetch --mode")},
) as dag:
    fetch = JarOperator(
        task_id="fetch",
        jar="fetch.jar",
        args=f"{RUN} {INTERVAL_END} {MODE}",
    )
    predict = JarOperator(task_id="predict", jar="predict.jar", args=RUN)
    publish = JarOperator(
        task_id="publish",
        jar="publish.jar",
        args=RUN,
        on_success_callback=alerts.recovered,
    )
    fallback = JarOperator(
        task_id="fallback",
        jar="publish.jar",
        args=f'fallback {RUN} --reason "$SCORELINE_FALLBACK_REASON"',
        runtime_env=fallback_reason,
        trigger_rule=TriggerRule.ONE_FAILED,
        on_success_callback=alerts.run_failed,
        on_failure_callback=alerts.run_failed,
    )
    # The run's state comes from its leaves: without this one, a successful fallback (the only
    # other leaf) would make a failed run look successful.
    done = EmptyOperator(task_id="done")

    fetch >> predict >> publish >> done
    [fetch, predict, publish] >> fallback
