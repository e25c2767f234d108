"""
### Scoreline operations: what on-call does, from the Airflow UI

No schedule: trigger it with **Trigger DAG** and pick an **action** in the form. Each action runs
the real jars with the batch DAG's exit-code policy (3 and 4 retried; 2, 5, 6 fail at once), writes
one block into its task's log (who, what, the command, the outcome, the jar's own line) and posts
**exactly one message** to the alert channel (Connection `alert_conn_id`, as the batch alerts)
saying who triggered what and how it ended, so the team sees manual changes next to failures.
Who: the user Airflow records as the run's triggering user.

| action | params | runs |
| --- | --- | --- |
| `status` | `limit` | `publish.jar runs --limit N`: the newest runs (published, refused, fell back), which run `latest/` serves, the model version that scored each, and the watermark |
| `rollback` | `to_run` | `publish.jar rollback --to RUN`: `latest/` serves that published run's snapshot again and the watermark goes back with it, so the next run rescores everything updated since |
| `fallback` | `reason` | `publish.jar fallback`: `latest/` keeps what it serves, marked stale with the reason (and who asked); the next successful publish clears the mark |
| `promote-model` | `model`, `version`, `alias` | `predict.jar models promote`: the alias names that version; the next batch run scores with it |
| `rollback-model` | `model`, `version`, `alias` | the same command, to go back to an earlier version (the status action shows which version scored which run; the store keeps no alias history, so the version is always named, never guessed) |
| `full-refresh` | | queues a `scoreline_batch` run with `mode=full`: the batch DAG's own fetch → predict → publish, retries, fallback and alerts |

**Choosing a run to roll back to.** The form cannot list the runs: Airflow builds the form
from the DAG file, and reading the store when the file is parsed is what the DAG policy forbids
(it would run on every parse, every 30 s, and fail the parse when the store is down). So
`to_run` is free text, checked for the run-id syntax by the form and against the runs history
when the action runs: run **status** first and copy a run id marked `published`. A run that was
never published is refused at once with one line (exit 2) and nothing changes.

**Refusals.** An action missing its param (`rollback` without `to_run`, a model action without
`version`) fails in `choose` with one line naming it; an unknown run or model version fails in
the jar with one line (exit 2), touching nothing. Each still posts its one message.

**full-refresh never overlaps a batch run**: it is a batch run. `scoreline_batch` has
`max_active_runs=1`, so the queued run starts only when the run in progress has finished, and
the next scheduled run waits for it. The operations run ends once the run is queued; the
result shows in `scoreline_batch`'s grid (its `summary` task and its own alerts) and in
`status`. If `scoreline_batch` is paused, the run waits until it is unpaused (the message says so).

Pair a model rollback with a rollback of `latest/`: `rollback-model` first (or the next run
scores with the bad version again), then `rollback` to a run the good version scored.
"""

from __future__ import annotations

import pendulum
from airflow.providers.standard.operators.python import BranchPythonOperator
from airflow.sdk import DAG, Param

from scoreline import config, operations
from scoreline.operations import FullRefreshOperator, OperationOperator

# The jobs' run-id syntax (empty: not given); model names, versions and aliases as the registry's.
RUN_ID = r"^([A-Za-z0-9][A-Za-z0-9._:+-]{0,199})?$"
NAME = r"^([A-Za-z0-9._-]{1,100})?$"

MODEL_ACTION_DOC = """
`predict.jar models promote "$OP_MODEL" "$OP_VERSION" --alias "$OP_ALIAS"` (model empty: the
batch DAG's `model`). Prints `alias production of model churn: v1 -> v2`. An unknown model or
version is refused with one line listing the versions there are (exit 2); nothing moves.
"""

with DAG(
    dag_id="scoreline_operations",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["scoreline", "operations"],
    doc_md=__doc__,
    default_args=config.task_defaults(retries=2),
    params={
        "action": Param(
            "status",
            enum=list(operations.ACTIONS),
            values_display={
                "status": "status: list the last runs and the watermark",
                "rollback": "rollback: latest/ back to the run in to_run",
                "fallback": "fallback: keep latest/, marked stale with reason",
                "promote-model": "promote-model: point alias at version",
                "rollback-model": "rollback-model: point alias back at version",
                "full-refresh": "full-refresh: queue a full scoreline_batch run",
            },
            description="What to do; the DAG's docs say what each action runs.",
        ),
        "to_run": Param(
            "",
            type="string",
            pattern=RUN_ID,
            description="rollback: the published run latest/ goes back to. Run the status action "
            "to see the runs and copy one marked published.",
        ),
        "reason": Param(
            "",
            type="string",
            maxLength=500,
            description="fallback: why latest/ is marked stale (the backend and the alert show it).",
        ),
        "model": Param(
            "",
            type="string",
            pattern=NAME,
            description="promote-model, rollback-model: the model; empty means the batch DAG's "
            "model (Variable scoreline_config).",
        ),
        "version": Param(
            "",
            type="string",
            pattern=NAME,
            description="promote-model, rollback-model: the version the alias will name.",
        ),
        "alias": Param(
            "production",
            type="string",
            pattern=NAME,
            description="promote-model, rollback-model: the alias to move (batch scoring uses production).",
        ),
        "limit": Param(
            20,
            type="integer",
            minimum=1,
            maximum=500,
            description="status: how many of the newest runs to list.",
        ),
    },
) as dag:
    choose = BranchPythonOperator(
        task_id="choose",
        python_callable=operations.choose,
        on_failure_callback=operations.announce,
        retries=0,
        doc_md="Checks that the chosen action has its params (one line naming a missing one) and "
        "runs that action's task; the others are skipped.",
    )
    status = OperationOperator(
        action="status",
        jar="publish.jar",
        args='runs --limit "$OP_LIMIT"',
        doc_md="`publish.jar runs --limit N`: the run table, then the watermark. Copy a "
        "`published` run id from here for `rollback`.",
    )
    rollback = OperationOperator(
        action="rollback",
        jar="publish.jar",
        args='rollback --to "$OP_TO_RUN"',
        doc_md="`publish.jar rollback --to RUN`: promotes the run's snapshot to `latest/` and rewinds "
        "the watermark to what that run had read. A run never published: exit 2, nothing changes.",
    )
    fallback = OperationOperator(
        action="fallback",
        jar="publish.jar",
        args='fallback --run-id "scoreline_operations__{{ run_id }}" --reason "$OP_REASON"',
        doc_md="`publish.jar fallback`: `latest/` keeps its snapshot, marked stale with the reason "
        "and who asked; `runs` lists this operations run as fell_back.",
    )
    promote_model = OperationOperator(
        action="promote-model",
        jar="predict.jar",
        args='models promote "$OP_MODEL" "$OP_VERSION" --alias "$OP_ALIAS"',
        doc_md=MODEL_ACTION_DOC,
    )
    rollback_model = OperationOperator(
        action="rollback-model",
        jar="predict.jar",
        args='models promote "$OP_MODEL" "$OP_VERSION" --alias "$OP_ALIAS"',
        doc_md=MODEL_ACTION_DOC,
    )
    full_refresh = FullRefreshOperator(
        doc_md='Queues a `scoreline_batch` run with conf `{"mode": "full"}` and a note naming '
        "who asked; it starts when no other batch run is running (max_active_runs=1).",
    )

    choose >> [status, rollback, fallback, promote_model, rollback_model, full_refresh]
