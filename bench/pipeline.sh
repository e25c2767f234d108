#!/usr/bin/env bash
# Benchmark: N documents (default 1,000,000) through fetch -> predict -> publish, a full load, per store and number of
# partitions; then predict's own tree scorer alone on the same rows in memory as the baseline (the fastest scorer
# bench/models.sh measured), all in one invocation. With P partitions, fetch and predict run their P partitions at
# the same time (`--partition i/P`, as P Airflow workers would), then one publish merges them.
# Prints a Markdown table (docs/benchmarks.md records them); each row also goes to stderr as soon as it is measured.
# Usage: bench/pipeline.sh [N] [work-dir]
# Env: BENCH_STORES   "file" (default) and/or "s3": s3 needs BENCH_S3=s3://bucket/prefix and the store's
#                     SCORELINE_S3_* / AWS_* variables; the objects written there are deleted at the end (aws CLI)
#      BENCH_PARTITIONS  e.g. "1 2" (default 1)
#      BENCH_HEAP     JVM options of every job (default -Xmx2g); BENCH_OPTS_FETCH / _PREDICT / _PUBLISH per job
#      BENCH_AOT=1    adds each job's ahead-of-time cache, dist/<job>.aot (scripts/build-aot.sh)
#      BENCH_BASELINE=0  skips the scorer-alone baseline
# The documents and the model are kept in work-dir and reused for the same N; the stores are made afresh.
# shellcheck disable=SC2086  # the BENCH_OPTS_* are lists of JVM options on purpose
set -euo pipefail
source "$(dirname "$0")/lib.sh"  # ROOT (the working directory), JAVA_HOME, JAVA
N=${1:-1000000}
WORK=${2:-$ROOT/target/bench}
HEAP=${BENCH_HEAP:--Xmx2g}
STORES=${BENCH_STORES:-file}
PARTITIONS=${BENCH_PARTITIONS:-1}
[ -f dist/predict.jar ] || scripts/build.sh >/dev/null
mkdir -p "$WORK"; rm -rf "$WORK"/store-* "$WORK/rows.f64"
DOCS="$WORK/documents-$N.ndjson"; RESULTS="$WORK/results.md"; : > "$RESULTS"
END="2026-11-25T10:00:00Z"

if [ ! -f "$DOCS" ]; then
  echo "generating $N documents..." >&2
  bench_documents "$DOCS.tmp" "$N"
  mv "$DOCS.tmp" "$DOCS"
fi
if [ ! -d "$WORK/model" ]; then
  bench_training "$WORK/training.csv"
  "$JAVA" -jar dist/predict.jar train --data "$WORK/training.csv" --target churned --trees 100 --out "$WORK/model.tmp" >&2
  mv "$WORK/model.tmp" "$WORK/model"
fi

options() {  # job
  local var="BENCH_OPTS_${1^^}"
  echo "${!var:-$HEAP}"
  [ "${BENCH_AOT:-0}" = 0 ] || echo "-XX:AOTCache=dist/$1.aot -Xlog:aot=off"
}

