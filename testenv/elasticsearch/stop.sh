#!/usr/bin/env bash
# Stops the Elasticsearch node started by start.sh from <work-dir>: SIGTERM, up to 20 s, then SIGKILL.
#
#   stop.sh <work-dir>
#
# Exits 0 when the node is gone, including when nothing was running.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 <work-dir>" >&2; exit 2; }
if [ ! -d "$1" ]; then echo "stop.sh: $1 does not exist; nothing to stop" >&2; exit 0; fi
WORK="$(cd "$1" && pwd -P)"
PID_FILE="$WORK/es.pid"

pid="$(cat "$PID_FILE" 2>/dev/null || true)"
# only a process that start.sh started from this work-dir (the pid may have been reused since)
if ! [[ "$pid" =~ ^[0-9]+$ ]] \
   || ! ps -ww -o args= -p "$pid" 2>/dev/null | grep -F "ScorelineEsNode" | grep -qF "$WORK/home"; then
  rm -f "$PID_FILE"
  echo "stop.sh: no Elasticsearch node running from $WORK" >&2
  exit 0
fi

kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq 1 40); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
if kill -0 "$pid" 2>/dev/null; then
  echo "stop.sh: pid $pid still running after 20 s, sending SIGKILL" >&2
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
fi
if kill -0 "$pid" 2>/dev/null; then
  echo "error: could not stop Elasticsearch pid $pid" >&2
  exit 1
fi
rm -f "$PID_FILE"
echo "stop.sh: stopped Elasticsearch (pid $pid) of $WORK" >&2
