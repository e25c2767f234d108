#!/usr/bin/env bash
# Benchmark: N documents (default 1,000,000) through fetch -> predict -> publish on the file store, then a second,
# incremental cycle, with predict's own tree scorer alone on the same rows in memory as the baseline (the fastest
# scorer bench/models.sh measured), all in one invocation.
# Prints a Markdown table (docs/benchmarks.md records one). Usage: bench/pipeline.sh [N] [work-dir]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
JAVA_HOME="$(scripts/find-java.sh)" || exit 2
JAVA="$JAVA_HOME/bin/java"
N=${1:-1000000}
WORK=${2:-$ROOT/target/bench}
HEAP=${BENCH_HEAP:--Xmx2g}
[ -f dist/predict.jar ] || scripts/build.sh >/dev/null
rm -rf "$WORK"; mkdir -p "$WORK"
STORE="$WORK/store"; DOCS="$WORK/documents.ndjson"
END="2026-11-25T10:00:00Z"

echo "generating $N documents and a model..." >&2
"$JAVA" demo/SampleData.java training "$WORK/training.csv" 5000 1
"$JAVA" demo/SampleData.java documents "$DOCS" 0 "$N" 2026-11-24T10:00:00Z 2026-11-25T09:50:00Z 2
"$JAVA" -jar dist/predict.jar train --data "$WORK/training.csv" --target churned --trees 100 --out "$WORK/model" >&2
"$JAVA" -jar dist/predict.jar register --store "$STORE" --model-dir "$WORK/model" --model churn --model-version v1 --alias production >&2

# Runs one job under GNU time; prints "seconds peak_kib".
timed() {
  local log="$WORK/time.$$"
  /usr/bin/time -f "%e %M" -o "$log" "$JAVA" $HEAP -jar "$@" >/dev/null 2>"$WORK/job.log" || { cat "$WORK/job.log" >&2; exit 1; }
  cat "$log"
}
row() {  # job seconds peak_kib docs
  awk -v j="$1" -v s="$2" -v m="$3" -v n="$4" 'BEGIN { printf "| %s | %d | %.1f | %.0f | %.0f |\n", j, n, s, n / s, m / 1024 }'
}

read -r fs fm < <(timed dist/fetch.jar --store "$STORE" --run-id bench-1 --source "$DOCS" --data-interval-end "$END")
read -r ps pm < <(timed dist/predict.jar --store "$STORE" --run-id bench-1 --model churn)
read -r us um < <(timed dist/publish.jar --store "$STORE" --run-id bench-1)
"$JAVA" $HEAP -cp dist/predict.jar bench/ModelBench.java export "$STORE" bench-1 churn v1 "$WORK/rows.f64" >&2
baseline=$("$JAVA" $HEAP -cp dist/predict.jar bench/ModelBench.java score "$STORE" churn v1 "$WORK/rows.f64" fast 2>/dev/null)
scorer_rows=$(echo "$baseline" | sed -n 's/.* rows=\([0-9]*\).*/\1/p')
scorer_s=$(echo "$baseline" | sed -n 's/.* wall_s=\([0-9.]*\).*/\1/p')

echo
echo "| job (N=$N, file store, $(nproc) cores) | documents | seconds | documents/s | peak RSS MiB |"
echo "|---|---|---|---|---|"
row fetch "$fs" "$fm" "$N"
row predict "$ps" "$pm" "$N"
row publish "$us" "$um" "$N"
awk -v a="$fs" -v b="$ps" -v c="$us" -v n="$N" 'BEGIN { printf "| end to end | %d | %.1f | %.0f | - |\n", n, a + b + c, n / (a + b + c) }'
awk -v s="$scorer_s" -v r="$scorer_rows" -v p="$ps" -v n="$N" 'BEGIN {
  printf "| predict'"'"'s tree scorer alone, same rows in memory, all cores (baseline) | %d | %.1f | %.0f | - |\n", r, s, r / s
  printf "\npredict job / its scorer alone, throughput: %.2f (the job also starts a JVM, reads, parses, validates, serializes and gzips)\n", (n / p) / (r / s) }'
