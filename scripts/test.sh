#!/usr/bin/env bash
# The whole test suite: starts the real servers (S3, Redis, Elasticsearch), runs the Java unit and
# black-box tests (mvnw verify), then the Airflow DAG tests and the Python package's tests (python/), and stops the
# servers again.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
JAVA_HOME="$(scripts/find-java.sh)" || exit 2
export JAVA_HOME
if [ -z "${SCORELINE_TEST_KEEP_SERVERS:-}" ]; then trap 'testenv/down.sh' EXIT; fi

# shellcheck disable=SC1090
source "$(testenv/up.sh)"
./mvnw -B -ntp verify "$@"
AIRFLOW_VENV_DIR="${AIRFLOW_VENV_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/scoreline/airflow-venv}" testenv/airflow/run-tests.sh
python/run-tests.sh
