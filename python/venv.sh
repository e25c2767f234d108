#!/usr/bin/env bash
# Create (or reuse) the venv for the scoreline Python package's tests, exactly from the pinned requirements.lock
# (the tests import the package from python/ itself). The last stdout line is the venv path; progress goes to stderr.
# Usage: python/venv.sh [venv-dir]   default: ${XDG_CACHE_HOME:-~/.cache}/scoreline/python-venv
# A stamp of the lock's sha256 skips the install when nothing changed; PYTHON=... picks the interpreter.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/scoreline/python-venv}"
py="${PYTHON:-python3}"
lock="$here/requirements.lock"
want="$(sha256sum < "$lock" | cut -d' ' -f1)"
stamp="$venv/.scoreline-lock.sha256"
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "$venv"; exit 0
fi
command -v "$py" >/dev/null || { echo "venv.sh: '$py' not found; Python 3.11 is needed (set PYTHON=...)" >&2; exit 2; }
start=$(date +%s)
mkdir -p "$(dirname "$venv")"
[ -x "$venv/bin/python" ] || "$py" -m venv "$venv"
rm -f "$stamp"
echo "venv.sh: installing $lock into $venv" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$lock" >&2
"$venv/bin/python" -m pip check --disable-pip-version-check >&2
echo "$want" > "$stamp"
echo "venv.sh: ready in $(( $(date +%s) - start ))s" >&2
echo "$venv"
