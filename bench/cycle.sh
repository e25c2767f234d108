#!/usr/bin/env bash
# Benchmark: the fixed costs of a small cycle. One full load of N documents (default 1,000,000) builds a snapshot; then
# the same incremental cycle (C changed documents, default 50,000: fetch -> predict -> publish, three JVM starts) runs
# on a fresh copy of that store once per JVM setting, rounds interleaved, so every setting sees the same load.
#
# Settings compared (JVM options in front of -jar, as the DAG's java_opts or cron's JAVA_OPTS_<JOB> would pass them):
#   plain   -Xmx1g                                         what the DAG passed before this benchmark
#   cds     -Xmx1g + a class-data-sharing archive per job  (-XX:+AutoCreateSharedArchive, JDK 19+)
#   c1      -Xmx1g -XX:TieredStopAtLevel=1                 C1 only: cheaper warm-up, slower steady state
#   cds+c1  both
#   chosen  -Xmx1g, C1 for fetch only: the DAG's and cron's default since this benchmark (C1 costs predict 58 % more CPU
#           on a 1M full load, publish about 25 %; fetch about the same)
#   aot     -Xmx1g + the JDK's ahead-of-time cache per job, dist/<job>.aot as scripts/build-aot.sh makes it (its own
#           short training cycle, not this benchmark's data; JDK 25+, skipped on older JDKs)
#   chosen+aot  both: what the cron notes pass with a cache
#   running     docs/running.md's heaps: fetch -Xmx512m with C1, predict and publish -Xmx256m (the DAG's defaults)
#   running+aot the same with the caches
# CDS archives are made by one training cycle before the rounds (not timed), as the first cycle of a day would.
# Each round also runs, per setting, a cycle of ONE document on a store holding only the model: the fixed costs.
#
# Prints one Markdown table: per setting and job, median wall and CPU (user+sys) seconds over the rounds, and the
# cycle's total. Usage: bench/cycle.sh [N] [C] [work-dir]; BENCH_ROUNDS (default 3), BENCH_SETTINGS to pick settings.
# BENCH_SNAPSHOT=<store dir> takes a file store that already holds the full load of the same N documents (e.g.
# bench/pipeline.sh's target/bench/store-file-p1, run with the same N) instead of generating and loading them here.
set -euo pipefail
source "$(dirname "$0")/lib.sh"  # ROOT (the working directory), JAVA_HOME, JAVA
N=${1:-1000000}
C=${2:-50000}
WORK=${3:-$ROOT/target/bench-cycle}
ROUNDS=${BENCH_ROUNDS:-3}
SETTINGS=${BENCH_SETTINGS:-plain chosen cds c1 cds+c1 aot chosen+aot}
JDK_MAJOR=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
[ -f dist/predict.jar ] || scripts/build.sh >/dev/null
# remade every time: a cache made for an earlier build of the jars would be ignored and measure nothing
[[ " $SETTINGS " != *aot* ]] || [ "$JDK_MAJOR" -lt 25 ] || scripts/build-aot.sh
rm -rf "$WORK"; mkdir -p "$WORK/cache"
BASE="$WORK/base"; EMPTY="$WORK/empty"; DOCS="$WORK/documents.ndjson"; CHANGES="$WORK/changes.ndjson"
FULL_END="2026-11-25T10:00:00Z"; CYCLE_END="2026-11-25T10:05:00Z"

echo "generating $C changes and a model..." >&2
bench_training "$WORK/training.csv"
bench_changes "$CHANGES" "$N" "$C"
"$JAVA" -jar dist/predict.jar train --data "$WORK/training.csv" --target churned --trees 100 --out "$WORK/model" >&2
"$JAVA" -jar dist/predict.jar register --store "$EMPTY" --model-dir "$WORK/model" --model churn --model-version v1 \
  --alias production >&2
head -1 "$CHANGES" > "$WORK/one.ndjson"
if [ -n "${BENCH_SNAPSHOT:-}" ]; then
  echo "snapshot: a copy of $BENCH_SNAPSHOT (its full load of $N documents)" >&2
  cp -r "$BENCH_SNAPSHOT" "$BASE"
