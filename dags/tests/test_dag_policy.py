"""The DAG files parse cleanly and cheaply, and carry the agreed policy.

Parsing runs in a fresh interpreter, as the dag-processor does (BundleDagBag), with sockets and
the metadata DB booby-trapped: any network or database access at parse time is recorded and
fails the test. The policy is then read from the parsed Airflow objects, with the production
defaults (no SCORELINE_DAG_* overrides).
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest

from conftest import DAGS, REPO

PROBE = r"""
import json, socket, sys, warnings

attempts = []

def trap(what):
    def refuse(*args, **kwargs):
        attempts.append(what)
        raise RuntimeError(what + " at parse time")
    return refuse

socket.socket.connect = trap("network")
socket.create_connection = trap("network")
import sqlalchemy.engine
sqlalchemy.engine.Engine.connect = trap("database")
sqlalchemy.engine.Engine.raw_connection = trap("database")

from airflow.dag_processing.dagbag import BundleDagBag

folder = sys.argv[1]
bag = BundleDagBag(dag_folder=folder, bundle_path=folder, bundle_name="dags-folder")

def names(callbacks):
    callbacks = callbacks if isinstance(callbacks, list) else [callbacks] if callbacks else []
    return [f"{c.__module__}.{c.__name__}" for c in callbacks]

def seconds(delta):
    return None if delta is None else delta.total_seconds()

# A task of a mapped task group: the group, what it is mapped over and, rendered for partition
# 1 of 3 and for P = 1 (None), the command (the run's other values left out).
def chain(t):
    group = t.get_closest_mapped_task_group()
    if group is None:
        return None
    import jinja2
    from types import SimpleNamespace

    env = jinja2.Environment(undefined=jinja2.ChainableUndefined)
    def command(part):
        return env.from_string(t.bash_command).render(task=SimpleNamespace(partition=part))
    return {
        "group": group.group_id,
        "over": {k: v.operator.task_id for k, v in group._expand_input.value.items()},
        "argument": type(t.partition).__name__,
        "label": t.map_index_template,
        "command_1_of_3": command("1/3"),
        "command_p_1": command(None),
    }

dags = {}
for dag_id in bag.dag_ids:
    dag = bag.dags[dag_id]  # get_dag() would ask the DB
    dags[dag_id] = {
        "schedule": dag.schedule if isinstance(dag.schedule, str) else repr(dag.schedule),
        "start_date_tz": str(dag.start_date.tzinfo) if dag.start_date else None,
        "catchup": dag.catchup,
        "max_active_runs": dag.max_active_runs,
        "tags": sorted(dag.tags),
        "doc_md": dag.doc_md or "",
        "params": {k: v for k, v in dag.params.dump().items()},
        "param_schemas": {
            k: {**dag.params.get_param(k).schema, "description": dag.params.get_param(k).description}
            for k in dag.params
        },
        "leaves": sorted(t.task_id for t in dag.leaves),
        "tasks": {
            t.task_id: {
                "mapped": type(t).__name__ == "MappedOperator",
                "chain": chain(t),
                "type": type(t).__name__,
                "jar": any(c.__name__ == "JarOperator" for c in type(t).__mro__),
                "doc_md": t.doc_md or "",
                "upstream": sorted(t.upstream_task_ids),
                "trigger_rule": str(t.trigger_rule.value),
                "retries": t.retries,
                "retry_delay": seconds(t.retry_delay),
                "retry_exponential_backoff": t.retry_exponential_backoff,
                "max_retry_delay": seconds(t.max_retry_delay),
                "execution_timeout": seconds(t.execution_timeout),
                "on_failure_callback": names(t.on_failure_callback),
                "on_success_callback": names(t.on_success_callback),
                "on_retry_callback": names(t.on_retry_callback),
                "bash_command": getattr(t, "bash_command", None),
                "append_env": getattr(t, "append_env", None),
                "skip_on_exit_code": list(getattr(t, "skip_on_exit_code", []) or []),
            }
            for t in dag.tasks
        },
        "groups": {g: [c for c in dag.task_group_dict[g].children] for g in dag.task_group_dict},
    }
