"""The batch run's summary for the grid view: what this run did, from the runs history.

``publish.jar runs --json`` reads the run's own manifests (the numbers the jobs wrote, not their
log lines); the summary task logs them as one block and returns them as its XCom, which the grid
shows on the task. It is cosmetic: a store it cannot read leaves one log line, never a failed run.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from airflow.sdk.exceptions import AirflowException

from scoreline.jobs import JarOperator

log = logging.getLogger(__name__)  # lands in the task's log
# The newest runs by last write: this one is among them (max_active_runs=1, and it wrote last).
LIMIT = 3


class RunSummaryOperator(JarOperator):
    def __init__(self, **kwargs) -> None:
        super().__init__(jar="publish.jar", args=f"runs --json --limit {LIMIT}", **kwargs)

    def execute(self, context):
        try:
            history = json.loads(super().execute(context))
        except (AirflowException, ValueError) as e:
            log.warning("No summary: the runs history could not be read (%s)", e)
            return None
        found = summarize(history, context["run_id"], datetime.now(UTC))
        log.info("%s", "Run summary\n" + "\n".join(f"  {k:<18}{v}" for k, v in found.items()))
        return found


def summarize(history: dict, run_id: str, now: datetime) -> dict:
    """This run's line of the history plus the age of what latest/ serves."""
    run = next((r for r in history.get("runs", []) if r.get("run_id") == run_id), None)
    latest = history.get("latest") or {}
    summary: dict = {"run_id": run_id}
    if run is None:
        summary["result"] = "nothing written to the store (a job failed before its first output)"
    else:
        summary["result"] = run.get("result")
        if run.get("reason"):
            summary["reason"] = run["reason"]
        for key in ("mode", "read", "scored", "rejected", "published", "snapshot_count"):
            if key in run:
                summary[key] = run[key]
        if run.get("model"):
            summary["model"] = f"{run['model']}/{run.get('model_version', '?')}"
    if latest:
        summary["serving"] = latest.get("run_id") + (" (stale)" if latest.get("stale") else "")
        if latest.get("data_interval_end"):
            end = datetime.fromisoformat(latest["data_interval_end"].replace("Z", "+00:00"))
            summary["data_age_seconds"] = max(0, int((now - end).total_seconds()))
    return summary
