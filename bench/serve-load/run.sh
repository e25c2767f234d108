#!/usr/bin/env bash
# serve.jar against its Python twin (FastAPI + uvicorn + scikit-learn, twin.py) under constant arrival rates, the two
# interleaved rate by rate in one run: OpenLoad.java sends rank requests for a 500-item pool scored by a 100-tree
# random forest trained on the demo's data, and prints p50/p99/p99.9/max, the fraction later than the 100 ms deadline
# and the server's CPU time. Results: one JSON line per run in $WORK/results.ndjson, and a table at the end.
#   bench/serve-load/run.sh                      # 60 s per rate (BENCH_SECONDS), rates BENCH_RATES
#   SERVE_JAR=/tmp/old/serve.jar BENCH_TWIN=no bench/serve-load/run.sh   # another build of serve.jar, without the twin
# Needs: the test servers (testenv/up.sh: Elasticsearch, Redis), python3 with venv; builds dist/ if missing.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
JAVA_HOME="$(scripts/find-java.sh)" || exit 2
JAVA="$JAVA_HOME/bin/java"
HERE=bench/serve-load
SECONDS_EACH="${BENCH_SECONDS:-60}"
RATES="${BENCH_RATES:-5 10 25 50 100 300 500 750 1000}"
ITEMS=500
WORK="${BENCH_WORK:-/tmp/scoreline-serve-bench}"
SERVE_JAR="${SERVE_JAR:-dist/serve.jar}"
TWIN="${BENCH_TWIN:-yes}"
VENV="${TWIN_VENV:-$HOME/.cache/scoreline/serve-twin-venv}"
RUN="${SCORELINE_TESTENV_RUN:-$ROOT/testenv/run}"
INDEX="bench-serve-$$"
JAVA_PORT=18481 TWIN_PORT=18482

[ -f dist/serve.jar ] && [ -f dist/predict.jar ] || scripts/build.sh >/dev/null
if [ -f "$RUN/env.sh" ]; then source "$RUN/env.sh"; fi
if [ -z "${SCORELINE_IT_ES9_URL:-}" ] || ! curl -s -o /dev/null --max-time 5 "$SCORELINE_IT_ES9_URL"; then  # any answer: it is up
  source "$(SCORELINE_TESTENV_RUN="$RUN" testenv/up.sh)"
fi
ES="$SCORELINE_IT_ES9_URL" REDIS="$SCORELINE_IT_REDIS_URL"
if [ "$TWIN" = yes ] && { [ ! -x "$VENV/bin/uvicorn" ] || ! cmp -s "$HERE/requirements.txt" "$VENV/requirements.txt"; }; then
  echo "== the Python twin's virtualenv ($VENV)"
  rm -rf "$VENV" && python3 -m venv "$VENV" && "$VENV/bin/pip" install -q -r "$HERE/requirements.txt" && cp "$HERE/requirements.txt" "$VENV/"
fi

rm -rf "$WORK" && mkdir -p "$WORK"
echo "== data: the demo's training rows (5,000, seed 7) and a pool of $ITEMS documents"
"$JAVA" demo/SampleData.java training "$WORK/training.csv" 5000 7
"$JAVA" demo/SampleData.java documents "$WORK/pool.ndjson" 0 "$ITEMS" 2026-01-01T00:00:00Z 2026-01-02T00:00:00Z 11
"$JAVA" -jar dist/predict.jar train --data "$WORK/training.csv" --target churned --trees 100 --out "$WORK/model" 2>/dev/null
"$JAVA" -jar dist/predict.jar register --store "$WORK/store" --model-dir "$WORK/model" --model churn --model-version v1 \
  --alias production 2>/dev/null
curl -fs -XPUT "$ES/$INDEX" -H 'Content-Type: application/json' \
  -d '{"mappings": {"properties": {"id": {"type": "keyword"}, "updated_at": {"type": "date"}}}}' >/dev/null
awk '{ match($0, /"id":"[^"]*"/); print "{\"index\":{\"_id\":\"" substr($0, RSTART + 6, RLENGTH - 7) "\"}}"; print }' "$WORK/pool.ndjson" \
  | curl -fs -XPOST "$ES/$INDEX/_bulk?refresh=true" -H 'Content-Type: application/x-ndjson' --data-binary @- >/dev/null
