#!/usr/bin/env bash
# make serve: serve.jar on the demo's store (make demo) and the test servers (testenv/up.sh: Elasticsearch, Redis),
# with a pool of the demo's documents indexed into Elasticsearch, on port 8080 (SERVE_PORT). Ctrl-C stops it.
#   scripts/serve.sh          then: curl -s localhost:8080/readyz
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
JAVA_HOME="$(scripts/find-java.sh)" || exit 2
export JAVA_HOME
DEMO="${DEMO_DIR:-$ROOT/demo-data}"
RUN="${SCORELINE_TESTENV_RUN:-$ROOT/testenv/run}"
PORT="${SERVE_PORT:-8080}"
INDEX="${SERVE_INDEX:-scoreline-demo-items}"
ITEMS="${SERVE_ITEMS:-500}"

[ -f dist/serve.jar ] || { echo "== building the jars (first run only)"; scripts/build.sh >/dev/null; }
[ -f "$DEMO/store/models/churn/aliases/production.json" ] || { echo "== no demo store yet: make demo"; scripts/demo.sh >/dev/null; }
# the test servers: reused when they answer, started otherwise
if [ -f "$RUN/env.sh" ]; then source "$RUN/env.sh"; fi
if [ -z "${SCORELINE_IT_ES9_URL:-}" ] || ! curl -s -o /dev/null --max-time 5 "$SCORELINE_IT_ES9_URL"; then  # any answer: it is up
  echo "== starting the test servers (testenv/up.sh)"
  source "$(SCORELINE_TESTENV_RUN="$RUN" testenv/up.sh)"
fi
ES="$SCORELINE_IT_ES9_URL"

echo "== the pool: the demo's first $ITEMS documents in Elasticsearch index $INDEX"
curl -fs -XDELETE "$ES/$INDEX" >/dev/null 2>&1 || true
curl -fs -XPUT "$ES/$INDEX" -H 'Content-Type: application/json' \
  -d '{"mappings": {"properties": {"id": {"type": "keyword"}, "updated_at": {"type": "date"}, "region": {"type": "keyword"}, "contract": {"type": "keyword"}}}}' >/dev/null
head -n "$ITEMS" "$DEMO/source/documents.ndjson" \
  | awk '{ match($0, /"id":"[^"]*"/); id = substr($0, RSTART + 6, RLENGTH - 7); print "{\"index\":{\"_id\":\"" id "\"}}"; print }' \
  | curl -fs -XPOST "$ES/$INDEX/_bulk?refresh=true" -H 'Content-Type: application/x-ndjson' --data-binary @- >/dev/null
mkdir -p "$DEMO/serve"
cat > "$DEMO/serve/pools.json" <<JSON
{"pools": [{"name": "customers", "index": "$INDEX", "id_field": "id", "updated_field": "updated_at",
            "filter_fields": {"region": "keyword", "contract": "keyword", "tenure_months": "number"}}]}
JSON

cat <<TXT
== serve.jar on http://localhost:$PORT (model churn from $DEMO/store, Redis $SCORELINE_IT_REDIS_URL); try:
   curl -s localhost:$PORT/readyz
   curl -s -XPOST localhost:$PORT/v1/pools/customers/rank -d '{"key": "user-42", "top_k": 3}'
   curl -s -XPOST localhost:$PORT/v1/pools/customers/rank -d '{"key": "user-42", "top_k": 3, "filter": {"region": "north", "tenure_months": {"lt": 12}}}'
TXT
exec "$JAVA_HOME/bin/java" -XX:+UseZGC -jar dist/serve.jar --store "$DEMO/store" --es-url "$ES" --pools "$DEMO/serve/pools.json" \
  --model churn --redis-url "$SCORELINE_IT_REDIS_URL" --cache-prefix "scoreline:demo:" --port "$PORT" "$@"