print(json.dumps({
    "errors": bag.import_errors,
    "warnings": {k: [str(w) for w in v] for k, v in bag.captured_warnings.items()},
    "attempts": attempts,
    "dags": dags,
}, default=str))
"""

JOBS = ["fetch", "predict", "publish"]


@pytest.fixture(scope="module")
def parsed(airflow_in_process) -> dict:
    env = {k: v for k, v in airflow_in_process.items() if not k.startswith("SCORELINE_DAG_")}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(DAGS)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def batch(parsed) -> dict:
    return parsed["dags"]["scoreline_batch"]


def test_dag_files_import_without_errors_warnings_db_or_network(parsed):
    assert parsed["errors"] == {}
    assert parsed["warnings"] == {}
    assert parsed["attempts"] == [], (
        "the DAG files must not touch the network or the DB when parsed"
    )
    assert {"scoreline_batch", "scoreline_freshness", "scoreline_operations"} <= set(parsed["dags"])


def test_helper_package_is_not_parsed_as_dags(airflow_in_process):
    ignore = (DAGS / ".airflowignore").read_text().splitlines()
    assert "scoreline/" in ignore


DAG_IDS = ["scoreline_batch", "scoreline_freshness", "scoreline_operations"]


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_schedule_and_run_policy(parsed, dag_id):
    dag = parsed["dags"][dag_id]
    assert dag["catchup"] is False
    assert dag["max_active_runs"] == 1
    assert dag["start_date_tz"] == "UTC"
    assert "scoreline" in dag["tags"]
    assert len(dag["doc_md"]) > 200


def test_batch_runs_every_five_minutes_and_freshness_between(parsed):
    assert parsed["dags"]["scoreline_batch"]["schedule"] == "*/5 * * * *"
    assert parsed["dags"]["scoreline_freshness"]["schedule"] == "2-59/5 * * * *"


def test_flow_fallback_and_leaves(batch):
    tasks = batch["tasks"]
    assert tasks["fetch"]["upstream"] == ["partitions"]
    # its own fetch; partitions only as the source of its (rendered) argument
    assert tasks["predict"]["upstream"] == ["fetch", "partitions"]
    assert tasks["publish"]["upstream"] == ["predict"]
    assert tasks["fallback"]["upstream"] == JOBS
    assert tasks["fallback"]["trigger_rule"] == "one_failed"
    # A leaf that needs every job keeps the run FAILED after a successful fallback; the summary
    # runs after either and never fails (a warning line instead).
    assert batch["leaves"] == ["done", "summary"]
    assert (tasks["done"]["upstream"], tasks["done"]["trigger_rule"]) == (
        ["publish"],
        "all_success",
    )
    assert (tasks["summary"]["upstream"], tasks["summary"]["trigger_rule"]) == (
        ["fallback", "publish"],
        "all_done",
    )
    assert tasks["summary"]["retries"] == 0
    assert tasks["summary"]["bash_command"].endswith('publish.jar" runs --json --limit 3')


def test_each_partition_is_a_chain_of_its_own_fetch_and_predict(batch):
    """One mapped task group, not two mapped tasks: Airflow then ties predict[i] to fetch[i]
    alone (a mapped task would wait for every instance of the one before it), which is what
    lets a partition score while another still fetches and a cleared fetch[i] rerun predict[i]
    only (test_partitioned_e2e.py shows both on a real scheduler)."""
    tasks = batch["tasks"]
    # The group is not a prefix: the ids stay fetch and predict (alerts, fallback, docs, URLs).
    assert batch["groups"]["partition"] == ["fetch", "predict"]
    for task_id in ("fetch", "predict"):
        task = tasks[task_id]
        chain = dict(task["chain"])
        one_of_three, p_1 = chain.pop("command_1_of_3"), chain.pop("command_p_1")
        # P is read when the run starts (the partitions task), never when the file is parsed.
        assert chain == {
            "group": "partition",
            "over": {"part": "partitions"},
            "argument": "MappedArgument",  # resolved per instance, when the task is rendered
            "label": "{{ task.partition or 'whole run' }}",
        }, task_id
        assert one_of_three.endswith(' --partition "1/3"'), task_id
        assert "--partition" not in p_1, task_id  # P = 1: the unpartitioned run
        assert task["jar"] and task["retries"] == 2 and not task["mapped"], task_id
        assert task["trigger_rule"] == "all_success", task_id
    others = [t for t in tasks if t not in ("fetch", "predict")]
    assert all(tasks[t]["chain"] is None and not tasks[t]["mapped"] for t in others), others
    assert "--partition" not in tasks["publish"]["bash_command"]  # it reads the plan
    assert tasks["partitions"]["type"] == "_PythonDecoratedOperator"
    assert tasks["partitions"]["upstream"] == []


def test_partitions_are_validated_and_one_is_the_unpartitioned_run(airflow_in_process):
    from scoreline import config

    assert config.parse(None).partitions == 1
    assert config.parse(None).partition_list() == [None]  # no --partition: today's layout
    assert config.parse({"partitions": 3}).partition_list() == ["0/3", "1/3", "2/3"]
    assert len(config.parse({"partitions": 1024}).partition_list()) == 1024
    for wrong in (0, -1, 1025, "2", 2.0, True, None):
        with pytest.raises(ValueError, match="partitions must be a whole number from 1 to 1024"):
            config.parse({"partitions": wrong})


def test_each_job_gets_its_own_jvm_options(airflow_in_process, monkeypatch):
    from scoreline import config

    monkeypatch.setattr(config, "elasticsearch_env", lambda conn_id: {})

    def opts(job, **values):
        return config.parse(values).job_environment(job)["SCORELINE_JAVA_OPTS"]

    # Measured in docs/running.md: fetch's heap grows with the run, and C1 only saves it the C2
    # warm-up that dominates a small cycle; predict and publish keep C2 for their loops.
    assert opts("fetch") == "-Xmx512m -XX:TieredStopAtLevel=1"
    assert opts("predict") == "-Xmx256m -XX:+UseSerialGC -XX:CompileThresholdScaling=10"
    assert opts("publish") == "-Xmx256m -XX:+UseSerialGC -XX:CompileThresholdScaling=3"
    assert opts("predict", predict_java_opts="-Xmx2g") == "-Xmx2g"
    assert opts("fetch", predict_java_opts="-Xmx2g") == "-Xmx512m -XX:TieredStopAtLevel=1"
    # java_opts is for every job, after the job's own: the JVM takes the last -Xmx.
    assert opts("publish", java_opts="-Xmx1g -XX:+UseSerialGC") == (
        "-Xmx256m -XX:+UseSerialGC -XX:CompileThresholdScaling=3 -Xmx1g -XX:+UseSerialGC"
    )
    assert opts("fetch", fetch_java_opts="", java_opts="-Xmx3g") == "-Xmx3g"
    for key in ("java_opts", "fetch_java_opts"):
        with pytest.raises(ValueError, match=f"{key} must be a string of JVM options"):
            config.parse({key: ["-Xmx1g"]})


def test_the_jvm_defaults_have_one_source(airflow_in_process):
    """crontab-notes.md's cycle script and docs/running.md show checked copies of the defaults."""
    from scoreline import config

    for doc in ("crontab-notes.md", "docs/running.md"):
        text = (REPO / doc).read_text()
        for job, opts in config.JOB_JAVA_OPTS.items():
            value = f'"{opts}"' if " " in opts else opts
            assert f"JAVA_OPTS_{job.upper()}={value}" in text, (doc, job)
    readme = (DAGS / "README.md").read_text()
    for job, opts in config.JOB_JAVA_OPTS.items():
        assert f"| `{job}_java_opts` | `{opts}` |" in readme, job


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_every_task_says_what_it_does(parsed, dag_id):
    tasks = parsed["dags"][dag_id]["tasks"]
    if dag_id == "scoreline_freshness":  # one task: the DAG's doc_md is its doc
        return
    undocumented = [task_id for task_id, t in tasks.items() if len(t["doc_md"]) < 40]
    assert not undocumented