echo "{\"pools\": [{\"name\": \"customers\", \"index\": \"$INDEX\"}]}" > "$WORK/pools.json"
for i in $(seq 1 1000); do echo "{\"key\": \"user-$i\", \"top_k\": 10}"; done > "$WORK/bodies.ndjson"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; curl -fs -XDELETE "$ES/$INDEX" >/dev/null || true; }
trap cleanup EXIT
"$JAVA" -XX:+UseZGC -Xlog:gc:file="$WORK/serve-gc.log" -jar "$SERVE_JAR" --store "$WORK/store" --es-url "$ES" \
  --pools "$WORK/pools.json" --model churn --redis-url "$REDIS" --cache-prefix "bench:serve:$$:" --port "$JAVA_PORT" \
  --host 127.0.0.1 > "$WORK/serve.log" 2>&1 &
JAVA_PID=$!; pids+=("$JAVA_PID")
if [ "$TWIN" = yes ]; then  # not `[ … ] && ( … ) &`: $! would be a wrapper shell's, whose CPU time is not the twin's
  (cd "$HERE" && TWIN_TRAINING="$WORK/training.csv" TWIN_ES_URL="$ES" TWIN_INDEX="$INDEX" TWIN_REDIS_URL="$REDIS" \
    exec "$VENV/bin/uvicorn" twin:app --host 127.0.0.1 --port "$TWIN_PORT" --log-level warning --no-access-log) > "$WORK/twin.log" 2>&1 &
  TWIN_PID=$!; pids+=("$TWIN_PID")
fi
urls=("http://127.0.0.1:$JAVA_PORT/readyz"); [ "$TWIN" = yes ] && urls+=("http://127.0.0.1:$TWIN_PORT/readyz")
for url in "${urls[@]}"; do
  for _ in $(seq 1 300); do curl -fs "$url" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -fs "$url" >/dev/null || { echo "not ready: $url"; tail "$WORK"/*.log; exit 1; }
done

load() {  # label port rate seconds pid
  RESULTS="${RESULTS:-$WORK/results.ndjson}" "$JAVA" "$HERE/OpenLoad.java" "http://127.0.0.1:$2/v1/pools/customers/rank" "$3" "$4" \
    "$WORK/bodies.ndjson" 100 "$5" "$1"
}
echo "== warm-up (10 s each, serve at 100 req/s and the twin at 5, not counted)"
RESULTS=/dev/null load serve "$JAVA_PORT" 100 10 "$JAVA_PID" >/dev/null
[ "$TWIN" = yes ] && RESULTS=/dev/null load twin "$TWIN_PORT" 5 10 "$TWIN_PID" >/dev/null
echo "== $SECONDS_EACH s per rate, interleaved; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# a server that answered more than half its requests late is saturated: it is not offered higher rates (its queue
# would take minutes to drain); below that every rate runs, and the table says which kept p99 under the deadline
over() { python3 -c 'import json,sys; r=json.loads(sys.argv[1]); sys.exit(0 if r["late_fraction"] > 0.5 else 1)' "$1"; }
serve_over=no twin_over=no; [ "$TWIN" = yes ] || twin_over=skipped
for rate in $RATES; do
  if [ "$serve_over" = no ]; then line=$(load serve "$JAVA_PORT" "$rate" "$SECONDS_EACH" "$JAVA_PID"); echo "$line"; over "$line" && serve_over=yes; fi
  if [ "$twin_over" = no ]; then line=$(load twin "$TWIN_PORT" "$rate" "$SECONDS_EACH" "$TWIN_PID"); echo "$line"; over "$line" && twin_over=yes; fi
done
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg); serve.jar's ZGC cycles: $(grep -c 'Garbage Collection' "$WORK/serve-gc.log" || true)"
python3 - "$WORK/results.ndjson" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| server | req/s | p50 ms | p99 ms | p99.9 ms | max ms | later than 100 ms | by the model | errors | server CPU ms/request |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['label']} | {r['rate']} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['p999_ms']:.1f} | {r['max_ms']:.1f} | "
          f"{100 * r['late_fraction']:.2f}% | {100 * r['model_fraction']:.1f}% | {r['errors']} | {r['server_cpu_per_request_ms']:.2f} |")
for label in ("serve", "twin"):
    ok = [r["rate"] for r in rows if r["label"] == label and r["p99_ms"] <= 100 and r["errors"] == 0]
    cpu = [r["server_cpu_per_request_ms"] for r in rows if r["label"] == label]
    if not cpu: continue
    print(f"{label}: highest rate with p99 under the deadline: {max(ok) if ok else 'none of those run'} req/s;"
          f" server CPU per request {min(cpu):.2f}-{max(cpu):.2f} ms")
PY
