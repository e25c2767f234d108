#!/usr/bin/env bash
# The scoreline package's tests (python/tests) in the pinned venv, created on first use.
# End-to-end tests run dist/*.jar (scripts/build.sh) and S3 when SCORELINE_IT_S3_ENDPOINT is set (testenv/run/env.sh).
# Usage: python/run-tests.sh [pytest args...]     PYTHON_VENV_DIR=... to keep the venv elsewhere
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$("$here/venv.sh" ${PYTHON_VENV_DIR:+"$PYTHON_VENV_DIR"} | tail -n1)"
cd "$here"
exec "$venv/bin/python" -m pytest -q -rs "$@"