def test_jobs_retry_with_exponential_backoff_within_the_cadence(batch):
    for task_id in [*JOBS, "fallback"]:
        task = batch["tasks"][task_id]
        assert task["retries"] == 2, task_id
        assert task["retry_delay"] == 15, task_id
        assert task["retry_exponential_backoff"] == 2.0, task_id
        assert task["max_retry_delay"] == 60, task_id
        assert task["execution_timeout"] == 120, task_id
        # Worst case for one task, every try timing out: 3 x 2 min + 15 s + 30-60 s. The run
        # overruns its 5-minute slot (the next one waits: max_active_runs=1) but the freshness
        # check reports it at 10 minutes.
        worst = (task["retries"] + 1) * task["execution_timeout"] + 15 + task["max_retry_delay"]
        assert worst <= 10 * 60, task_id


def test_jar_tasks_take_configuration_from_env_not_the_command_line(parsed):
    for dag in parsed["dags"].values():
        for task_id, task in dag["tasks"].items():
            if not task["jar"]:  # JarOperator and its subclasses only
                continue
            command = task["bash_command"]
            assert command.startswith(
                'exec "$SCORELINE_JAVA_BIN" $SCORELINE_JAVA_OPTS -jar "$SCORELINE_JAR_DIR/'
            ), task_id
            assert "var." not in command and "conn." not in command, task_id
            assert task["append_env"] is True and task["skip_on_exit_code"] == [], task_id


