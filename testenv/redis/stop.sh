#!/usr/bin/env bash
# Stops the Redis that testenv/redis/start.sh started from <work-dir>. No-op if none is running.
# Usage: testenv/redis/stop.sh <work-dir>
set -euo pipefail

ME="testenv/redis/stop.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/stop-process.sh"
[ $# -eq 1 ] || { echo "usage: $ME <work-dir>" >&2; exit 2; }
[ -d "$1" ] || exit 0
WORK=$(cd "$1" && pwd)
PIDFILE=$WORK/redis.pid
[ -f "$PIDFILE" ] || exit 0

is_ours() {  # a pid that is still a redis-server (Redis rewrites its command line, so not by the work dir)
  local name
  if [ -r "/proc/$1/comm" ]; then name=$(cat "/proc/$1/comm"); else name=$(ps -o comm= -p "$1" 2>/dev/null || true); fi
  case $name in redis-server*|redis-check-rdb*) return 0 ;; *) return 1 ;; esac
}
stop_process "Redis of $WORK" "$PIDFILE" 10 is_ours
