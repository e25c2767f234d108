#!/usr/bin/env bash
# Checks a Redis started by testenv/redis/start.sh with redis-cli: basic commands, expiry,
# Lua, pub/sub and that persistence is off. Uses keys prefixed "smoke:" and removes them.
# Usage: testenv/redis/smoke-test.sh <redis-url>     e.g. redis://127.0.0.1:6379
# Prints one line per check and ends with "N passed, N failed"; exit 1 if any check failed.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 <redis-url>" >&2; exit 2; }
command -v redis-cli >/dev/null 2>&1 || { echo "$0: redis-cli not found" >&2; exit 2; }
URL=$1
pass=0 fail=0
r() { timeout 10 redis-cli -u "$URL" --no-auth-warning "$@"; }
check() {  # check <name> <expected> <actual>
  if [ "$2" = "$3" ]; then pass=$((pass + 1)); echo "ok   $1"
  else fail=$((fail + 1)); echo "FAIL $1: expected '$2', got '$3'"; fi
}

check "PING" PONG "$(r ping)"
check "SET" OK "$(r set smoke:k hello)"
check "GET" hello "$(r get smoke:k)"
check "SET NX on existing key" "" "$(r set smoke:k other nx)"
check "INCR" 1 "$(r incr smoke:n)"
check "INCRBY" 11 "$(r incrby smoke:n 10)"
check "PEXPIRE" 1 "$(r pexpire smoke:k 200)"
sleep 0.4
check "key expired" 0 "$(r exists smoke:k)"
check "HSET/HGET" v "$(r hset smoke:h f v >/dev/null; r hget smoke:h f)"
check "EVAL (Lua)" 42 "$(r eval 'return tonumber(ARGV[1]) * 2' 0 21)"
check "PUBLISH (no subscribers)" 0 "$(r publish smoke:chan hi)"
check "RDB snapshots off" "" "$(r config get save | sed -n 2p)"
check "AOF off" no "$(r config get appendonly | sed -n 2p)"
check "bound to loopback" 127.0.0.1 "$(r config get bind | sed -n 2p)"
r del smoke:k smoke:n smoke:h >/dev/null

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