def test_jobs_get_the_run_identity(batch):
    for task_id in [*JOBS, "fallback"]:
        assert '--run-id "{{ run_id }}"' in batch["tasks"][task_id]["bash_command"], task_id
    assert (
        '--data-interval-end "{{ data_interval_end | default(none) or dag_run.run_after }}"'
        in batch["tasks"]["fetch"]["bash_command"]
    )
    assert '--reason "$SCORELINE_FALLBACK_REASON"' in batch["tasks"]["fallback"]["bash_command"]
    assert batch["params"] == {"mode": "incremental"}


def test_callbacks_alert_once_per_incident_never_per_retry(parsed, batch):
    tasks = batch["tasks"]
    assert tasks["fallback"]["on_success_callback"] == ["scoreline.alerts.run_failed"]
    assert tasks["fallback"]["on_failure_callback"] == ["scoreline.alerts.run_failed"]
    assert tasks["publish"]["on_success_callback"] == ["scoreline.alerts.recovered"]
    check = parsed["dags"]["scoreline_freshness"]["tasks"]["check_freshness"]
    assert check["on_failure_callback"] == ["scoreline.alerts.stale"]
    assert check["on_success_callback"] == ["scoreline.alerts.fresh"]  # ends a stale incident
    assert check["bash_command"].endswith('publish.jar" status --max-age "$SCORELINE_MAX_AGE"')
    for dag_id in ("scoreline_batch", "scoreline_freshness"):
        assert all(not t["on_retry_callback"] for t in parsed["dags"][dag_id]["tasks"].values())


def test_exit_codes_decide_retries(airflow_in_process):
    from scoreline import jobs

    assert {2, 5, 6} <= jobs.NO_RETRY
    assert not {1, 3, 4} & jobs.NO_RETRY
    assert jobs.meaning(5) == "model missing, corrupt or incompatible"
    assert jobs.meaning(None).startswith("no exit code")


def test_settings_have_sane_defaults_and_reject_typos(airflow_in_process):
    from scoreline import config

    defaults = config.parse(None)
    assert (defaults.freshness_max_age, defaults.alert_conn_id, defaults.model_alias) == (
        "10m",
        "scoreline_alerts",
        "production",
    )
    assert defaults.alert_repeat_minutes == 60
    assert config.parse({"store": "s3://b/p"}).store == "s3://b/p"
    with pytest.raises(ValueError, match="unknown keys \\['stor'\\]"):
        config.parse({"stor": "s3://b/p"})
    assert config.parse({"alert_repeat_minutes": 0}).alert_repeat_minutes == 0
    for wrong in ("60", -5, True, None):
        with pytest.raises(ValueError, match="alert_repeat_minutes must be a number >= 0"):
            config.parse({"alert_repeat_minutes": wrong})


