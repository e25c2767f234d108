"""Scoreline settings for the DAGs, read when a task runs, never when the DAG file is parsed.

Everything has a default; one optional Airflow Variable, ``scoreline_config`` (a JSON object),
overrides any of the keys of :class:`Config`, e.g.::

    airflow variables set scoreline_config '{"store": "file:///data/scoreline", "model": "churn"}'

or, per deployment, the environment variable ``AIRFLOW_VAR_SCORELINE_CONFIG='{...}'``.
Secrets never go in it: the alert webhook lives in the Connection named by ``alert_conn_id``,
Elasticsearch credentials in the Connection named by ``es_conn_id``.

Retry timing is the one exception, see :func:`task_defaults`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields
from datetime import timedelta

from scoreline import repeats

VARIABLE = "scoreline_config"

# Each job's JVM options unless the Variable sets <job>_java_opts; measured in docs/running.md ("Heap
# per job"): fetch holds the run's changed documents (about 0.35 KiB of heap each, 384 MiB for a
# million), predict and publish stream in a small heap. fetch runs C1 only: on a five-minute cycle
# most of its CPU was C2 warming up, and a full load costs it under 10% more; predict keeps C2 (its
# scoring loop is the hot code) but compiles only what stays hot (thresholds x10) and uses the serial
# collector: less CPU on 50,000 and on 1,000,000 documents (docs/benchmarks.md, predict's third pass);
# publish too, thresholds x3 (x10 slowed its merge loop): 0.3 s of CPU less on either cycle, same wall,
# 40 % less peak RSS (docs/benchmarks.md, "publish, second pass"). crontab-notes.md's JAVA_OPTS_* are checked copies of these.
JOB_JAVA_OPTS = {
    "fetch": "-Xmx512m -XX:TieredStopAtLevel=1",
    "predict": "-Xmx256m -XX:+UseSerialGC -XX:CompileThresholdScaling=10",
    "publish": "-Xmx256m -XX:+UseSerialGC -XX:CompileThresholdScaling=3",
}
# The jobs' own limit (Partition.MAX_COUNT): Elasticsearch caps slices per point-in-time at 1024.
MAX_PARTITIONS = 1024


@dataclass(frozen=True)
class Config:
    java: str = "java"  # a Java 21+ binary
    fetch_java_opts: str = JOB_JAVA_OPTS["fetch"]  # the JVM options of fetch.jar
    predict_java_opts: str = JOB_JAVA_OPTS["predict"]  # ... of predict.jar (and its model commands)
    publish_java_opts: str = JOB_JAVA_OPTS["publish"]  # ... of publish.jar (fallback, status, ...)
    java_opts: str = ""  # more JVM options for every job, after the job's own (so they win)
    # fetch -> predict runs as this many chains (a mapped task group), each `--partition i/P`;
    # publish merges them.
    partitions: int = 1
    jar_dir: str = "/opt/scoreline/jars"  # holds fetch.jar, predict.jar, publish.jar
    store: str = "file:///var/lib/scoreline/store"  # file:///dir or s3://bucket/prefix
    # fetch reads Elasticsearch when the Connection es_conn_id exists, else the NDJSON files of
    # `source`. The keys below are fetch's options of the same name (see SOURCE_OPTIONS); unset
    # means fetch's own default.
    es_conn_id: str = "scoreline_es"  # optional Connection: URL, and login + password or API key
    index: str | None = None  # --index: an index, alias or pattern (required with Elasticsearch)
    query: dict | str | None = None  # --query: Query DSL restricting the pool (or "@file.json")
    id_field: str | None = None  # --id-field (fetch: id; _id is Elasticsearch's document id)
    updated_field: str | None = None  # --updated-field (fetch: updated_at), a date in the mapping
    slices: int | None = None  # --slices: point-in-time slices read in parallel (fetch: 1)
    source: str | None = None  # --source: an NDJSON file or directory, without Elasticsearch
    model: str = "default"
    model_alias: str = "production"
    alert_conn_id: str = "scoreline_alerts"  # Slack, Teams or JSON webhook Connection
    # A failure that persists alerts again only after this long (0: every run); see repeats.py.
    alert_repeat_minutes: float = 60
    freshness_max_age: str = "10m"  # publish.jar status --max-age
    job_env: dict[str, str] = field(default_factory=dict)  # more SCORELINE_* variables, every job

    def job_environment(self, job: str) -> dict[str, str]:
        """SCORELINE_* variables for the jars (every job option has one) plus how to start ``job``
        (fetch, predict or publish)."""
        env = {
            "SCORELINE_JAVA_BIN": self.java,
            "SCORELINE_JAVA_OPTS": self.job_java_opts(job),
            "SCORELINE_JAR_DIR": self.jar_dir,
            "SCORELINE_STORE": self.store,
            "SCORELINE_PREDICT_MODEL": self.model,
            "SCORELINE_PREDICT_ALIAS": self.model_alias,
        }
        for key in SOURCE_OPTIONS:
            value = getattr(self, key)
            if value is not None:
                env[option_variable(key)] = value if isinstance(value, str) else json.dumps(value)
        return {**env, **elasticsearch_env(self.es_conn_id), **self.job_env}

    def job_java_opts(self, job: str) -> str:
        return " ".join(o for o in (getattr(self, f"{job}_java_opts"), self.java_opts) if o)

    def partition_list(self) -> list[str | None]:
        """What the fetch -> predict group is mapped over: "i/P" each, or one None (no
        --partition, the unpartitioned layout) when P is 1."""
        if self.partitions == 1:
            return [None]
        return [f"{i}/{self.partitions}" for i in range(self.partitions)]


# Config keys that are fetch options of the same name: id_field is --id-field, SCORELINE_FETCH_ID_FIELD.
SOURCE_OPTIONS = ("index", "query", "id_field", "updated_field", "slices", "source")


def option_variable(key: str) -> str:
    """The jobs' rule (EnvDefaults in jobs/core): fetch's own --id-field is read from SCORELINE_FETCH_ID_FIELD."""
    return "SCORELINE_FETCH_" + key.upper()


def parse(values: dict | None) -> Config:
    """Config from the Variable's JSON; a typo fails loudly instead of being ignored."""
    values = values or {}
    known = {f.name for f in fields(Config)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(
            f"Variable {VARIABLE}: unknown keys {unknown}; known keys: {sorted(known)}"
        )
    repeat = values.get("alert_repeat_minutes", Config.alert_repeat_minutes)
    if not repeats.valid_minutes(repeat):  # "60" as a string would otherwise mean: alert every run
        raise ValueError(
            f"Variable {VARIABLE}: alert_repeat_minutes must be a number >= 0 (0: alert every run), "
            f"got {repeat!r}"
        )
    partitions = values.get("partitions", Config.partitions)
    if type(partitions) is not int or not 1 <= partitions <= MAX_PARTITIONS:  # True is an int
        raise ValueError(
            f"Variable {VARIABLE}: partitions must be a whole number from 1 to {MAX_PARTITIONS}, "
            f"got {partitions!r}"
        )
    for key in ("java_opts", *(f"{job}_java_opts" for job in JOB_JAVA_OPTS)):
        if not isinstance(values.get(key, ""), str):  # a list would reach the shell as "['-Xmx1g']"
            raise ValueError(
                f"Variable {VARIABLE}: {key} must be a string of JVM options, got {values[key]!r}"
            )
    return Config(**values)


def load() -> Config:
    """The current settings; call it at task run time (it reads the Variable)."""
    from airflow.sdk import Variable
    from airflow.sdk.exceptions import AirflowFailException

    try:
        return parse(Variable.get(VARIABLE, default=None, deserialize_json=True))
    except (ValueError, TypeError) as e:  # bad JSON or unknown keys: retrying cannot help
        raise AirflowFailException(f"Variable {VARIABLE} is invalid: {e}") from None


def elasticsearch_env(conn_id: str) -> dict[str, str]:
    """The Elasticsearch Connection as fetch's SCORELINE_ES_* variables, or nothing if there is none."""
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        conn = Connection.get(conn_id)
    except AirflowNotFoundException:
        return {}
    return connection_env(conn)


def connection_env(conn) -> dict[str, str]:
    """fetch's --es-url and credentials from a Connection, as environment variables only.

    Like Airflow's Elasticsearch provider: login + password are basic authentication, a password
    without a login is an API key; extras ca_certs, ssl_assert_fingerprint and http_compress are
    fetch's TLS trust and --es-compression. Secrets go in the environment, never on the command line
    (which the process list and Airflow's rendered templates show).
    """
    host = conn.host or "localhost"
    if "://" not in host:
        scheme = "https" if conn.conn_type == "https" or conn.schema == "https" else "http"
        host = f"{scheme}://{host}:{conn.port or 9200}"
    env = {"SCORELINE_ES_URL": host}
    if conn.login:
        env["SCORELINE_ES_USERNAME"] = conn.login
        if conn.password:
            env["SCORELINE_ES_PASSWORD"] = conn.password
    elif conn.password:
        env["SCORELINE_ES_API_KEY"] = conn.password
    extra = conn.extra_dejson or {}
    for key, variable in TLS_AND_WIRE_EXTRAS.items():
        if extra.get(key) not in (None, ""):
            value = extra[key]
            env[variable] = str(value).lower() if isinstance(value, bool) else str(value)
    return env


# Connection extras under elasticsearch-py's names, as fetch options (docs/elasticsearch.md).
TLS_AND_WIRE_EXTRAS = {
    "ca_certs": "SCORELINE_ES_CA_CERT",  # a PEM file on the worker: the cluster's own CA
    "ssl_assert_fingerprint": "SCORELINE_ES_CA_FINGERPRINT",  # or its SHA-256 fingerprint
    "http_compress": "SCORELINE_ES_COMPRESSION",  # gzip answers, for a cluster across the internet
}


def task_defaults(retries: int = 2) -> dict:
    """Retries and timeouts for the java -jar tasks, sized for a 5-minute cadence.

    The scheduler reads these from the serialized DAG before any task runs, so they cannot come
    from a Variable without a DB query at parse time. A deployment (or a test) may override them
    with environment variables, which cost nothing to read:
    SCORELINE_DAG_RETRIES and SCORELINE_DAG_RETRY_DELAY_SECONDS.
    """
    delay = float(os.environ.get("SCORELINE_DAG_RETRY_DELAY_SECONDS", "15"))
    return {
        "retries": int(os.environ.get("SCORELINE_DAG_RETRIES", retries)),
        "retry_delay": timedelta(seconds=delay),  # 15 s, then 30 s (x2 backoff, jittered) ...
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(seconds=4 * delay),  # ... never more than 1 min
        "execution_timeout": timedelta(minutes=2),  # a job normally takes seconds
    }
