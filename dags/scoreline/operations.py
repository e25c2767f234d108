"""The operations DAG's actions: what each needs, what it ran, and the one message it posts.

Every action is one task running one jar (full-refresh: one triggered scoreline_batch run).
``choose`` checks that the chosen action has the params it needs and branches to its task; the
task writes one block into its log (who, what, the command, the outcome, the jar's own line) and
its success and failure callbacks post exactly one message to the alert channel. A failing
``choose`` posts that one message itself (its action tasks are then upstream_failed).

User text (a run id, a reason, a version) reaches the jars as ``OP_*`` environment variables,
never inside the shell command, so nothing typed into the form is ever run by the shell.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator
from airflow.sdk.exceptions import AirflowFailException, DagRunTriggerException

from scoreline import alerts, config, jobs
from scoreline.jobs import JarOperator

log = logging.getLogger(__name__)  # lands in the task's log, like scoreline.alerts' lines
BATCH_DAG = "scoreline_batch"
OUTPUT_KEY = "operation"  # XCom: the line saying what the action did


@dataclass(frozen=True)
class Action:
    name: str  # the form's value, e.g. "promote-model"
    needs: tuple[str, ...]  # params that must not be empty
    request: Callable[[dict], str]  # what was asked, from the effective params

    @property
    def task_id(self) -> str:
        return self.name.replace("-", "_")


ACTIONS = {
    a.name: a
    for a in (
        Action("status", (), lambda p: f"status: the last {p['limit']} runs"),
        Action("rollback", ("to_run",), lambda p: f"rollback of latest/ to run {p['to_run']}"),
        Action(
            "fallback",
            ("reason",),
            lambda p: f"fallback (keep latest/, marked stale): {p['reason']}",
        ),
        Action(
            "promote-model",
            ("version",),
            lambda p: (
                f"promote-model: alias {p['alias']} of model {p['model']} to version {p['version']}"
            ),
        ),
        Action(
            "rollback-model",
            ("version",),
            lambda p: (
                f"rollback-model: alias {p['alias']} of model {p['model']} back to version {p['version']}"
            ),
        ),
        Action("full-refresh", (), lambda p: f"full-refresh: a {BATCH_DAG} run with mode=full"),
    )
}
HINTS = {
    "to_run": "the published run to go back to (the status action lists the runs)",
    "reason": "why the backend should be told its predictions are stale",
    "version": "the model version (a wrong one is refused with the versions there are)",
}


def effective(params: dict, settings: config.Config) -> dict:
    """The form's values with the defaults filled in (an empty model is the batch DAG's model)."""
    values = {k: v.strip() if isinstance(v, str) else v for k, v in params.items()}
    values["model"] = values.get("model") or settings.model
    values["alias"] = values.get("alias") or settings.model_alias
    return values


def triggered_by(context) -> str:
    """Who started the run: the user Airflow recorded, else the run's type."""
    dag_run = context["dag_run"]
    user = getattr(dag_run, "triggering_user_name", None)
    if user:
        return user
    return f"nobody recorded ({getattr(dag_run, 'run_type', 'unknown')} run)"


def choose(**context) -> str:
    """The branch: the chosen action's task, or one line saying which param is missing."""
    params = context["params"]
    action = ACTIONS[params["action"]]
    missing = [n for n in action.needs if not str(params.get(n) or "").strip()]
    if missing:
        raise AirflowFailException(
            f"{action.name} needs {' and '.join(missing)}: "
            + "; ".join(f"{n} is {HINTS[n]}" for n in missing)
        )
    return action.task_id


def environment(context, settings: config.Config) -> dict[str, str]:
    """The form's values for the jar, as OP_* variables (see the module's doc)."""
    p = effective(context["params"], settings)
    reason = f"{p['reason']} (manual fallback by {triggered_by(context)})"
    return {
        "OP_TO_RUN": p["to_run"],
        "OP_REASON": reason,
        "OP_MODEL": p["model"],
        "OP_VERSION": p["version"],
        "OP_ALIAS": p["alias"],
        "OP_LIMIT": str(p["limit"]),
    }


def block(context, action: Action, command: str, outcome: str, output: str) -> str:
    """What the task did, as one block in its log."""
    p = effective(context["params"], config.load())
    rows = [
        ("action", action.name),
        ("asked", action.request(p)),
        ("triggered by", f"{triggered_by(context)} (run {context['run_id']})"),
        ("command", command),
        ("outcome", outcome),
        ("output", output or "-"),
    ]
    return "Scoreline operation\n" + "\n".join(f"  {k:<13}{v}" for k, v in rows)