def test_source_settings_become_fetch_options(airflow_in_process, monkeypatch):
    from scoreline import config

    monkeypatch.setattr(config, "elasticsearch_env", lambda conn_id: {})
    settings = config.parse(
        {
            "index": "items-*",
            "query": {"term": {"active": True}},
            "id_field": "sku",
            "updated_field": "modified_at",
            "slices": 4,
        }
    )
    env = settings.job_environment("fetch")
    source_variables = {config.option_variable(key) for key in config.SOURCE_OPTIONS}
    assert {k: v for k, v in env.items() if k in source_variables} == {
        "SCORELINE_FETCH_INDEX": "items-*",
        "SCORELINE_FETCH_QUERY": '{"term": {"active": true}}',
        "SCORELINE_FETCH_ID_FIELD": "sku",
        "SCORELINE_FETCH_UPDATED_FIELD": "modified_at",
        "SCORELINE_FETCH_SLICES": "4",
    }
    assert (
        config.parse({"query": "@/etc/scoreline/query.json"}).job_environment("fetch")[
            "SCORELINE_FETCH_QUERY"
        ]
        == "@/etc/scoreline/query.json"
    )


def test_elasticsearch_connection_becomes_url_and_credentials(airflow_in_process):
    from airflow.sdk import Connection

    from scoreline.config import connection_env

    def env(**fields):
        return connection_env(Connection(conn_id="es", conn_type="http", **fields))

    assert env(host="es.local") == {"SCORELINE_ES_URL": "http://es.local:9200"}
    assert env(host="es.local", port=9243, schema="https")["SCORELINE_ES_URL"] == (
        "https://es.local:9243"
    )
    assert env(host="https://a:443,https://b:443") == {
        "SCORELINE_ES_URL": "https://a:443,https://b:443"
    }
    assert env(host="es", login="reader", password="pw") == {
        "SCORELINE_ES_URL": "http://es:9200",
        "SCORELINE_ES_USERNAME": "reader",
        "SCORELINE_ES_PASSWORD": "pw",
    }
    # A password without a login is an API key, as in Airflow's Elasticsearch provider.
    assert env(host="es", password="a2V5") == {
        "SCORELINE_ES_URL": "http://es:9200",
        "SCORELINE_ES_API_KEY": "a2V5",
    }
    # TLS trust and compression from the extras, under elasticsearch-py's names.
    assert env(
        host="es",
        schema="https",
        extra='{"ca_certs": "/etc/es/http_ca.crt", "http_compress": true}',
    ) == {
        "SCORELINE_ES_URL": "https://es:9200",
        "SCORELINE_ES_CA_CERT": "/etc/es/http_ca.crt",
        "SCORELINE_ES_COMPRESSION": "true",
    }
    assert env(host="es", extra='{"ssl_assert_fingerprint": "AB:CD", "other": 1}') == {
        "SCORELINE_ES_URL": "http://es:9200",
        "SCORELINE_ES_CA_FINGERPRINT": "AB:CD",
    }


# ----------------------------------------------------------------------------- operations DAG

ACTIONS = ["status", "rollback", "fallback", "promote-model", "rollback-model", "full-refresh"]


@pytest.fixture(scope="module")
def operations(parsed) -> dict:
    return parsed["dags"]["scoreline_operations"]


def test_operations_run_only_when_triggered(operations):
    assert operations["schedule"] in ("None", None)
    assert operations["params"]["action"] == "status"  # the harmless default


def test_operations_form_offers_each_action_with_descriptions(operations):
    schemas = operations["param_schemas"]
    assert schemas["action"]["enum"] == ACTIONS
    assert list(schemas["action"]["values_display"]) == ACTIONS
    assert set(schemas) == {"action", "to_run", "reason", "model", "version", "alias", "limit"}
    for name, schema in schemas.items():
        assert len(schema.get("description") or "") > 20, name
    for action in ACTIONS:  # the DAG's doc says what each action runs
        assert f"`{action}`" in operations["doc_md"], action


