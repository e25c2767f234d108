#!/usr/bin/env bash
# Create (or reuse) the Airflow 3 virtualenv for Scoreline's DAGs, installed
# exactly from dags/requirements.lock.
#
# Usage: testenv/airflow/venv.sh [venv-dir]      default: <repo>/.venv/airflow
#        PYTHON=/path/to/python3.11 testenv/airflow/venv.sh
#
# A stamp file (<venv>/.scoreline-lock.sha256) records the sha256 of the lock that
# was installed; when it matches, the install is skipped (a rerun takes ~1 s).
# Set AIRFLOW_VENV_FORCE=1 to reinstall anyway.
# The last line on stdout is the absolute venv path; all progress goes to stderr,
# so callers can do:  venv="$(testenv/airflow/venv.sh | tail -n1)"
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
lock="$repo/dags/requirements.lock"
venv="${1:-$repo/.venv/airflow}"
py="${PYTHON:-python3}"

log() { echo "venv.sh: $*" >&2; }

if ! command -v "$py" >/dev/null 2>&1; then
  log "error: '$py' not found; Python >= 3.10 is required (set PYTHON=...)"
  exit 2
fi
if ! "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)'; then
  log "error: $("$py" -V 2>&1) at $(command -v "$py") is too old; Airflow 3 needs Python >= 3.10 (set PYTHON=...)"
  exit 2
fi
pyver="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ "$pyver" != "3.11" ]; then
  log "warning: requirements.lock was resolved for Python 3.11, $py is $pyver; the install may fail"
fi
[ -f "$lock" ] || { log "error: $lock missing"; exit 2; }

mkdir -p "$(dirname "$venv")"
venv="$(cd "$(dirname "$venv")" && pwd)/$(basename "$venv")"
stamp="$venv/.scoreline-lock.sha256"
want="$(sha256sum "$lock" | cut -d' ' -f1)"

if [ -z "${AIRFLOW_VENV_FORCE:-}" ] && [ -x "$venv/bin/python" ] && [ -f "$stamp" ] \
   && [ "$(cat "$stamp")" = "$want" ]; then
  log "up to date ($venv, lock sha256 ${want:0:12})"
  echo "$venv"
  exit 0
fi

if [ ! -x "$venv/bin/python" ]; then
  log "creating venv with $("$py" -V 2>&1) at $venv"
  "$py" -m venv "$venv"
fi
rm -f "$stamp"
start=$(date +%s)
log "installing $lock (this takes about a minute on a cold pip cache)"
# All pins come from the lock; pip only verifies they are consistent (nothing is resolved
# to a newer version). `pip check` then confirms no broken requirements.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$lock" >&2
"$venv/bin/python" -m pip check --disable-pip-version-check >&2
echo "$want" > "$stamp"
log "installed in $(( $(date +%s) - start ))s"
echo "$venv"
