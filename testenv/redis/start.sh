#!/usr/bin/env bash
# Starts a throw-away Redis for tests: 127.0.0.1:<port>, no persistence, state in <work-dir>.
#
# Usage: testenv/redis/start.sh <port> <work-dir>
#   stdout: exactly one line, the URL (redis://127.0.0.1:PORT); everything else goes to stderr.
#   Files in <work-dir>: redis.pid, redis.port, redis.log.
#   Idempotent: if a Redis started from this work-dir is already up, prints its URL again.
#   Installs the Debian package redis-server (apt-get update + install) when redis-server is
#   missing and apt-get is usable (root, or password-less sudo).
# Env: SCORELINE_REDIS_START_TIMEOUT (seconds, default 30), SCORELINE_REDIS_SERVER (binary path).
set -euo pipefail

HOST=127.0.0.1
TIMEOUT=${SCORELINE_REDIS_START_TIMEOUT:-30}
ME="testenv/redis/start.sh"

die() { echo "$ME: error: $*" >&2; exit 1; }

[ $# -eq 2 ] || { echo "usage: $ME <port> <work-dir>" >&2; exit 2; }
PORT=$1
if ! [[ $PORT =~ ^[0-9]+$ ]] || [ "$PORT" -lt 1 ] || [ "$PORT" -gt 65535 ]; then die "port must be 1-65535, got '$PORT'"; fi
mkdir -p "$2" || die "cannot create work-dir '$2'"
WORK=$(cd "$2" && pwd)
PIDFILE=$WORK/redis.pid
LOG=$WORK/redis.log
URL="redis://$HOST:$PORT"

log_tail() { [ -f "$LOG" ] && { echo "--- last lines of $LOG:" >&2; tail -n 20 "$LOG" >&2; }; return 0; }

# --- locate (or install) redis-server -----------------------------------------------------------
ensure_redis() {
  REDIS_SERVER=${SCORELINE_REDIS_SERVER:-$(command -v redis-server || true)}
  if [ -z "$REDIS_SERVER" ]; then
    command -v apt-get >/dev/null 2>&1 || die "redis-server not found and apt-get unavailable; install Redis (server + redis-cli)"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
      sudo -n true 2>/dev/null || die "redis-server not found; run 'sudo apt-get install -y redis-server' (no root / password-less sudo here)"
      sudo=(sudo -n)
    fi
    echo "$ME: redis-server missing; installing the Debian package (apt-get)..." >&2
    local alog
    alog=$(mktemp)
    if ! { "${sudo[@]}" apt-get update -q && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends redis-server; } >"$alog" 2>&1; then
      tail -n 20 "$alog" >&2; rm -f "$alog"
      die "apt-get install redis-server failed"
    fi
    rm -f "$alog"
    REDIS_SERVER=$(command -v redis-server || true)
    [ -n "$REDIS_SERVER" ] || die "redis-server still not found after installing the package"
  fi
  [ -x "$REDIS_SERVER" ] || die "redis-server '$REDIS_SERVER' is not executable"
  REDIS_CLI=$(command -v redis-cli || true)
  [ -z "$REDIS_CLI" ] && [ -x "$(dirname "$REDIS_SERVER")/redis-cli" ] && REDIS_CLI=$(dirname "$REDIS_SERVER")/redis-cli
  return 0
}

# PING over redis-cli, or over bash's /dev/tcp when redis-cli is missing. Succeeds on PONG.
ping_redis() {
  if [ -n "${REDIS_CLI:-}" ]; then
    [ "$(timeout 3 "$REDIS_CLI" -h "$HOST" -p "$PORT" ping 2>/dev/null)" = "PONG" ]
  else
    # shellcheck disable=SC2016  # $0/$1/$l expand in the inner bash
    timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "PING\r\n" >&3 && IFS= read -r l <&3 && [[ $l == +PONG* ]]' "$HOST" "$PORT" 2>/dev/null
  fi
}

# The pid Redis reports for itself (INFO server), to tie a listening port to our pidfile.
served_pid() {
  [ -n "${REDIS_CLI:-}" ] || return 1
  timeout 3 "$REDIS_CLI" -h "$HOST" -p "$PORT" info server 2>/dev/null | tr -d '\r' | sed -n 's/^process_id://p'
}

# shellcheck disable=SC2016  # $0/$1 expand in the inner bash
port_busy() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$HOST" "$PORT" 2>/dev/null; }

proc_state() {  # one-letter process state; Z = zombie (dead, not yet reaped)
  if [ -r "/proc/$1/stat" ]; then sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f1; else ps -o stat= -p "$1" 2>/dev/null || true; fi
}
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null && [[ "$(proc_state "$1")" != Z* ]]; }
is_redis() {  # pids get reused: only trust a pidfile whose process is still a redis-server
  local name
  if [ -r "/proc/$1/comm" ]; then name=$(cat "/proc/$1/comm"); else name=$(ps -o comm= -p "$1" 2>/dev/null || true); fi
  case $name in redis-server*|redis-check-rdb*) return 0 ;; *) return 1 ;; esac
}

