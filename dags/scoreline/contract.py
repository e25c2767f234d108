"""The exit-code table and the alert fields, shared with the jobs: read from ``exit_codes.json``.

That file is a checked copy of the jobs' own table (jobs/core/.../error/exit-codes.json): the Java
and Python tests fail while the two differ. Plain Python, no Airflow: safe to import at parse time.
"""

from __future__ import annotations

import json
from pathlib import Path

_FILE = json.loads((Path(__file__).parent / "exit_codes.json").read_text(encoding="utf-8"))

# Exit codes that come from the shell or the kernel, not from a job.
SHELL_MEANINGS = {
    126: "java is not executable",
    127: "java or a jar was not found",
    137: "killed (out of memory?)",
    143: "terminated",
}
MEANINGS: dict[int, str] = {
    **{row["code"]: row["meaning"] for row in _FILE["exit_codes"]},
    **SHELL_MEANINGS,
}
# Never retried: the failure will not heal by itself (bad configuration, broken model, refused output).
NO_RETRY = frozenset(
    {row["code"] for row in _FILE["exit_codes"] if row["code"] != 0 and not row["retried"]}
    | {126, 127}
)
ALERT_FIELDS: tuple[str, ...] = tuple(_FILE["alert_fields"])
