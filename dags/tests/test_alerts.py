"""Alert formats and delivery (dags/scoreline/alerts.py), against a real local HTTP server."""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from conftest import Receiver


def conn(conn_type="http", password=None, host=None, port=None, schema=None, extra=None):
    return SimpleNamespace(
        conn_id="c",
        conn_type=conn_type,
        password=password,
        host=host,
        port=port,
        schema=schema,
        extra_dejson=extra or {},
    )


@pytest.fixture(scope="module")
def alerts(airflow_in_process):
    from scoreline import alerts

    return alerts


@pytest.fixture
def message(alerts):
    return alerts.Message(
        "failed",
        "line one\nline two",
        "scoreline_batch",
        "manual__1",
        {"task_id": "predict", "exit_code": 5},
    )


def test_the_connection_chooses_the_channel(alerts):
    assert alerts.channel(conn("slackwebhook")) == "slack"
    assert alerts.channel(conn("http")) == "json"
    assert alerts.channel(conn("http", extra={"format": "teams"})) == "teams"
    with pytest.raises(ValueError, match="'json' or 'teams'"):
        alerts.channel(conn("http", extra={"format": "email"}))


def test_webhook_url_from_password_or_host_port_schema(alerts):
    assert (
        alerts.webhook_url(conn(password="https://h.example/hook/T0K3N"))
        == "https://h.example/hook/T0K3N"
    )
    assert alerts.webhook_url(conn(host="https://h.example/hook")) == "https://h.example/hook"
    assert (
        alerts.webhook_url(conn("https", host="h.example", port=8443, schema="hook"))
        == "https://h.example:8443/hook"
    )


def test_json_message_is_flat(message):
    assert message.as_json() == {
        "event": "failed",
        "text": "line one\nline two",
        "dag_id": "scoreline_batch",
        "run_id": "manual__1",
        "task_id": "predict",
        "exit_code": 5,
    }


def test_teams_card_has_one_text_block_per_line(alerts, message):
    card = alerts.teams_card(message)
    assert card["type"] == "message" and card["text"] == message.text
    content = card["attachments"][0]["content"]
    assert card["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert [b["text"] for b in content["body"]] == ["line one", "line two"]


@pytest.fixture
def alert_connection():
    """Points the default alert Connection somewhere for one test."""

    def point(**fields):
        os.environ["AIRFLOW_CONN_SCORELINE_ALERTS"] = json.dumps(fields)

    saved = os.environ.get("AIRFLOW_CONN_SCORELINE_ALERTS")
    yield point
    if saved is None:
        os.environ.pop("AIRFLOW_CONN_SCORELINE_ALERTS", None)
    else:
        os.environ["AIRFLOW_CONN_SCORELINE_ALERTS"] = saved


def test_send_posts_a_teams_card(alerts, message, alert_connection):
    receiver = Receiver()
    alert_connection(
        conn_type="http", password=receiver.url("/teams/s3cr3t"), extra={"format": "teams"}
    )
    alerts.send(message)
    assert [
        (path, body["attachments"][0]["content"]["type"]) for path, body in receiver.messages
    ] == [("/teams/s3cr3t", "AdaptiveCard")]


def test_failed_delivery_is_logged_without_the_url(alerts, message, alert_connection, caplog):
    receiver = Receiver(status=500)
    alert_connection(conn_type="http", password=receiver.url("/hooks/s3cr3t"))
    with caplog.at_level(logging.INFO, logger="scoreline.alerts"):
        alerts.send(message)  # must not raise: a callback cannot change the task's outcome
    assert len(receiver.messages) == 1
    assert "not sent: HTTPError" in caplog.text
    assert "s3cr3t" not in caplog.text and "127.0.0.1" not in caplog.text


def test_missing_connection_logs_the_message_instead(alerts, message, caplog, alert_connection):
    os.environ.pop("AIRFLOW_CONN_SCORELINE_ALERTS", None)
    with caplog.at_level(logging.WARNING, logger="scoreline.alerts"):
        alerts.send(message)
    assert "No Connection 'scoreline_alerts'" in caplog.text and "line one" in caplog.text


# ----------------------------------------------------------------------------- repeats


@pytest.fixture
def alert_state():
    """Sets the alert state Variable of scoreline_batch, as a deployment's environment would."""
    name = "AIRFLOW_VAR_SCORELINE_ALERT_STATE__SCORELINE_BATCH"

    def put(value: str):
        os.environ[name] = value

    yield put
    os.environ.pop(name, None)


def after_a_failed_run():
    return SimpleNamespace(get_previous_dagrun=lambda: SimpleNamespace(state="failed"))


def test_an_alert_is_sent_when_its_state_cannot_be_saved(
    alerts, message, alert_connection, alert_state, caplog
):
    """The stored state says "suppress" (same failure, alerted a minute ago), but writing the new
    state fails (outside a task the Task SDK has no API to write to): the alert goes out."""
    receiver = Receiver()
    alert_connection(conn_type="http", password=receiver.url("/hooks/json"))
    a_minute_ago = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    alert_state(
        json.dumps(
            {
                "key": "predict exit 5",
                "first_at": a_minute_ago,
                "last_sent_at": a_minute_ago,
                "suppressed": 0,
            }
        )
    )
    with caplog.at_level(logging.INFO, logger="scoreline.alerts"):
        alerts.send_unless_repeated(message, "predict exit 5", after_a_failed_run())
    assert [body["text"] for _, body in receiver.messages] == [message.text]
    assert "Alert state scoreline_alert_state__scoreline_batch not saved" in caplog.text
    assert "suppressed" not in caplog.text


def test_failed_partitions_read_as_one_line(airflow_in_process):
    from scoreline import jobs

    pushed = []
    for partition, code in (("2/4", 3), (None, 5), ("0/4", 3), ("3/4", 137)):
        ti = SimpleNamespace(
            task_id="predict" if partition is None else "fetch",
            try_number=3,
            max_tries=2,
            log_url="http://airflow/log",
            xcom_push=lambda key, value: pushed.append(value),
        )
        jobs.record_failure({"ti": ti}, code, "error", partition)
    assert pushed[0]["summary"] == "fetch partition 2/4 failed: source unavailable (exit 3)"
    assert pushed[0]["partition"] == "2/4" and pushed[1]["partition"] is None
    ordered = sorted(pushed, key=lambda f: (f["task_id"], jobs.partition_index(f["partition"])))
    assert jobs.describe(ordered) == (
        "fetch failed in partitions 0/4, 2/4: source unavailable (exit 3); "
        "fetch partition 3/4 failed: killed (out of memory?) (exit 137); "
        "predict failed: model missing, corrupt or incompatible (exit 5)"
    )
    many = [{**pushed[0], "partition": f"{i}/20"} for i in range(20)]
    assert jobs.describe(many).startswith("fetch failed in partitions 0/20, 1/20, 2/20, 3/20, ")
    assert "7/20 and 12 more: source unavailable (exit 3)" in jobs.describe(many)
