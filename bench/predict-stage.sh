#!/usr/bin/env bash
# Benchmark: the predict stage of bench/vs-script.sh on its own — predict.jar on a full load of N documents (default
# 1,000,000) and on an incremental run of C changed documents (default 50,000; 48,869 distinct ids at 50,000), both
# fetched once (not timed) from demo/SampleData.java's documents with the same seeds as vs-script, a 100-tree random
# forest. Per round, every predict jar given runs both runs under every JVM setting, one after another, the order
# reversed every other round; GNU time per job (JVM start included). The uncompressed predictions and rejects of a
# run must be the same for every jar and setting, or the script stops.
# Usage: bench/predict-stage.sh [N] [C] [predict.jar ...]     default jar: dist/predict.jar
#   BENCH_ROUNDS (default 3); BENCH_SETTINGS: JVM option sets separated by ';' (default "-Xmx256m", the cron notes'),
#   where {aot} stands for the jar's ahead-of-time cache (x.jar -> x.aot, as scripts/build-aot.sh names it);
#   BENCH_WORK (default target/bench-predict-stage; kept and reused while it holds the same N and C).
# The model is registered once, by dist/predict.jar: a build that stores model.trees (2026-12-03 on) loads the trees
# from it; data made by an older build has none, so every jar deserializes the Smile model (register it again to compare).
set -euo pipefail
source "$(dirname "$0")/lib.sh"  # ROOT (the working directory), JAVA_HOME, JAVA
N=${1:-1000000}
C=${2:-50000}
shift 2 || shift $#
JARS=("$@")
[ ${#JARS[@]} -gt 0 ] || JARS=(dist/predict.jar)
WORK=${BENCH_WORK:-$ROOT/target/bench-predict-stage}
ROUNDS=${BENCH_ROUNDS:-3}
IFS=';' read -r -a SETTINGS <<< "${BENCH_SETTINGS:--Xmx256m}"
STORE="$WORK/store"; TIMES="$WORK/times.txt"
[ -f dist/predict.jar ] && [ -f dist/fetch.jar ] || scripts/build.sh >/dev/null

if [ "$(cat "$WORK/size" 2>/dev/null)" != "$N $C" ]; then
  echo "generating $N documents, $C changes and a 100-tree random forest, fetched as runs 'full' and 'incremental'..." >&2
  rm -rf "$WORK"; mkdir -p "$WORK"
  bench_training "$WORK/training.csv"
  bench_documents "$WORK/documents.ndjson" "$N"
  bench_changes "$WORK/changes.ndjson" "$N" "$C"
  "$JAVA" -jar dist/predict.jar train --data "$WORK/training.csv" --target churned --trees 100 --out "$WORK/model" >&2
  "$JAVA" -jar dist/predict.jar register --store "$STORE" --model-dir "$WORK/model" --model churn --model-version v1 \
    --alias production >&2
  "$JAVA" -Xmx1g -jar dist/fetch.jar --store "$STORE" --run-id full --source "$WORK/documents.ndjson" \
    --data-interval-end 2026-11-25T10:00:00Z >&2
  "$JAVA" -Xmx1g -jar dist/fetch.jar --store "$STORE" --run-id incremental --source "$WORK/changes.ndjson" \
    --data-interval-end 2026-11-25T10:05:00Z >&2
  rm "$WORK/documents.ndjson" "$WORK/changes.ndjson"
  echo "$N $C" > "$WORK/size"
fi
: > "$TIMES"
rm -f "$WORK"/sums.*

job() {  # round jar-index setting-index run
  local jar=${JARS[$2]} opts=${SETTINGS[$3]} run=$4 sums
  opts=${opts//\{aot\}/${jar%.jar}.aot}
  # shellcheck disable=SC2086  # options are words
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$JAVA" $opts -jar "$jar" --store "$STORE" --run-id "$run" \
    --model churn >/dev/null 2>"$WORK/job.log" || { echo "predict failed ($jar, $opts, $run):" >&2; cat "$WORK/job.log" >&2; exit 1; }
  sums="$(zcat "$STORE/runs/$run/predictions.ndjson.gz" | sha256sum | cut -c1-16)/$(zcat "$STORE/runs/$run/rejected.ndjson.gz" | sha256sum | cut -c1-16)"
  [ -f "$WORK/sums.$run" ] || echo "$sums" > "$WORK/sums.$run"
  [ "$sums" = "$(cat "$WORK/sums.$run")" ] || { echo "$run: $jar with '$opts' gave $sums, expected $(cat "$WORK/sums.$run")" >&2; exit 1; }
  awk -v p="$1|$2|$3|$run" '{ printf "%s|%.2f|%.2f|%d\n", p, $1, $2 + $3, $4 / 1024 }' "$WORK/time" | tee -a "$TIMES" >&2
}

combos=()
for i in "${!JARS[@]}"; do for s in "${!SETTINGS[@]}"; do combos+=("$i $s"); done; done
for round in $(seq "$ROUNDS"); do
  echo "round $round (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  order=("${combos[@]}")
  [ $((round % 2)) = 1 ] || mapfile -t order < <(printf '%s\n' "${combos[@]}" | tac)
  for combo in "${order[@]}"; do
    read -r i s <<< "$combo"
    job "$round" "$i" "$s" full
    job "$round" "$i" "$s" incremental
  done
done
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg); predictions/rejects sha256: full $(cat "$WORK/sums.full"), incremental $(cat "$WORK/sums.incremental")" >&2

python3 - "$TIMES" "${#SETTINGS[@]}" "${SETTINGS[@]}" "${JARS[@]}" <<'PY'
import statistics, sys
rows = [l.split("|") for l in open(sys.argv[1]).read().splitlines()]
k = int(sys.argv[2]); settings, jars = sys.argv[3:3 + k], sys.argv[3 + k:]
print("\n| predict jar | JVM options | full: wall / CPU s | incremental: wall / CPU s | CPU s per round, full; incremental | peak RSS MiB |")
print("|---|---|---|---|---|---|")
for i, jar in enumerate(jars):
    for s, opts in enumerate(settings):
        cell, per, rss = {}, {}, []
        for run in ("full", "incremental"):
            r = [x for x in rows if x[1] == str(i) and x[2] == str(s) and x[3] == run]
            cell[run] = f"{statistics.median(float(x[4]) for x in r):.2f} / {statistics.median(float(x[5]) for x in r):.2f}"
            per[run] = " / ".join(x[5] for x in r)
            rss.append(max(int(x[6]) for x in r))
        print(f"| {jar} | `{opts}` | {cell['full']} | {cell['incremental']} | {per['full']}; {per['incremental']} | {rss[0]} / {rss[1]} |")
PY