ensure_redis

# Serialise concurrent starts for the same work-dir (the fd is closed for redis itself).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$WORK/.redis.lock"
  flock -w 60 9 || die "another start.sh holds $WORK/.redis.lock"
fi

# --- already running from this work-dir? -----------------------------------------------------------
if [ -f "$PIDFILE" ]; then
  OLD_PID=$(tr -dc '0-9' <"$PIDFILE" || true)
  if alive "$OLD_PID" && is_redis "$OLD_PID"; then
    OLD_PORT=$(cat "$WORK/redis.port" 2>/dev/null || true)
    if [ -n "$OLD_PORT" ] && [ "$OLD_PORT" != "$PORT" ]; then
      die "a Redis from $WORK is already running on port $OLD_PORT (pid $OLD_PID); stop it first: testenv/redis/stop.sh $WORK"
    fi
    if ping_redis && { [ -z "${REDIS_CLI:-}" ] || [ "$(served_pid)" = "$OLD_PID" ]; }; then
      echo "$URL"
      exit 0
    fi
    die "pid $OLD_PID from $PIDFILE is alive but no Redis of it answers on $HOST:$PORT; stop it first: testenv/redis/stop.sh $WORK"
  fi
  rm -f "$PIDFILE"   # stale
fi

port_busy && die "port $PORT on $HOST is already in use by another process"

# --- start ----------------------------------------------------------------------------------------
: >"$LOG"
echo "$PORT" >"$WORK/redis.port"
# No RDB snapshots, no AOF; loopback only; daemonized with a pidfile; nothing written outside WORK.
# shellcheck disable=SC2094  # redis appends to its own log; we do not read it here
if ! "$REDIS_SERVER" \
    --bind "$HOST" --port "$PORT" --protected-mode yes \
    --daemonize yes --pidfile "$PIDFILE" --logfile "$LOG" --dir "$WORK" \
    --save "" --appendonly no \
    --databases 16 --loglevel notice 9>&- </dev/null >>"$LOG" 2>&1; then
  log_tail; die "redis-server failed to start (see $LOG)"
fi

deadline=$((SECONDS + TIMEOUT))
until ping_redis; do
  if [ $SECONDS -ge $deadline ]; then
    log_tail; die "Redis did not answer PING on $HOST:$PORT within ${TIMEOUT}s"
  fi
  if [ -f "$PIDFILE" ] && ! alive "$(tr -dc '0-9' <"$PIDFILE")"; then
    log_tail; die "redis-server exited during startup"
  fi
  sleep 0.2
done
# The daemon writes its pidfile right after it forks; give it a moment if PING won the race.
for _ in $(seq 1 25); do [ -s "$PIDFILE" ] && break; sleep 0.2; done
[ -s "$PIDFILE" ] || { log_tail; die "Redis answers but wrote no pidfile $PIDFILE"; }
if [ -n "${REDIS_CLI:-}" ] && [ "$(served_pid)" != "$(tr -dc '0-9' <"$PIDFILE")" ]; then
  log_tail; die "the Redis answering on $HOST:$PORT is not the one started here"
fi
echo "$URL"
