"""One message per incident to Slack, Microsoft Teams or any JSON webhook.

The Connection named by ``alert_conn_id`` (Variable scoreline_config, default
``scoreline_alerts``) decides where and how:

* ``slackwebhook`` connection (Slack provider): the password is the incoming-webhook URL
  (or token); sent with the provider's SlackWebhookHook.
* any other type (e.g. ``http``) with the webhook URL as password (or host/port/schema):
  extra ``{"format": "teams"}`` posts an Adaptive Card for a Teams Workflows webhook,
  otherwise (``{"format": "json"}``, the default) the JSON object of :class:`Message`.

The URL holds a token, so it is never logged. A failed delivery is logged, never raised:
callbacks cannot change a task's outcome anyway.

A failure that persists alerts once, then again every ``alert_repeat_minutes`` (see
:mod:`scoreline.repeats`); each alert left out is one log line.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime

from scoreline import config, jobs, repeats

log = logging.getLogger(__name__)
JOB_TASKS = ["fetch", "predict", "publish"]
TIMEOUT_S = 10


@dataclass(frozen=True)
class Message:
    event: str  # "failed", "recovered" or "stale"
    text: str  # what a person reads; Slack and Teams show only this
    dag_id: str
    run_id: str
    details: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        fields = {k: v for k, v in asdict(self).items() if k != "details"}
        return {**fields, **self.details}


# ----------------------------------------------------------------------------- callbacks


def run_failed(context) -> None:
    """The fallback task's success and failure callback: one message per failed run.

    It fires after the fallback has finished, so it can say whether the last good output was
    kept; the failed job's own on_failure_callback could not know that yet.
    """
    ti = context["ti"]
    failed = jobs.failures(context, JOB_TASKS)
    job = failed[0] if failed else {"task_id": "a job", "meaning": "unknown (no failure record)"}
    fallback_failure = jobs.failures(context, [ti.task_id])
    if fallback_failure:
        kept = False
        fallback = f"the fallback failed too ({fallback_failure[0]['summary']}): latest/ is unchanged, NOT marked stale"
    else:
        kept = True
        fallback = ti.xcom_pull(task_ids=ti.task_id) or "kept the last good output, marked stale"
    tries = f"try {job.get('try_number')} of {(job.get('max_tries') or 0) + 1}"
    if job.get("retryable") is False:
        tries += ", not retried"
    exit_code = f" (exit {job['exit_code']})" if job.get("exit_code") is not None else ""
    task = job["task_id"] + (f" partition {job['partition']}" if job.get("partition") else "")
    lines = [
        f":red_circle: Scoreline {ti.dag_id}: {task} failed in run {ti.run_id} ({tries}): "
        f"{job['meaning']}{exit_code}.",
        f"Error: {job.get('error') or 'see the log'}",
        f"Fallback: {fallback}",
        f"Log: {job.get('log_url') or ti.log_url}",
    ]
    if len(failed) > 1:  # other partitions (or jobs) that failed too
        lines.insert(2, f"Also failed: {jobs.describe(failed[1:])}")
    text = "\n".join(lines)
    details = {**job, "fallback": fallback, "fallback_kept_last_good": kept}
    key = f"{job['task_id']} exit {job.get('exit_code')}"
    send_unless_repeated(Message("failed", text, ti.dag_id, ti.run_id, details), key, ti)


def recovered(context) -> None:
    """publish's success callback: one "recovered" message when the previous run had failed, or
    when this run's own failure was announced and a person cleared and reran it.

    It also ends the incident, so the next failure alerts at once.
    """
    ti = context["ti"]
    began = end_incident(ti.dag_id)
    previous = ti.get_previous_dagrun()
    if previous is not None and previous.state == "failed":
        after, failed_run = f"after run {previous.run_id} failed", previous.run_id
    # an incident was announced, yet the run before this one succeeded: a rerun
    elif began is not None:
        after, failed_run = "on a rerun after its failure was announced", ti.run_id
    else:
        return
    text = (
        f":large_green_circle: Scoreline {ti.dag_id} recovered: run {ti.run_id} published fresh predictions "
        f"{after}."
    )
    if began is not None:
        now = datetime.now(UTC)
        text += (
            f" The incident lasted {repeats.duration(now - began)} (since {repeats.stamp(began)})."
        )
    send(Message("recovered", text, ti.dag_id, ti.run_id, {"previous_run_id": failed_run}))


def stale(context) -> None:
    """The freshness check's failure callback: latest/ is old or stale, or unreadable."""
    ti = context["ti"]
    found = jobs.failures(context, [ti.task_id])
    failure = found[0] if found else {"meaning": "unknown", "error": None}
    text = (
        f":warning: Scoreline {ti.dag_id}: the published predictions are not fresh "
        f"({failure['meaning']}).\n"
        f"{failure.get('error') or ''}\n"
        f"Log: {ti.log_url}"
    )
    send_unless_repeated(Message("stale", text, ti.dag_id, ti.run_id, failure), "stale", ti)


