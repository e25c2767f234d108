#!/usr/bin/env bash
# Stops the S3Mock that testenv/s3/start.sh started from <work-dir>. No-op if none is running.
# Leaves <work-dir>/s3-data and s3.log for inspection (the next start wipes s3-data).
# Usage: testenv/s3/stop.sh <work-dir>
set -euo pipefail

ME="testenv/s3/stop.sh"
[ $# -eq 1 ] || { echo "usage: $ME <work-dir>" >&2; exit 2; }
[ -d "$1" ] || exit 0
WORK=$(cd "$1" && pwd)
PIDFILE=$WORK/s3.pid
[ -f "$PIDFILE" ] || exit 0
PID=$(tr -dc '0-9' <"$PIDFILE" || true)
ROOT_ARG="--com.adobe.testing.s3mock.store.root=$WORK/s3-data"

proc_state() {  # one-letter process state; Z = zombie (dead, not yet reaped)
  if [ -r "/proc/$1/stat" ]; then sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f1; else ps -o stat= -p "$1" 2>/dev/null || true; fi
}
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null && [[ "$(proc_state "$1")" != Z* ]]; }
is_ours() {  # pids get reused: only signal a pid whose command line carries our data dir
  local cmd
  if [ -r "/proc/$1/cmdline" ]; then cmd=$(tr '\0' ' ' <"/proc/$1/cmdline"); else cmd=$(ps -o args= -p "$1" 2>/dev/null || true); fi
  cmd="$cmd "
  [[ $cmd == *"$ROOT_ARG "* ]]
}

if alive "$PID" && is_ours "$PID"; then
  kill -TERM "$PID" 2>/dev/null || true   # Spring Boot shuts down gracefully on SIGTERM (~1-3 s)
  for _ in $(seq 1 150); do alive "$PID" || break; sleep 0.2; done
  if alive "$PID"; then
    echo "$ME: S3Mock pid $PID ignored SIGTERM for 30s; sending SIGKILL" >&2
    kill -KILL "$PID" 2>/dev/null || true
  fi
fi
rm -f "$PIDFILE"
