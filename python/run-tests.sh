#!/usr/bin/env bash
# Lints dags/ and python/ (ruff), then runs the scoreline package's tests (python/tests) in the pinned venv, created on
# first use.
# End-to-end tests run dist/*.jar (scripts/build.sh) and S3 when SCORELINE_IT_S3_ENDPOINT is set (testenv/run/env.sh).
# Usage: python/run-tests.sh [pytest args...]     PYTHON_VENV_DIR=... to keep the venv elsewhere
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$("$here/venv.sh" ${PYTHON_VENV_DIR:+"$PYTHON_VENV_DIR"} | tail -n1)"
cd "$here"
# Lint first (about a second): the DAGs' rules (dags/ruff.toml) and the package's (pyproject.toml), the lock's ruff.
ruff="$venv/bin/ruff"
if ! "$ruff" check --no-cache --quiet ../dags . || ! "$ruff" format --check --no-cache --quiet ../dags .; then
  echo "run-tests.sh: lint failed: ruff lists the problems above; '$ruff check --fix' and '$ruff format' fix most" >&2
  exit 1
fi
exec "$venv/bin/python" -m pytest -q -rs "$@"
