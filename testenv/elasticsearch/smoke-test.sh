#!/usr/bin/env bash
# Checks that a node answers the calls Scoreline needs: create an index, bulk-index, search, open and close a
# point-in time. Works against http and, with a CA file, against the TLS proxy.
#
#   smoke-test.sh <url> [ca-cert.pem]
#
# Prints one line per step; exits non-zero at the first failing step. Deletes its index at the end.
# shellcheck disable=SC2015 # "test && test || fail" chains are meant: the middle part is a test too
set -euo pipefail

[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 <url> [ca-cert.pem]" >&2; exit 2; }
URL="${1%/}"
CURL=(curl -sS --max-time 30 -H 'Content-Type: application/json')
[ $# -eq 2 ] && CURL+=(--cacert "$2")
IDX="scoreline-smoke-$$"
BODY=""

call() {  # $1 = method, $2 = path, $3 = body (optional); sets BODY, fails on HTTP >= 300
  local code
  code="$("${CURL[@]}" -o /tmp/.es-smoke-$$ -w '%{http_code}' -X "$1" "$URL$2" ${3:+--data-binary "$3"})" || code=000
  BODY="$(cat /tmp/.es-smoke-$$ 2>/dev/null || true)"; rm -f /tmp/.es-smoke-$$
  if [ "$code" -lt 200 ] || [ "$code" -ge 300 ]; then
    echo "FAIL: $1 $2 -> HTTP $code: ${BODY:0:500}" >&2
    exit 1
  fi
}
expect() {  # $1 = description, $2 = extended regex that BODY must match
  if ! grep -Eq "$2" <<<"$BODY"; then echo "FAIL: $1: ${BODY:0:500}" >&2; exit 1; fi
  echo "ok   $1"
}
trap '"${CURL[@]}" -o /dev/null -X DELETE "$URL/$IDX" >/dev/null 2>&1 || true' EXIT

call GET "/_nodes/_local?filter_path=nodes.*.version"
expect "version $(sed -E 's/.*"version":"([^"]+)".*/\1/' <<<"$BODY")" '"version":"[89]\.'
call PUT "/$IDX" '{"settings":{"number_of_shards":1,"number_of_replicas":0},"mappings":{"properties":{"title":{"type":"text"},"score":{"type":"integer"}}}}'
expect "create index $IDX" '"acknowledged":true'
call POST "/$IDX/_bulk?refresh=true" '{"index":{"_id":"1"}}
{"title":"Alpha match report","score":3}
{"index":{"_id":"2"}}
{"title":"Beta match preview","score":1}
{"index":{"_id":"3"}}
{"title":"Gamma season review","score":7}
'
expect "bulk index 3 docs" '"errors":false'
call POST "/$IDX/_search" '{"query":{"match":{"title":"match"}},"sort":[{"score":"desc"}]}'
expect "search finds 2 docs, best first" '"total":\{"value":2,.*"_id":"1".*"_id":"2"'
call POST "/$IDX/_pit?keep_alive=1m"
expect "open point-in-time" '"id":"[^"]+"'
PIT_ID="$(sed -E 's/.*"id":"([^"]+)".*/\1/' <<<"$BODY")"
call POST "/_search" "{\"size\":10,\"pit\":{\"id\":\"$PIT_ID\",\"keep_alive\":\"1m\"},\"sort\":[{\"score\":\"asc\"}]}"
expect "search with point-in-time" '"total":\{"value":3,'
call DELETE "/_pit" "{\"id\":\"$PIT_ID\"}"
expect "close point-in-time" '"succeeded":true'
call DELETE "/$IDX"
expect "delete index" '"acknowledged":true'
echo "smoke test passed: $URL"
