#!/usr/bin/env bash
# Stops the TLS proxy started by start-tls-proxy.sh from <work-dir>: SIGTERM, up to 10 s, then SIGKILL.
#
#   stop-tls-proxy.sh <work-dir>
#
# Exits 0 when the proxy is gone, including when nothing was running. Keeps the certificates in <work-dir>/tls/.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 <work-dir>" >&2; exit 2; }
if [ ! -d "$1" ]; then echo "stop-tls-proxy.sh: $1 does not exist; nothing to stop" >&2; exit 0; fi
WORK="$(cd "$1" && pwd -P)"
PID_FILE="$WORK/tls-proxy.pid"

pid="$(cat "$PID_FILE" 2>/dev/null || true)"
if ! [[ "$pid" =~ ^[0-9]+$ ]] \
   || ! ps -ww -o args= -p "$pid" 2>/dev/null | grep -F "ScorelineTlsProxy" | grep -qF "$WORK/tls/"; then
  rm -f "$PID_FILE"
  echo "stop-tls-proxy.sh: no TLS proxy running from $WORK" >&2
  exit 0
fi
kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
if kill -0 "$pid" 2>/dev/null; then
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
fi
if kill -0 "$pid" 2>/dev/null; then echo "error: could not stop TLS proxy pid $pid" >&2; exit 1; fi
rm -f "$PID_FILE"
echo "stop-tls-proxy.sh: stopped TLS proxy (pid $pid) of $WORK" >&2