def test_operations_branch_to_one_task_per_action_each_announcing_once(operations):
    tasks = operations["tasks"]
    assert tasks["choose"]["type"] == "BranchPythonOperator"
    assert tasks["choose"]["on_failure_callback"] == ["scoreline.operations.announce"]
    assert tasks["choose"]["on_success_callback"] == []  # the action's task announces
    for action in ACTIONS:
        task = tasks[action.replace("-", "_")]
        assert task["upstream"] == ["choose"], action
        assert task["on_success_callback"] == ["scoreline.operations.announce"], action
        assert task["on_failure_callback"] == ["scoreline.operations.announce"], action
        assert not task["on_retry_callback"], action
        assert task["retries"] == 2 and task["execution_timeout"] == 120, action
    assert operations["leaves"] == sorted(a.replace("-", "_") for a in ACTIONS)


def test_operations_pass_form_values_as_environment_never_as_shell_text(operations):
    for task_id, task in operations["tasks"].items():
        if task["type"] == "OperationOperator":
            assert "params" not in task["bash_command"], task_id
            assert "{{" not in task["bash_command"].replace("{{ run_id }}", ""), task_id
    commands = {t: operations["tasks"][t]["bash_command"] for t in ("rollback", "promote_model")}
    assert commands["rollback"].endswith('publish.jar" rollback --to "$OP_TO_RUN"')
    assert commands["promote_model"].endswith(
        'predict.jar" models promote "$OP_MODEL" "$OP_VERSION" --alias "$OP_ALIAS"'
    )


def test_operations_form_validates_values(airflow_in_process):
    from airflow.sdk.exceptions import ParamValidationError

    from e2e import load_dags

    (dag,) = load_dags("scoreline_operations")

    def check(**conf):  # as the form and create_dagrun do: the defaults, then the run's conf
        params = copy.deepcopy(dag.params)
        params.update(conf)
        return params.validate()

    assert check(action="rollback", to_run="scheduled__2026-12-02T15:50:00+00:00")["to_run"]
    for bad in (
        {"action": "drop-everything"},
        {"to_run": "runs/../latest"},
        {"to_run": "-rf"},
        {"version": "v1; rm -rf /"},
        {"alias": "a b"},
        {"limit": 0},
        {"reason": "x" * 501},
    ):
        with pytest.raises(ParamValidationError):
            check(**bad)


def test_operations_refuse_an_action_without_its_params(airflow_in_process):
    from airflow.sdk.exceptions import AirflowFailException

    from scoreline import operations

    def choose(**params):
        defaults = {"to_run": "", "reason": "", "version": ""}
        return operations.choose(params={**defaults, **params})

    assert choose(action="status") == "status"
    assert choose(action="full-refresh") == "full_refresh"
    assert choose(action="rollback", to_run="r1") == "rollback"
    with pytest.raises(
        AirflowFailException, match=r"^rollback needs to_run: to_run is the published run"
    ):
        choose(action="rollback")
    with pytest.raises(AirflowFailException, match=r"^promote-model needs version"):
        choose(action="promote-model", version="  ")
    with pytest.raises(AirflowFailException, match=r"^fallback needs reason"):
        choose(action="fallback")


def test_a_job_uses_its_ahead_of_time_cache_only_where_the_worker_has_one(
    airflow_in_process, monkeypatch, tmp_path
):
    from scoreline import config, jobs

    monkeypatch.setattr(config, "elasticsearch_env", lambda conn_id: {})
    monkeypatch.setattr(config, "load", lambda: config.parse({"jar_dir": str(tmp_path)}))
    fetch = jobs.JarOperator(task_id="aot_fetch", jar="fetch.jar", args="")

    def java_opts():
        return fetch.get_env({})["SCORELINE_JAVA_OPTS"]

    assert "AOTCache" not in java_opts()  # JDK 17 would refuse to start with it
    (tmp_path / "fetch.aot").write_bytes(b"made by scripts/build-aot.sh")
    (tmp_path / "predict.aot").write_bytes(b"not fetch's")
    assert java_opts() == (
        f"-Xmx512m -XX:TieredStopAtLevel=1 -XX:AOTCache={tmp_path}/fetch.aot -Xlog:aot=off"
    )