class OperationOperator(JarOperator):
    """One action's jar, with its block in the log and its one message."""

    def __init__(self, *, action: str, jar: str, args: str, **kwargs) -> None:
        super().__init__(
            task_id=ACTIONS[action].task_id,
            jar=jar,
            args=args,
            runtime_env=environment,
            on_success_callback=announce,
            on_failure_callback=announce,
            **kwargs,
        )
        self.action = ACTIONS[action]
        self.shown = f"{jar} {args}"

    def execute(self, context):
        env = environment(context, config.load())
        command = re.sub(r'"?\$(OP_[A-Z_]+)"?', lambda m: shell_word(env.get(m[1], "")), self.shown)
        try:
            output = super().execute(context)
        except Exception:
            failed = jobs.failures(context, [self.task_id])
            outcome = failed[0]["summary"] if failed else "failed"
            error = failed[0]["error"] if failed else ""
            log.info("%s", block(context, self.action, command, outcome, error))
            raise
        context["ti"].xcom_push(key=OUTPUT_KEY, value=output)
        log.info("%s", block(context, self.action, command, "done (exit 0)", output))
        return output


def shell_word(value: str) -> str:
    return value if re.fullmatch(r"[A-Za-z0-9._:+/=-]+", value) else repr(value)


class FullRefreshOperator(TriggerDagRunOperator):
    """Queues one scoreline_batch run with mode=full: the batch DAG's own fetch, predict and publish,
    retries, fallback and alerts. It never overlaps a scheduled run: the batch DAG runs one run at a
    time (max_active_runs=1), so it starts when the run in progress has finished."""

    def __init__(self, **kwargs) -> None:
        super().__init__(
            task_id=ACTIONS["full-refresh"].task_id,
            trigger_dag_id=BATCH_DAG,
            conf={"mode": "full"},
            wait_for_completion=False,
            openlineage_inject_parent_info=False,
            on_success_callback=announce,
            on_failure_callback=announce,
            **kwargs,
        )

    def execute(self, context):
        self.note = f"full refresh by {triggered_by(context)} (scoreline_operations run {context['run_id']})"
        try:
            super().execute(context)
        except DagRunTriggerException:
            output = (
                f"queued {BATCH_DAG} run {self.trigger_run_id} with mode=full; it starts when no other "
                f"{BATCH_DAG} run is running{paused(context)}, and its grid shows the result"
            )
            context["ti"].xcom_push(key=OUTPUT_KEY, value=output)
            command = f'trigger {BATCH_DAG} with conf {{"mode": "full"}}'
            outcome = "handed to Airflow, which creates the run when this task ends"
            log.info("%s", block(context, ACTIONS["full-refresh"], command, outcome, output))
            raise  # the task runner creates the run; a failure to do so fails this task


def paused(context) -> str:
    try:
        is_paused = context["ti"].get_dag(BATCH_DAG).is_paused
    except Exception:  # informational only
        return ""
    return f" (it is PAUSED: the run waits until you unpause {BATCH_DAG})" if is_paused else ""


# ----------------------------------------------------------------------------- the message


def announce(context) -> None:
    """The success and failure callback of every action task (and of ``choose``): one message."""
    ti = context["ti"]
    params = context["params"]
    action = ACTIONS.get(params.get("action"))
    if action is None:
        return
    p = effective(params, config.load())
    who = triggered_by(context)
    failed = jobs.failures(context, [ti.task_id])
    if failed:
        f = failed[0]
        code = "" if f["exit_code"] is None else f" (exit {f['exit_code']})"
        outcome, details = f"failed: {f['meaning']}{code}: {f['error']}", f
    elif context.get("exception") is not None:  # choose refused the params, or Airflow failed
        error = str(context["exception"]) or type(context["exception"]).__name__
        verdict = "refused" if ti.task_id == "choose" else "failed"
        outcome = f"{verdict}: {error}"
        details = {"job": ti.task_id, "exit_code": None, "meaning": verdict, "retryable": False}
        details["error"] = error
    else:
        output = ti.xcom_pull(task_ids=ti.task_id, key=OUTPUT_KEY) or ""
        outcome = f"done: {output}"
        details = {"job": ti.task_id, "exit_code": 0, "meaning": "ok", "retryable": False}
        details["error"] = None
    mark = ":x:" if outcome.startswith(("failed", "refused")) else ":wrench:"
    text = (
        f"{mark} Scoreline operations: {who} asked for {action.request(p)}.\n"
        f"{outcome[0].upper()}{outcome[1:]}\n"
        f"Log: {ti.log_url}"
    )
    details = {
        **details,
        "action": action.name,
        "triggered_by": who,
        "params": {k: p[k] for k in ("to_run", "reason", "model", "version", "alias") if p.get(k)},
        "log_url": ti.log_url,
    }
    alerts.send(alerts.Message("operation", text, ti.dag_id, ti.run_id, details))