else
  echo "generating $N documents and their full load (the snapshot every cycle starts from)..." >&2
  bench_documents "$DOCS" "$N"
  cp -r "$EMPTY" "$BASE"
  "$JAVA" -Xmx2g -jar dist/fetch.jar --store "$BASE" --run-id full --source "$DOCS" --data-interval-end "$FULL_END" 2>/dev/null
  "$JAVA" -Xmx2g -jar dist/predict.jar --store "$BASE" --run-id full --model churn 2>/dev/null
  "$JAVA" -Xmx2g -jar dist/publish.jar --store "$BASE" --run-id full 2>/dev/null
  rm "$DOCS"
fi

# JVM options for one job under one setting; "train" makes the archive or cache, "use" reads it.
options() {  # setting job phase
  local opts=(-Xmx1g) archive="$WORK/cache/$2-jdk$JDK_MAJOR"
  case $1 in running*) if [ "$2" = fetch ]; then opts=(-Xmx512m); else opts=(-Xmx256m); fi ;; esac
  case $1 in
    cds | cds+c1) opts+=(-XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=$archive.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off) ;;
    *aot) opts+=("-XX:AOTCache=dist/$2.aot" -Xlog:aot=off) ;;
  esac
  case $1 in *c1) opts+=(-XX:TieredStopAtLevel=1) ;; chosen* | running*) [ "$2" != fetch ] || opts+=(-XX:TieredStopAtLevel=1) ;; esac
  echo "${opts[@]}"
}

# One incremental cycle on a fresh copy of the snapshot (size C), or of one document on a store holding only the model
# (size 1); appends "setting size job wall cpu" lines to $WORK/times.
cycle() {  # setting phase size
  local store="$WORK/store-$1" job from="$BASE" source="$CHANGES"
  [ "$3" = C ] || { from="$EMPTY"; source="$WORK/one.ndjson"; }
  rm -rf "$store"; cp -r "$from" "$store"
  for job in fetch predict publish; do
    local args=(--store "$store" --run-id cycle)
    case $job in
      fetch) args+=(--source "$source" --data-interval-end "$CYCLE_END") ;;
      predict) args+=(--model churn) ;;
    esac
    # shellcheck disable=SC2046  # options are words
    /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$JAVA" $(options "$1" $job "$2") -jar "dist/$job.jar" "${args[@]}" \
      >/dev/null 2>"$WORK/job.log" || { echo "$1 $job failed:" >&2; cat "$WORK/job.log" >&2; exit 1; }
    [ "$2" = train ] || awk -v s="$1" -v n="$3" -v j=$job '{ printf "%s %s %s %.2f %.2f\n", s, n, j, $1, $2 + $3 }' "$WORK/time" >> "$WORK/times"
  done
}

active=()
for s in $SETTINGS; do
  if [[ $s = *aot ]] && [ "$JDK_MAJOR" -lt 25 ]; then echo "aot: skipped, JDK $JDK_MAJOR has no -XX:AOTCache" >&2; continue; fi
  active+=("$s")
  case $s in cds*) cycle "$s" train C ;; esac
done
for r in $(seq "$ROUNDS"); do
  echo "round $r of $ROUNDS (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  for s in "${active[@]}"; do cycle "$s" use C; cycle "$s" use 1; done
done

echo
echo "| setting (JDK $JDK_MAJOR, $(nproc) cores, median of $ROUNDS) | documents | fetch wall / CPU s | predict wall / CPU s | publish wall / CPU s | cycle wall / CPU s |"
echo "|---|---|---|---|---|---|"
for row in "${active[@]/%/ C}" "${active[@]/%/ 1}"; do
  read -r s n <<< "$row"
  median() { grep "^$s $n $1 " "$WORK/times" | awk -v c="$2" '{ print $c }' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
  cells=(); tw=0; tc=0
  for job in fetch predict publish; do
    w=$(median $job 4); c=$(median $job 5)
    cells+=("$w / $c"); tw=$(awk -v a="$tw" -v b="$w" 'BEGIN { print a + b }'); tc=$(awk -v a="$tc" -v b="$c" 'BEGIN { print a + b }')
  done
  label="$C changes on $N"; [ "$n" = C ] || label="1 (store: the model only)"
  printf '| %s | %s | %s | %s | %s | %.2f / %.2f |\n' "$s" "$label" "${cells[0]}" "${cells[1]}" "${cells[2]}" "$tw" "$tc"
done
