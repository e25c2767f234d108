#!/usr/bin/env bash
# Run the DAG test suite (dags/tests) with the Airflow venv, creating/updating it first.
# Usage: testenv/airflow/run-tests.sh [pytest args...]
#   AIRFLOW_VENV_DIR=/some/cache/dir testenv/airflow/run-tests.sh   # venv outside the work tree
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$("$here/venv.sh" ${AIRFLOW_VENV_DIR:+"$AIRFLOW_VENV_DIR"})"
cd "$repo"
exec env SCORELINE_AIRFLOW_VENV="$venv" "$venv/bin/python" -m pytest dags/tests "$@"