# Runs one job, its P partitions at the same time (publish: once), each under GNU time; prints
# "wall cpu peak_kib": wall from the first start to the last end, CPU (user+sys) summed, the largest peak RSS.
timed() {  # job P args...
  local job=$1 p=$2 i pids=() start end; shift 2
  local count=$p; [ "$job" != publish ] || count=1
  start=$(date +%s.%N)
  for ((i = 0; i < count; i++)); do
    local part=(); [ "$job" = publish ] || part=(--partition "$i/$p")
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.$i" "$JAVA" $(options "$job") -jar "dist/$job.jar" "$@" "${part[@]}" \
      >/dev/null 2>"$WORK/$job.$i.log" &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || { echo "$job (part $i of $count) failed:" >&2; cat "$WORK/$job.$i.log" >&2
      kill "${pids[@]}" 2>/dev/null; exit 1; }
  done
  end=$(date +%s.%N)
  for ((i = 0; i < count; i++)); do echo "  $job part $i of $count: wall cpu peak_kib $(awk '{ print $1, $2 + $3, $4 }' "$WORK/time.$i")" >&2; done
  cat "$WORK"/time.[0-9]* | awk -v w="$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" \
    '{ c += $2 + $3; if ($4 > m) m = $4 } END { printf "%.1f %.1f %d\n", w, c, m }'
  rm -f "$WORK"/time.[0-9]*
}
row() {  # label wall cpu peak_kib
  awk -v j="$1" -v s="$2" -v c="$3" -v m="$4" -v n="$N" \
    'BEGIN { printf "| %s | %d | %.1f | %.1f | %.0f | %s |\n", j, n, s, c, n / s, m == "-" ? "-" : sprintf("%.0f", m / 1024) }' |
    tee -a "$RESULTS" >&2
}

uri() {  # store P
  if [ "$1" = s3 ]; then echo "${BENCH_S3:?BENCH_S3=s3://bucket/prefix is needed for the s3 store}/p$2"; else echo "$WORK/store-file-p$2"; fi
}
if [[ " $STORES " = *" s3 "* ]]; then trap 'aws --endpoint-url "$SCORELINE_S3_ENDPOINT" s3 rm --quiet --recursive "$BENCH_S3/" >&2' EXIT; fi

for store in $STORES; do
  for p in $PARTITIONS; do
    s=$(uri "$store" "$p")
    echo "$store store, P=$p ($s), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    "$JAVA" -jar dist/predict.jar register --store "$s" --model-dir "$WORK/model" --model churn --model-version v1 \
      --alias production >/dev/null 2>&1
    read -r fw fc fm < <(timed fetch "$p" --store "$s" --run-id bench-1 --source "$DOCS" --data-interval-end "$END")
    row "$store, P=$p: fetch" "$fw" "$fc" "$fm"
    read -r pw pc pm < <(timed predict "$p" --store "$s" --run-id bench-1 --model churn)
    row "$store, P=$p: predict" "$pw" "$pc" "$pm"
    read -r uw uc um < <(timed publish "$p" --store "$s" --run-id bench-1)
    row "$store, P=$p: publish" "$uw" "$uc" "$um"
    row "**$store, P=$p: end to end**" "$(awk -v a="$fw" -v b="$pw" -v c="$uw" 'BEGIN { print a + b + c }')" \
      "$(awk -v a="$fc" -v b="$pc" -v c="$uc" 'BEGIN { print a + b + c }')" -
  done
done

if [ "${BENCH_BASELINE:-1}" != 0 ] && [ -d "$WORK/store-file-p1" ]; then
  "$JAVA" $HEAP -cp dist/predict.jar bench/ModelBench.java export "$WORK/store-file-p1" bench-1 churn v1 "$WORK/rows.f64" >&2
  baseline=$("$JAVA" $HEAP -cp dist/predict.jar bench/ModelBench.java score "$WORK/store-file-p1" churn v1 "$WORK/rows.f64" fast 2>/dev/null)
  rm -f "$WORK/rows.f64"
  scorer_rows=$(echo "$baseline" | sed -n 's/.* rows=\([0-9]*\).*/\1/p')
  scorer_s=$(echo "$baseline" | sed -n 's/.* wall_s=\([0-9.]*\).*/\1/p')
  awk -v s="$scorer_s" -v r="$scorer_rows" 'BEGIN {
    printf "| predict'"'"'s tree scorer alone, same rows in memory, all cores (baseline) | %d | %.1f | - | %.0f | - |\n", r, s, r / s }' \
    | tee -a "$RESULTS" >&2
fi

echo
echo "| job (N=$N, $(nproc) cores) | documents | wall s | CPU s (user+sys) | documents/s (wall) | peak RSS MiB |"
echo "|---|---|---|---|---|---|"
cat "$RESULTS"
