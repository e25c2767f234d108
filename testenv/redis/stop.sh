#!/usr/bin/env bash
# Stops the Redis that testenv/redis/start.sh started from <work-dir>. No-op if none is running.
# Usage: testenv/redis/stop.sh <work-dir>
set -euo pipefail

ME="testenv/redis/stop.sh"
[ $# -eq 1 ] || { echo "usage: $ME <work-dir>" >&2; exit 2; }
[ -d "$1" ] || exit 0
WORK=$(cd "$1" && pwd)
PIDFILE=$WORK/redis.pid
[ -f "$PIDFILE" ] || exit 0
PID=$(tr -dc '0-9' <"$PIDFILE" || true)

proc_state() {  # one-letter process state; Z = zombie (dead, not yet reaped)
  if [ -r "/proc/$1/stat" ]; then sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f1; else ps -o stat= -p "$1" 2>/dev/null || true; fi
}
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null && [[ "$(proc_state "$1")" != Z* ]]; }

is_redis() {  # only signal a pid that is still a redis-server (pids get reused)
  local name
  if [ -r "/proc/$1/comm" ]; then name=$(cat "/proc/$1/comm"); else name=$(ps -o comm= -p "$1" 2>/dev/null || true); fi
  case $name in redis-server*|redis-check-rdb*) return 0 ;; *) return 1 ;; esac
}

if alive "$PID" && is_redis "$PID"; then
  kill -TERM "$PID" 2>/dev/null || true
  for _ in $(seq 1 100); do alive "$PID" || break; sleep 0.1; done
  if alive "$PID"; then
    echo "$ME: Redis pid $PID ignored SIGTERM for 10s; sending SIGKILL" >&2
    kill -KILL "$PID" 2>/dev/null || true
  fi
fi
rm -f "$PIDFILE"
