"""
### Scoreline freshness check

Every five minutes (offset by two from `scoreline_batch`), `publish.jar status --max-age` checks
`latest/manifest.json` in the store: when it was published longer ago than `freshness_max_age`
(Variable `scoreline_config`, default 10 minutes) or is marked stale, the task fails (exit 6,
no retry) and its failure callback sends an alert; while it stays stale, the alert repeats only
every `alert_repeat_minutes` (default 60), and a passing check ends the incident. This catches
what the batch DAG's own callbacks cannot: a killed worker, a paused DAG, a scheduler that
stopped.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG

from scoreline import alerts, config
from scoreline.jobs import JarOperator


def max_age(context, settings) -> dict[str, str]:
    return {"SCORELINE_MAX_AGE": settings.freshness_max_age}


with DAG(
    dag_id="scoreline_freshness",
    schedule="2-59/5 * * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["scoreline", "monitoring"],
    doc_md=__doc__,
    default_args=config.task_defaults(retries=1),
) as dag:
    JarOperator(
        task_id="check_freshness",
        jar="publish.jar",
        args='status --max-age "$SCORELINE_MAX_AGE"',
        runtime_env=max_age,
        on_failure_callback=alerts.stale,
        on_success_callback=alerts.fresh,
    )
