#!/usr/bin/env bash
# Benchmark: two builds of publish.jar, interleaved, on the two cycles of bench/vs-script.sh: a full load (N documents
# scored, published on an empty store) and an incremental cycle (C changed documents merged into the N-document
# snapshot that the same jar published). Inputs are made as bench/cycle.sh makes them, with dist/fetch.jar and
# dist/predict.jar, once; then per round each jar publishes each cycle on a fresh copy (the jar that goes first
# alternates), timed by GNU time, -Xmx256m as the cron notes pass. The decompressed latest/ of both jars must be
# identical, or the run stops. Prints per jar and cycle the median wall, CPU (user + sys) and peak RSS, and the load.
# Usage: bench/publish-ab.sh OLD.jar [NEW.jar, default dist/publish.jar] [N] [C]; BENCH_ROUNDS (default 3);
# BENCH_OLD_OPTS / BENCH_NEW_OPTS: each jar's JVM options in the timed runs (default -Xmx256m), to compare options too;
# work dir target/bench-publish-ab (the inputs are kept and reused for the same N and C).
set -euo pipefail
source "$(dirname "$0")/lib.sh"  # ROOT (the working directory), JAVA_HOME, JAVA
OLD=$(realpath "$1"); NEW=$(realpath "${2:-dist/publish.jar}"); N=${3:-1000000}; C=${4:-50000}
ROUNDS=${BENCH_ROUNDS:-3}; W=$ROOT/target/bench-publish-ab
declare -A OPTS=([old]=${BENCH_OLD_OPTS:--Xmx256m} [new]=${BENCH_NEW_OPTS:--Xmx256m})
[ -f dist/predict.jar ] || scripts/build.sh >/dev/null
if [ "$(cat "$W/made" 2>/dev/null)" != "$N $C" ]; then
  echo "generating $N documents, $C changes and a model; fetch and predict of the full load..." >&2
  rm -rf "$W"; mkdir -p "$W"
  bench_training "$W/training.csv"
  bench_changes "$W/changes.ndjson" "$N" "$C"
  "$JAVA" -jar dist/predict.jar train --data "$W/training.csv" --target churned --trees 100 --out "$W/model" >&2
  "$JAVA" -jar dist/predict.jar register --store "$W/full" --model-dir "$W/model" --model churn --model-version v1 \
    --alias production >&2
  bench_documents "$W/documents.ndjson" "$N"
  "$JAVA" -Xmx2g -jar dist/fetch.jar --store "$W/full" --run-id full --source "$W/documents.ndjson" \
    --data-interval-end 2026-11-25T10:00:00Z 2>/dev/null
  "$JAVA" -Xmx2g -jar dist/predict.jar --store "$W/full" --run-id full --model churn 2>/dev/null
  rm "$W/documents.ndjson"; echo "$N $C" > "$W/made"
fi
# each jar's own snapshot to merge into, and the cycle's run (fetch and predict do not depend on the publish jar)
for side in old new; do
  jar=$OLD; [ $side = new ] && jar=$NEW
  rm -rf "$W/inc-$side"; cp -r "$W/full" "$W/inc-$side"
  "$JAVA" -Xmx256m -jar "$jar" --store "$W/inc-$side" --run-id full >/dev/null 2>&1
  "$JAVA" -jar dist/fetch.jar --store "$W/inc-$side" --run-id cycle --source "$W/changes.ndjson" \
    --data-interval-end 2026-11-25T10:05:00Z >/dev/null 2>&1
  "$JAVA" -jar dist/predict.jar --store "$W/inc-$side" --run-id cycle --model churn >/dev/null 2>&1
done

: > "$W/times"
run() {  # side jar cycle
  local store=$W/store-$1 from=$W/full id=full
  [ "$3" = incremental ] && { from=$W/inc-$1; id=cycle; }
  rm -rf "$store"; cp -r "$from" "$store"
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f '%e %U %S %M' -o "$W/time" "$JAVA" ${OPTS[$1]} -jar "$2" --store "$store" --run-id $id >/dev/null \
    2>"$W/job.log" || { cat "$W/job.log" >&2; exit 1; }
  read -r e u s m < "$W/time"
  echo "$1 $3 $e $(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }') $((m / 1024)) $load" | tee -a "$W/times" >&2
  zcat "$store/latest/predictions.ndjson.gz" | sha256sum > "$W/out-$1"
}
for r in $(seq "$ROUNDS"); do
  order="old new"; [ $((r % 2)) = 1 ] || order="new old"
  for cycle in incremental full; do
    for side in $order; do if [ $side = old ]; then run old "$OLD" $cycle; else run new "$NEW" $cycle; fi; done
    cmp -s "$W/out-old" "$W/out-new" || { echo "$cycle: the decompressed outputs differ" >&2; exit 1; }
  done
done
echo "| publish.jar (old: ${OPTS[old]}; new: ${OPTS[new]}), median of $ROUNDS | cycle | wall s | CPU s | peak RSS MiB | load at start |"
echo "|---|---|---|---|---|---|"
for cycle in incremental full; do for side in old new; do
  med() { grep "^$side $cycle " "$W/times" | awk -v k="$1" '{ print $k }' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
  echo "| $side | $cycle | $(med 3) | $(med 4) | $(med 5) | $(med 6) |"
done; done