def fresh(context) -> None:
    """The freshness check's success callback: ends a "stale" incident (no message)."""
    end_incident(context["ti"].dag_id)


# ----------------------------------------------------------------------------- repeats


def send_unless_repeated(message: Message, key: str, ti) -> None:
    """Sends the message unless it repeats the DAG's ongoing failure ``key`` within
    ``alert_repeat_minutes``; a left-out alert is one log line. Any error with the state sends.

    An incident goes on only while runs fail: after a successful run (even one whose callback
    could not clear the state) the stored state is ignored.
    """
    from airflow.sdk import Variable

    name = repeats.variable(message.dag_id)
    try:
        now = datetime.now(UTC)
        previous = ti.get_previous_dagrun()
        state = None
        if previous is not None and previous.state == "failed":
            state = Variable.get(name, default=None, deserialize_json=True)
        decision = repeats.decide(state, key, now, config.load().alert_repeat_minutes)
    except Exception as e:  # e.g. invalid JSON: never lose an alert over it
        log.warning("Alert state %s unreadable (%s): sending the alert", name, type(e).__name__)
        send(message)
        return
    try:
        Variable.set(name, decision.state, serialize_json=True)
        saved = True
    except Exception as e:
        log.warning("Alert state %s not saved (%s): sending the alert", name, type(e).__name__)
        saved = False
    if not decision.send and saved:
        log.warning(
            "Alert (%s, run %s) suppressed: %s", message.event, message.run_id, decision.note
        )
        return
    if decision.send and decision.note:
        details = {**message.details, "failing_since": decision.state["first_at"]}
        message = replace(message, text=f"{message.text}\n{decision.note}", details=details)
    send(message)


def end_incident(dag_id: str) -> datetime | None:
    """Clears the DAG's alert state; returns when the incident began (None: none, or unreadable)."""
    from airflow.sdk import Variable

    name = repeats.variable(dag_id)
    try:
        state = Variable.get(name, default=None, deserialize_json=True)
        if state is None:
            return None
        Variable.delete(name)
    except Exception as e:  # harmless: after a successful run, a failure starts a new incident
        log.warning("Alert state %s not cleared (%s)", name, type(e).__name__)
        return None
    log.info("Alert state %s cleared: the incident is over", name)
    return repeats.incident_start(state, datetime.now(UTC))


# ----------------------------------------------------------------------------- delivery


def send(message: Message) -> None:
    conn_id = config.load().alert_conn_id
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        conn = Connection.get(conn_id)
    except AirflowNotFoundException:
        log.warning("No Connection %r: alert not sent:\n%s", conn_id, message.text)
        return
    kind = "?"
    try:
        kind = channel(conn)
        if kind == "slack":
            from airflow.providers.slack.hooks.slack_webhook import SlackWebhookHook

            SlackWebhookHook(slack_webhook_conn_id=conn_id, timeout=TIMEOUT_S).send(
                text=message.text
            )
        else:
            post(webhook_url(conn), teams_card(message) if kind == "teams" else message.as_json())
    except Exception as e:  # the type only: some clients put the URL in their exception texts
        log.error("Alert (%s) to Connection %r not sent: %s", kind, conn_id, type(e).__name__)
        return
    log.info("Alert (%s, %s) sent to Connection %r", message.event, kind, conn_id)


def channel(conn) -> str:
    if conn.conn_type == "slackwebhook":
        return "slack"
    fmt = (conn.extra_dejson or {}).get("format", "json")
    if fmt not in ("json", "teams"):
        raise ValueError(
            f"Connection {conn.conn_id}: extra format must be 'json' or 'teams', not {fmt!r}"
        )
    return fmt


def webhook_url(conn) -> str:
    if conn.password and "://" in conn.password:
        return conn.password.strip()
    if conn.host and "://" in conn.host:
        return conn.host
    scheme = "https" if conn.conn_type == "https" else "http"
    port = f":{conn.port}" if conn.port else ""
    return f"{scheme}://{conn.host}{port}/{(conn.schema or '').lstrip('/')}"


def teams_card(message: Message) -> dict:
    """A Teams Workflows ("When a Teams webhook request is received") Adaptive Card."""
    return {
        "type": "message",
        "text": message.text,
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": [
                        {"type": "TextBlock", "text": line, "wrap": True}
                        for line in message.text.splitlines()
                        if line.strip()
                    ],
                },
            }
        ],
    }


def post(url: str, payload: dict) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, default=str).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # raises on 4xx/5xx
        response.read()
