#!/usr/bin/env bash
# Benchmark: fetch.jar against a bare client loop (point-in-time + search_after, documents discarded) on the same
# Elasticsearch index, in the same run, with 1 and 2 slices. Prints a Markdown table (docs/benchmarks.md records one).
#
#   bench/elasticsearch.sh [N] [ES-URL]      N documents (default 1,000,000); ES-URL: an existing node, else one
#                                            is started with testenv/elasticsearch/start.sh (9.x) and stopped after.
# Environment: BENCH_ROUNDS (default 2; each round runs bare and fetch for 1 and 2 slices, alternating), BENCH_HEAP,
# BENCH_ES_COMPRESSION=true to read gzip-compressed responses in both (fetch --es-compression; default: uncompressed).
set -euo pipefail
source "$(dirname "$0")/lib.sh"  # ROOT (the working directory), JAVA_HOME, JAVA
N=${1:-1000000}
URL=${2:-}
ROUNDS=${BENCH_ROUNDS:-2}
HEAP=${BENCH_HEAP:--Xmx2g}
COMPRESSION=${BENCH_ES_COMPRESSION:-false}
WORK="$ROOT/target/bench-es"
INDEX=bench-docs
mkdir -p "$WORK"
[ -f dist/fetch.jar ] || scripts/build.sh >/dev/null
if [ -z "$URL" ]; then
  URL=$(testenv/elasticsearch/start.sh 9 "${BENCH_ES_PORT:-19299}" "$WORK/es")
  trap 'testenv/elasticsearch/stop.sh "$WORK/es"' EXIT
fi

if [ "$(curl -s "$URL/$INDEX/_count" | sed -n 's/.*"count":\([0-9]*\).*/\1/p')" = "$N" ]; then
  echo "reusing $URL/$INDEX: it holds $N documents" >&2
else
  echo "generating and indexing $N documents into $URL/$INDEX..." >&2
  bench_documents "$WORK/documents.ndjson" "$N"
  "$JAVA" bench/EsBulkLoad.java "$URL" "$INDEX" "$WORK/documents.ndjson" 2 >&2
  rm -f "$WORK/documents.ndjson"
fi
mkdir -p "$WORK/classes"
"$JAVA_HOME/bin/javac" -nowarn -cp dist/fetch.jar -d "$WORK/classes" bench/EsBareLoop.java

# Each prints "seconds_in_jvm wall_seconds".
bare() {
  local out; out=$(/usr/bin/time -f "wall=%e" "$JAVA" $HEAP -cp "dist/fetch.jar:$WORK/classes" EsBareLoop "$URL" "$INDEX" "$1" 5000 updated_at "$COMPRESSION" 2>&1)
  echo "$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$out") $(sed -n 's/^wall=//p' <<<"$out")"
}
fetch() {
  rm -rf "$WORK/store" && mkdir -p "$WORK/store"
  /usr/bin/time -f "%e" -o "$WORK/fetch.wall" "$JAVA" $HEAP -jar dist/fetch.jar --store "$WORK/store" --run-id "bench-$1" \
      --es-url "$URL" --index "$INDEX" --mode full --slices "$1" \
      $([ "$COMPRESSION" = true ] && echo --es-compression) --data-interval-end 2026-11-26T00:00:00Z >/dev/null 2>"$WORK/fetch.log" \
    || { cat "$WORK/fetch.log" >&2; exit 1; }
  local wall; wall=$(cat "$WORK/fetch.wall")
  local ms; ms=$(sed -n 's/.*"duration_ms" : \([0-9]*\).*/\1/p' "$WORK/store/runs/bench-$1/fetch.json")
  local records; records=$(sed -n '/"output"/,/}/s/.*"records" : \([0-9]*\).*/\1/p' "$WORK/store/runs/bench-$1/fetch.json")
  [ "$records" = "$N" ] || { echo "fetch wrote $records documents, expected $N" >&2; exit 1; }
  echo "$(awk -v ms="$ms" 'BEGIN { printf "%.2f", ms / 1000 }') $(tail -n1 <<<"$wall")"
}

echo "warming up (one bare read, not counted)..." >&2
bare 1 >/dev/null
declare -A best_bare best_fetch best_bare_wall best_fetch_wall
for round in $(seq 1 "$ROUNDS"); do
  for s in 1 2; do
    read -r b bw < <(bare "$s"); read -r f fw < <(fetch "$s")
    echo "round $round, $s slice(s): bare ${b}s (wall ${bw}s), fetch ${f}s (wall ${fw}s)" >&2
    best_bare[$s]=$(awk -v a="$b" -v c="${best_bare[$s]:-1e9}" 'BEGIN { print (a < c ? a : c) }')
    best_fetch[$s]=$(awk -v a="$f" -v c="${best_fetch[$s]:-1e9}" 'BEGIN { print (a < c ? a : c) }')
    best_bare_wall[$s]=$(awk -v a="$bw" -v c="${best_bare_wall[$s]:-1e9}" 'BEGIN { print (a < c ? a : c) }')
    best_fetch_wall[$s]=$(awk -v a="$fw" -v c="${best_fetch_wall[$s]:-1e9}" 'BEGIN { print (a < c ? a : c) }')
  done
done

echo
echo "| slices (N=$N, $(nproc) cores, best of $ROUNDS) | bare loop s | fetch job s | fetch / bare throughput | bare wall s | fetch wall s | wall ratio |"
echo "|---|---|---|---|---|---|---|"
for s in 1 2; do
  awk -v s="$s" -v b="${best_bare[$s]}" -v f="${best_fetch[$s]}" -v bw="${best_bare_wall[$s]}" -v fw="${best_fetch_wall[$s]}" -v n="$N" 'BEGIN {
    printf "| %d | %.1f (%.0f docs/s) | %.1f (%.0f docs/s) | %.0f%% | %.1f | %.1f | %.0f%% |\n", s, b, n / b, f, n / f, 100 * b / f, bw, fw, 100 * bw / fw }'
done
echo
echo "bare loop s: the client loop inside its JVM; fetch job s: fetch's own timing (fetch.json: read, map, keep newest, sort,"
echo "gzip and write runs/<run>/input.ndjson.gz); wall: both JVMs from start to exit."
