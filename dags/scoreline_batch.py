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
  (see `dags/scoreline/config.py`).
* **Partitions**: `partitions` reads P from the settings (default 1) and the task group
  `partition` (`fetch` then `predict`) is mapped over it: P chains, each `--partition i/P` (its own
  slices of one Elasticsearch point-in-time, or its share of the ids), predict i waiting for fetch
  i only; `publish` waits for every chain, then validates and merges every part. A failed
  partition stops its own predict, fails the run and starts the fallback; the other chains go on.
  Retrying or clearing one reruns only its own share (clearing its fetch with Downstream: its
  predict and publish). With P = 1 one chain runs, without `--partition`: the unpartitioned run.
* **What a run did**: the `summary` task (last, after success or failure) logs one block and
  returns it as its XCom: the result, documents read, scored, rejected and published, the
  snapshot size, the model version, which run `latest/` serves and its data age in seconds.
* **Manual runs**: *Trigger DAG* with `mode` = `full` rescores the whole pool and drops documents
  that left it (the `scoreline_operations` DAG's `full-refresh` queues exactly such a run). A
  manual run never regresses `latest/`: publishing a run whose data is older than what `latest/`
  serves is refused (exit 6, the reason in `publish`'s log) and `fallback` leaves `latest/` as it
  is. **Clearing** a failed task reruns it with the same run id: each job overwrites only its own
  `runs/<run_id>/` files, and publishing the same run again gives the same snapshot. A run that
  published is history: clearing it fails `fetch`/`predict` at once (exit 2) and `fallback` marks
  nothing stale; trigger a new run instead.

Budget: a document changed at T is read by the run scheduled at the next 5-minute mark after
T + 30 s (fetch's refresh lag) and published within a minute or two: under 10 minutes.
"""

from __future__ import annotations

import pendulum
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, Param, TriggerRule, task, task_group

from scoreline import alerts, config, jobs
from scoreline.jobs import JarOperator
from scoreline.summary import RunSummaryOperator

RUN = '--run-id "{{ run_id }}"'
# Manual runs in Airflow 3 may have no data interval: fall back to when the run was due. Such a
# run's context has no data_interval_end at all, and an undefined name fails the template, so
# default() first (dag.test() always gives a logical date and never showed it; a scheduler does).
INTERVAL_END = '--data-interval-end "{{ data_interval_end | default(none) or dag_run.run_after }}"'
MODE = '--mode "{{ params.mode }}"'
# The grid's name for a mapped fetch or predict: its partition.
PARTITION_LABEL = "{{ task.partition or 'whole run' }}"


def fallback_reason(context, settings) -> dict[str, str]:
    """Why the run failed, for publish.jar fallback --reason, e.g. 'predict failed: ... (exit 5)'."""
    failed = jobs.failures(context, alerts.JOB_TASKS)
    reason = jobs.describe(failed) or "a job failed (no exit code recorded)"
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

    @task(
        doc_md="Reads `partitions` (P) from the settings once for the run: the `partition` group "
        "(`fetch`, then `predict`) runs once per partition, `--partition i/P` (once, without it, "
        "when P is 1). An invalid P fails here, before any job runs."
    )
    def partitions() -> list[str | None]:
        return config.load().partition_list()

    # A mapped task group rather than two mapped tasks: Airflow ties predict[i] to fetch[i] only
    # (a mapped task waits for every instance of the one before it), so a partition's predict
    # starts when its own fetch is done, a failed fetch stops only its own predict, and clearing
    # fetch[i] with Downstream reruns predict[i], not every partition's. No prefix: the tasks keep
    # the ids `fetch` and `predict` that the alerts, the fallback and the docs name.
    @task_group(group_id="partition", prefix_group_id=False)
    def partition(part: str | None) -> None:
        """One partition of the run: its fetch, then its predict (`--partition i/P`)."""
        fetch = JarOperator(
            task_id="fetch",
            jar="fetch.jar",
            args=f"{RUN} {INTERVAL_END} {MODE}",
            partition=part,
            map_index_template=PARTITION_LABEL,
            doc_md="`fetch.jar`: the documents updated since the watermark (minus `--overlap`) up to "
            "the run's data interval end, newest version per id, into `runs/<run_id>/input.ndjson.gz` "
            "(partition i: `runs/<run_id>/parts/<i>/`); `mode=full` reads the whole pool. Exit 3 "
            "(source down) is retried.",
        )
        predict = JarOperator(
            task_id="predict",
            jar="predict.jar",
            args=RUN,
            partition=part,
            map_index_template=PARTITION_LABEL,
            doc_md="`predict.jar`: scores the run's input (partition i: its part, once that "
            "partition's fetch is done) with the version the model's alias (`model_alias`, "
            "default production) names, into `runs/<run_id>/predictions.ndjson.gz`. Exit 5 (model "
            "missing or corrupt) fails at once.",
        )
        fetch >> predict

    chains = partition.expand(part=partitions())
    fetch, predict = chains.children["fetch"], chains.children["predict"]
    publish = JarOperator(
        task_id="publish",
        jar="publish.jar",
        args=RUN,
        on_success_callback=alerts.recovered,
        doc_md="`publish.jar`: validates the run (every partition's part), merges it into the "
        "current snapshot (a full run replaces it), promotes it to `latest/` and commits the watermark. Exit 6: refused (too many "
        "rejected, bad predictions, or older than what `latest/` serves), `latest/` unchanged. "
        'Sends the "recovered" message after a failed run, or on the rerun of an announced failure.',
    )
    fallback = JarOperator(
        task_id="fallback",
        jar="publish.jar",
        args=f'fallback {RUN} --reason "$SCORELINE_FALLBACK_REASON"',
        runtime_env=fallback_reason,
        trigger_rule=TriggerRule.ONE_FAILED,
        on_success_callback=alerts.run_failed,
        on_failure_callback=alerts.run_failed,
        doc_md="Runs only when a job failed for good: `publish.jar fallback` keeps what `latest/` "
        "serves, marked stale with the failed task and exit code; then the one alert of the run.",
    )
    summary = RunSummaryOperator(
        task_id="summary",
        trigger_rule=TriggerRule.ALL_DONE,
        retries=0,
        doc_md="`publish.jar runs --json`: this run's result and counts, its model version, what "
        "`latest/` serves and the data age, as one block in the log and the task's XCom. Never "
        "fails the run (a store it cannot read is one warning line).",
    )
    # The run's state comes from its leaves: without this one, a successful fallback (the only
    # other leaf) would make a failed run look successful.
    done = EmptyOperator(
        task_id="done",
        doc_md="Succeeds only when fetch, predict and publish all did, so a run with a fallback "
        "ends failed.",
    )

    chains >> publish >> done
    [fetch, predict, publish] >> fallback
    [publish, fallback] >> summary
