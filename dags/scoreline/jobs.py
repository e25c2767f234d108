"""``java -jar`` tasks whose exit code decides between retrying and failing at once.

The jobs share one exit code table (scoreline/exit_codes.json, see contract.py): an unavailable source or store (3, 4) may heal,
so those are retried; a configuration error, a broken model or refused output (2, 5, 6) will
not, so the task fails without using its retries (AirflowFailException).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk.exceptions import AirflowException, AirflowFailException, AirflowTaskTimeout

from scoreline import config
from scoreline.contract import MEANINGS, NO_RETRY

FAILURE_KEY = "failure"  # XCom a failed job leaves for the fallback and the alert

# Configuration reaches the jars as SCORELINE_* environment variables (see config.Config), so the
# rendered command holds no secrets, only the run's own values.
COMMAND = 'exec "$SCORELINE_JAVA_BIN" $SCORELINE_JAVA_OPTS -jar "$SCORELINE_JAR_DIR/{jar}" {args}'
# A partition known only when the task runs (the batch DAG's mapped task group): None, i.e. P = 1,
# leaves the option out, the unpartitioned run.
PARTITION_OPTION = '{% if task.partition %} --partition "{{ task.partition }}"{% endif %}'


def aot_options(jar_dir: str, job: str) -> str:
    """The JVM options that use ``<jar_dir>/<job>.aot``, the JDK 25 ahead-of-time cache
    scripts/build-aot.sh leaves beside the jars (a third less start-up CPU: docs/running.md), or
    none when the worker has no cache. The script leaves none for a JDK that cannot read it, and a
    stale cache is ignored by the JVM, whose alarming-looking notice about it is silenced."""
    cache = Path(jar_dir) / f"{job}.aot"
    return f"-XX:AOTCache={cache} -Xlog:aot=off" if cache.is_file() else ""


def meaning(exit_code: int | None) -> str:
    if exit_code is None:
        return "no exit code (timed out or killed)"
    return MEANINGS.get(exit_code, f"exit code {exit_code}")


class JarOperator(BashOperator):
    """Runs one Scoreline job: ``java -jar <jar_dir>/<jar> <args>`` (args are a Jinja template).

    Settings are read when the task runs (config.load) and passed as environment variables;
    ``runtime_env(context, config)`` may add task-specific ones. On failure the task leaves an
    XCom ``failure`` record (exit code, meaning, last output line, try, log URL, partition).

    ``partition`` ("i/P") adds ``--partition i/P``; None is the unpartitioned run. It is a
    template field, so it may be the batch DAG's mapped task group argument, which Airflow
    resolves for each instance when it renders the task, before the command (PARTITION_OPTION).
    """

    ui_color = "#e8f0fe"
    # partition first: the command's template reads the rendered value (task.partition).
    template_fields = ("partition", *BashOperator.template_fields)

    def __init__(
        self,
        *,
        jar: str,
        args: str,
        runtime_env: Callable[[Any, config.Config], dict[str, str]] | None = None,
        partition: str | None = None,
        **kwargs,
    ) -> None:
        if partition is not None:
            args += PARTITION_OPTION
        super().__init__(
            bash_command=COMMAND.format(jar=jar, args=args),
            env={},
            append_env=True,
            skip_on_exit_code=None,  # no exit code means "skipped"
            **kwargs,
        )
        self.runtime_env = runtime_env
        self.job = jar.removesuffix(".jar")  # whose JVM options it gets: fetch, predict, publish
        self.partition = partition

    def get_env(self, context) -> dict:
        settings = config.load()
        env = super().get_env(context)  # the worker's environment + AIRFLOW_CTX_* (append_env)
        env.update(settings.job_environment(self.job))
        cache = aot_options(settings.jar_dir, self.job)
        if cache:
            env["SCORELINE_JAVA_OPTS"] = f"{env['SCORELINE_JAVA_OPTS']} {cache}".lstrip()
        if self.runtime_env is not None:
            env.update(self.runtime_env(context, settings))
        return env

    def execute(self, context):
        try:
            result = self.subprocess_hook.run_command(
                command=[shutil.which("bash") or "bash", "-c", self.bash_command],
                env=self.get_env(context),
                output_encoding=self.output_encoding,
                cwd=self.cwd,
            )
        except AirflowTaskTimeout:
            record_failure(
                context, None, f"timed out after {self.execution_timeout}", self.partition
            )
            raise
        # `exec java` leaves no shell to turn a signal into 128 + N: Popen reports -N.
        exit_code = 128 - result.exit_code if result.exit_code < 0 else result.exit_code
        if exit_code == 0:
            return result.output
        summary = record_failure(context, exit_code, result.output, self.partition)
        if exit_code in NO_RETRY:
            raise AirflowFailException(f"{summary}: not retrying")
        raise AirflowException(summary)


def record_failure(
    context, exit_code: int | None, last_line: str, partition: str | None = None
) -> str:
    """Leaves the failure where the fallback task and the alert find it; returns a summary."""
    ti = context["ti"]
    summary = f"{ti.task_id}{'' if partition is None else f' partition {partition}'} failed: "
    summary += meaning(exit_code) + ("" if exit_code is None else f" (exit {exit_code})")
    ti.xcom_push(
        key=FAILURE_KEY,
        value={
            "job": ti.task_id,
            "task_id": ti.task_id,
            "exit_code": exit_code,
            "meaning": meaning(exit_code),
            "retryable": exit_code not in NO_RETRY,
            "error": last_line,
            "try_number": ti.try_number,
            "max_tries": ti.max_tries,
            "log_url": ti.log_url,
            "partition": partition,  # "i/P" of a partitioned run, else None
            "summary": summary,
        },
    )
    return summary


def failures(context, task_ids: list[str]) -> list[dict]:
    """The failure records the given tasks left in this run: at most one per task, or per
    partition (map index) of fetch and predict, in the order of ``task_ids``, then of the
    partitions."""
    ti = context["ti"]
    found = []
    for task_id in task_ids:  # a list pulls every map index, and gives a list even for one
        records = [f for f in ti.xcom_pull(task_ids=[task_id], key=FAILURE_KEY) or [] if f]
        found += sorted(records, key=lambda f: partition_index(f.get("partition")))
    return found


def partition_index(partition: str | None) -> int:
    return -1 if partition is None else int(partition.split("/")[0])


def describe(failed: list[dict]) -> str:
    """One line for the failure records, partitions of one task that failed alike put together:
    'fetch failed in partitions 0/4, 2/4: source unavailable (exit 3)'."""
    groups: dict[tuple, list[dict]] = {}
    for f in failed:
        groups.setdefault((f["task_id"], f["exit_code"]), []).append(f)
    parts = []
    for (task_id, exit_code), records in groups.items():
        if len(records) == 1:
            parts.append(records[0]["summary"])
            continue
        names = [r["partition"] for r in records]
        shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
        code = "" if exit_code is None else f" (exit {exit_code})"
        parts.append(f"{task_id} failed in partitions {shown}: {records[0]['meaning']}{code}")
    return "; ".join(parts)
