"""End to end with Elasticsearch: the scoreline_batch DAG run by ``dag.test()``, fetch reading a
real Elasticsearch 9 node that this module starts, stops and starts again.

1. good run         -> fetch reads the index (the DAG's index, query, id/updated fields, slices);
                       the published snapshot holds exactly the documents the query selects
2. node stopped     -> fetch exits 3, retried 2 times with backoff; fallback keeps run 1 marked
                       stale; the run fails; one alert
3. node started     -> the next run publishes the new documents too; one "recovered" message

The node is this module's own (a free port, a temporary work-dir whose data survives the
restart), never the shared one of testenv/up.sh. Store: a temporary directory, or an S3 prefix
when SCORELINE_IT_S3_ENDPOINT is set. The Connection carries an API key (the test node has no
security and ignores it) to show it reaches fetch through the environment only.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from e2e import (
    RETRIES,
    EsNode,
    Pipeline,
    Run,
    customer,
    forget_runs,
    free_port,
    java,
    load_dags,
    make_pipeline,
    needs_jars,
    run_dag,
    settings_restored,
    states,
)

pytestmark = needs_jars
INDEX = "customers"
API_KEY = "c2NvcmVsaW5lLWl0OmRvLW5vdC1sb2ctbWU="  # "scoreline-it:do-not-log-me", a fake
FIRST, LATER = 300, 20  # documents indexed before run 1, and before run 3


# ----------------------------------------------------------------------------- the node


@pytest.fixture(scope="module")
def es_node(tmp_path_factory):
    java()  # start.sh needs a JDK 21+ (scripts/find-java.sh): skips without one
    node = EsNode(tmp_path_factory.mktemp("es9"), free_port())
    try:
        node.start()
        yield node
    finally:
        node.stop()


# ----------------------------------------------------------------------------- the index


def document(i: int, updated_at: datetime) -> dict:
    """A customer under other field names than fetch's defaults, half of them in the south."""
    doc = customer(i, updated_at)
    return {
        **{k: v for k, v in doc.items() if k not in ("id", "updated_at")},
        "customer_id": doc["id"],
        "modified_at": doc["updated_at"],
        "region": "north" if i % 2 == 0 else "south",
    }


def create_index(node: EsNode) -> None:
    node.request(
        "PUT",
        f"/{INDEX}",
        json.dumps(
            {
                "settings": {"number_of_shards": 2, "number_of_replicas": 0},
                "mappings": {
                    "properties": {
                        "customer_id": {"type": "keyword"},
                        "modified_at": {"type": "date"},
                        "region": {"type": "keyword"},
                    }
                },
            }
        ),
    )


def index_documents(node: EsNode, docs: list[dict]) -> None:
    lines = []
    for doc in docs:
        lines += [json.dumps({"index": {"_id": doc["customer_id"]}}), json.dumps(doc)]
    answer = node.request(
        "POST", f"/{INDEX}/_bulk?refresh=true", "\n".join(lines) + "\n", ndjson=True
    )
    assert answer["errors"] is False, answer


def north_ids(docs: list[dict]) -> set[str]:
    """What the DAG's query selects."""
    return {d["customer_id"] for d in docs if d["region"] == "north"}


# ----------------------------------------------------------------------------- the scenario


@pytest.fixture(scope="module")
def pipeline(airflow_in_process, tmp_path_factory, es_node):
    with settings_restored():
        p = make_pipeline(
            tmp_path_factory.mktemp("es-e2e"),
            index=INDEX,
            query={"term": {"region": "north"}},
            id_field="customer_id",
            updated_field="modified_at",
            slices=2,
        )
        # A dead node is refused at once: fetch's own retries (5, from 500 ms, doubling) would
        # take 15 s per try; one quick retry keeps the scenario short.
        p.set_config(
            job_env={**p.store.env, "SCORELINE_ES_RETRIES": "1", "SCORELINE_ES_RETRY_WAIT": "100ms"}
        )
        # The Connection as a deployment would write it: host + port, a password without a login
        # is an API key.
        os.environ["AIRFLOW_CONN_SCORELINE_ES"] = json.dumps(
            {"conn_type": "http", "host": "127.0.0.1", "port": es_node.port, "password": API_KEY}
        )
        yield p


@pytest.fixture(scope="module")
def batch(pipeline):
    forget_runs("scoreline_batch")
    return load_dags("scoreline_batch")[0]


@pytest.fixture(scope="module")
def documents() -> list[dict]:
    """Every document indexed so far, in order."""
    return []


@pytest.fixture(scope="module")
def good_run(pipeline, batch, es_node, documents) -> Run:
    create_index(es_node)
    documents += [document(i, datetime.now(UTC) - timedelta(minutes=2)) for i in range(FIRST)]
    index_documents(es_node, documents)
    return run_dag(batch, pipeline.receiver)


@pytest.fixture(scope="module")
def es_down_run(pipeline, batch, es_node, good_run) -> Run:
    es_node.stop()
    return run_dag(batch, pipeline.receiver)


@pytest.fixture(scope="module")
def recovered_run(pipeline, batch, es_node, documents, es_down_run) -> Run:
    es_node.start()  # same work-dir: the index is still there
    later = [
        document(i, datetime.now(UTC) - timedelta(minutes=1)) for i in range(FIRST, FIRST + LATER)
    ]
    index_documents(es_node, later)
    documents += later
    return run_dag(batch, pipeline.receiver)


