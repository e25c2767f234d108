"""Shared fixtures for the DAG tests.

``airflow_in_process`` sets this pytest process up like ``source testenv/airflow/env.sh``
(isolated AIRFLOW_HOME, SQLite, migrated DB), so tests may import Airflow and call
``dag.test()`` in-process: its ~10 s warm-up is then paid once, not once per run. Test modules
must import Airflow (and the dags/scoreline package, which imports it) only inside tests or
fixtures that request it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "dags"
ENV_SH = REPO / "testenv" / "airflow" / "env.sh"

# The DAG files import the dags/scoreline package, as Airflow's bundle parsing allows.
sys.path.insert(0, str(DAGS))


def airflow_env(work: Path, venv: str) -> dict[str, str]:
    """The environment after `source testenv/airflow/env.sh <work>` (venv checked, DB migrated)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    base["SCORELINE_AIRFLOW_VENV"] = venv
    proc = subprocess.run(
        ["bash", "-c", 'source "$0" "$1" >&2 && env -0', str(ENV_SH), str(work)],
        env=base,
        capture_output=True,
        timeout=1800,
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return dict(item.split("=", 1) for item in proc.stdout.decode().split("\0") if "=" in item)


@pytest.fixture(scope="session")
def airflow_in_process(tmp_path_factory) -> dict[str, str]:
    if not (Path(sys.prefix) / ".scoreline-lock.sha256").is_file():
        pytest.skip("needs the Airflow venv's python: run testenv/airflow/run-tests.sh")
    if "airflow" in sys.modules and os.environ.get("AIRFLOW_HOME") is None:
        pytest.fail("airflow was imported before airflow_in_process configured it")
    env = airflow_env(tmp_path_factory.mktemp("airflow_home"), sys.prefix)
    for key, value in env.items():
        if key.startswith("AIRFLOW"):
            os.environ[key] = value
    # Settings from the caller's shell must not reach the jobs.
    keep = ("SCORELINE_IT_", "SCORELINE_AIRFLOW_VENV")
    for key in [k for k in os.environ if k.startswith("SCORELINE_") and not k.startswith(keep)]:
        del os.environ[key]
    return env


class Receiver:
    """A webhook on 127.0.0.1, port 0, recording every POSTed JSON body with its path."""

    def __init__(self, status: int = 200) -> None:
        self.messages: list[tuple[str, dict]] = []
        messages = self.messages

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                messages.append((self.path, json.loads(body)))
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"
