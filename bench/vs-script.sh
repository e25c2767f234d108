#!/usr/bin/env bash
# Benchmark: Scoreline against the script it replaces. bench/script_baseline.py is the pipeline a data scientist would
# write without Scoreline (one Python process: orjson + pandas, scikit-learn's forest of the same size, gzip NDJSON,
# the file store's latest/ layout); Scoreline is fetch -> predict -> publish from dist/ with the cron notes' JVM options.
# Both read the same N documents (default 1,000,000) from the same NDJSON file: a full load on an empty store, then an
# incremental cycle (C changed documents, default 50,000) on a copy of the N-document snapshot each side published.
# Rounds interleaved (the side that goes first alternates), so both see the same load.
#
# Prints, per cycle and stage, each side's median wall and CPU (user+sys) seconds and peak RSS, and the ratio
# script / Scoreline (above 1: Scoreline is faster; median and range over the rounds).
# Usage: bench/vs-script.sh [N] [C] [work-dir]; BENCH_ROUNDS (default 3), BENCH_AOT=1 (the jobs with their AOT caches).
set -euo pipefail
source "$(dirname "$0")/lib.sh"  # ROOT (the working directory), JAVA_HOME, JAVA
N=${1:-1000000}
C=${2:-50000}
WORK=${3:-$ROOT/target/bench-vs-script}
ROUNDS=${BENCH_ROUNDS:-3}
PY="$(python/venv.sh)/bin/python"
[ -f dist/predict.jar ] || scripts/build.sh >/dev/null
rm -rf "$WORK"; mkdir -p "$WORK"
DOCS="$WORK/documents.ndjson"; CHANGES="$WORK/changes.ndjson"; TIMES="$WORK/times"
FULL_END="2026-11-25T10:00:00Z"; CYCLE_END="2026-11-25T10:05:00Z"
# The cron notes' JVM options (the DAG's defaults, a policy test keeps them equal); BENCH_AOT=1 adds each job's
# ahead-of-time cache, dist/<job>.aot (scripts/build-aot.sh), as the cron script and the DAG do when it exists.
declare -A OPTS
for job in fetch predict publish; do
  OPTS[$job]=$(sed -n "s/^JAVA_OPTS_${job^^}=\"\{0,1\}\([^\"#]*\)\"\{0,1\}.*/\1/p" crontab-notes.md | sed 's/ *$//')
  [ -n "${OPTS[$job]}" ] || { echo "no JAVA_OPTS_${job^^} in crontab-notes.md" >&2; exit 1; }
  [ "${BENCH_AOT:-0}" = 0 ] || OPTS[$job]+=" -XX:AOTCache=dist/$job.aot -Xlog:aot=off"
done
[ "${BENCH_AOT:-0}" = 0 ] || scripts/build-aot.sh >&2  # the caches must come from these very jars

echo "generating $N documents, $C changes and both models..." >&2
bench_training "$WORK/training.csv"
bench_documents "$DOCS" "$N"
bench_changes "$CHANGES" "$N" "$C"
"$JAVA" -jar dist/predict.jar train --data "$WORK/training.csv" --target churned --trees 100 --out "$WORK/model" >&2
"$JAVA" -jar dist/predict.jar register --store "$WORK/empty-s" --model-dir "$WORK/model" --model churn --model-version v1 \
  --alias production >&2
"$PY" bench/script_baseline.py train "$WORK/training.csv" "$WORK/model.joblib"

# One cycle of one side on a fresh copy of its starting store; appends "round cycle side stage wall cpu rss_kib" lines.
scoreline() {  # round cycle from-store
  local store="$WORK/run-s" job
  rm -rf "$store"; cp -r "$3" "$store"
  for job in fetch predict publish; do
    local args=(--store "$store" --run-id "$2")
    case $job$2 in
      fetchfull) args+=(--source "$DOCS" --data-interval-end "$FULL_END") ;;
      fetchincremental) args+=(--source "$CHANGES" --data-interval-end "$CYCLE_END") ;;
      predict*) args+=(--model churn) ;;
    esac
    # shellcheck disable=SC2086  # options are words
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$JAVA" ${OPTS[$job]} -jar "dist/$job.jar" "${args[@]}" \
      >/dev/null 2>"$WORK/job.log" || { echo "scoreline $job failed:" >&2; cat "$WORK/job.log" >&2; exit 1; }
    awk -v p="$1 $2 scoreline $job" '{ printf "%s %.2f %.2f %d\n", p, $1, $2 + $3, $4 }' "$WORK/time" >> "$TIMES"
  done
}
script() {  # round cycle from-store (none: empty)
  local store="$WORK/run-p" source=$DOCS end=$FULL_END
  rm -rf "$store" "$WORK/stages"; [ "$3" = none ] || cp -r "$3" "$store"
  [ "$2" = full ] || { source=$CHANGES; end=$CYCLE_END; }
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$PY" bench/script_baseline.py run --source "$source" --store "$store" \
    --run-id "$2" --model "$WORK/model.joblib" --data-interval-end "$end" --timings "$WORK/stages" 2>"$WORK/job.log" \
    || { echo "script failed:" >&2; cat "$WORK/job.log" >&2; exit 1; }
  awk -v p="$1 $2 script" '{ print p, $0 }' "$WORK/stages" >> "$TIMES"
  awk -v p="$1 $2 script" '{ printf "%s end-to-end %.2f %.2f %d\n", p, $1, $2 + $3, $4 }' "$WORK/time" >> "$TIMES"
}

# Both sides' latest/ hold the same ids and versions in the same order (the two forests differ a little).
same_snapshots() {  # scoreline-store script-store
  "$PY" - "$1/latest/predictions.ndjson.gz" "$2/latest/predictions.ndjson.gz" <<'EOF' >&2
import gzip, json, sys
s, p = ([json.loads(line) for line in gzip.open(f)] for f in sys.argv[1:])
same = sum(a["prediction"] == b["prediction"] for a, b in zip(s, p))
assert [(a["id"], a["updated_at"]) for a in s] == [(b["id"], b["updated_at"]) for b in p], "the snapshots differ in ids"
print(f"snapshots: {len(s)} records each, same ids and versions in the same order; same prediction for {same / len(s):.2%}")
EOF
}

echo "the N-document snapshots the incremental cycles start from (not timed; also warms the page cache)..." >&2
scoreline 0 full "$WORK/empty-s"; mv "$WORK/run-s" "$WORK/base-s"
script 0 full none; mv "$WORK/run-p" "$WORK/base-p"
same_snapshots "$WORK/base-s" "$WORK/base-p"
: > "$TIMES"
for r in $(seq "$ROUNDS"); do
  echo "round $r of $ROUNDS (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  if [ $((r % 2)) = 1 ]; then
    scoreline "$r" full "$WORK/empty-s"; script "$r" full none
    scoreline "$r" incremental "$WORK/base-s"; script "$r" incremental "$WORK/base-p"
  else
    script "$r" full none; scoreline "$r" full "$WORK/empty-s"
    script "$r" incremental "$WORK/base-p"; scoreline "$r" incremental "$WORK/base-s"
  fi
done
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg); the last incremental cycles' outputs:" >&2
same_snapshots "$WORK/run-s" "$WORK/run-p"
"$PY" bench/script_report.py "$TIMES" "$N" "$C" "$ROUNDS"