def published_ids(p: Pipeline) -> set[str]:
    return {r["id"] for r in p.store.records("latest/predictions.ndjson.gz")}


def try_gaps(run: Run, task_id: str) -> list[float]:
    """Seconds between the end of each try and the start of the next one."""
    from airflow.models.taskinstance import TaskInstance
    from airflow.models.taskinstancehistory import TaskInstanceHistory
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        tries = [
            (t.start_date, t.end_date)
            for model in (TaskInstanceHistory, TaskInstance)
            for t in session.scalars(
                select(model)
                .where(model.dag_id == "scoreline_batch")
                .where(model.run_id == run.run_id, model.task_id == task_id)
                .order_by(model.try_number)
            )
        ]
    return [(b[0] - a[1]).total_seconds() for a, b in zip(tries, tries[1:], strict=False)]


# ----------------------------------------------------------------------------- 1. good run


def test_good_run_publishes_what_the_query_selects_from_elasticsearch(
    pipeline, good_run, documents
):
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
    expected = north_ids(documents)
    assert (latest["run_id"], latest["stale"], latest["count"]) == (
        good_run.run_id,
        False,
        len(expected),
    )
    assert published_ids(pipeline) == expected
    assert good_run.alerts == []


# ----------------------------------------------------------------------------- 2. node stopped


def test_elasticsearch_down_fails_fetch_after_every_retry_and_the_run_fails(es_down_run):
    run = es_down_run
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
    assert (run.tis["fetch"]["try_number"], run.tis["fetch"]["max_tries"]) == (
        RETRIES + 1,
        RETRIES,
    )
    assert run.tries["fetch"] == RETRIES, "every earlier try is archived"


def test_retries_back_off_exponentially(es_down_run):
    # retry_delay 1 s, x2 per try (jittered up to 2x): at least 1 s, then at least 2 s.
    first, second = try_gaps(es_down_run, "fetch")
    assert first >= 1 and second >= 2, (first, second)


def test_fallback_keeps_the_last_good_output_marked_stale(pipeline, good_run, es_down_run):
    latest = pipeline.latest()
    assert (latest["run_id"], latest["stale"], latest["failed_run_id"]) == (
        good_run.run_id,
        True,
        es_down_run.run_id,
    )
    assert latest["stale_reason"] == "fetch failed: source unavailable (exit 3)"


def test_one_alert_with_the_facts(es_down_run):
    run = es_down_run
    assert len(run.alerts) == 1, run.alerts
    path, alert = run.alerts[0]
    assert (path, alert["event"]) == ("/hooks/json", "failed")
    assert (alert["dag_id"], alert["run_id"], alert["task_id"]) == (
        "scoreline_batch",
        run.run_id,
        "fetch",
    )
    assert (alert["exit_code"], alert["meaning"]) == (3, "source unavailable")
    assert (alert["try_number"], alert["max_tries"], alert["retryable"]) == (
        RETRIES + 1,
        RETRIES,
        True,
    )
    assert alert["error"].startswith("fetch: error: Elasticsearch unavailable"), alert["error"]
    assert alert["fallback_kept_last_good"] is True
    assert "/dags/scoreline_batch/runs/" in alert["log_url"]
    assert "/tasks/fetch" in alert["log_url"]
    for fact in (
        "scoreline_batch",
        "fetch failed",
        run.run_id,
        f"try {RETRIES + 1} of {RETRIES + 1}",
        "source unavailable (exit 3)",
        "Fallback:",
        "Log: http",
    ):
        assert fact in alert["text"], (fact, alert["text"])


# ----------------------------------------------------------------------------- 3. node started


def test_next_run_publishes_again_and_says_recovered_once(
    pipeline, es_down_run, recovered_run, documents
):
    run = recovered_run
    assert run.state == "success", run
    latest = pipeline.latest()
    assert (latest["run_id"], latest["stale"]) == (run.run_id, False)
    assert published_ids(pipeline) == north_ids(documents)
    assert len(run.alerts) == 1, run.alerts
    path, message = run.alerts[0]
    assert (path, message["event"], message["run_id"], message["previous_run_id"]) == (
        "/hooks/json",
        "recovered",
        run.run_id,
        es_down_run.run_id,
    )


# ----------------------------------------------------------------------------- the API key


def test_the_api_key_is_in_no_log_rendered_field_xcom_or_alert(
    airflow_in_process, es_down_run, recovered_run
):
    home = Path(airflow_in_process["AIRFLOW_HOME"])
    with closing(sqlite3.connect(home / "airflow.db")) as db:  # WAL mode: read it through SQLite
        stored = "\n".join(db.iterdump())  # rendered templates, XComs, callbacks, log records
    assert es_down_run.run_id in stored and '"env": {}' in stored  # the scan sees the runs
    assert API_KEY not in stored
    assert [
        f for f in (home / "logs").rglob("*") if f.is_file() and API_KEY.encode() in f.read_bytes()
    ] == []
    assert API_KEY not in json.dumps(es_down_run.alerts + recovered_run.alerts)
