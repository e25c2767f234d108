#!/usr/bin/env bash
# Benchmark: dist/fetch.jar against another build of fetch (e.g. main's, built first and copied aside), on the file
# source: a full load of N documents (default 1,000,000) on an empty store and an incremental file of C changes
# (default 50,000), generated as bench/vs-script.sh does. Rounds interleaved (the jar that goes first alternates), each
# job timed by GNU time with the cron notes' JVM options. Checks that both jars write the same input lines.
# Prints each cycle's and jar's median wall and CPU (user+sys) seconds and peak RSS, and the load average seen.
# Usage: bench/fetch.sh OTHER_JAR [N] [C] [work-dir]; BENCH_ROUNDS (default 3); BENCH_AOT=1 starts each jar with the
# AOT cache beside it (<jar dir>/fetch.aot, scripts/build-aot.sh); BENCH_OPTS replaces the JVM options of both jars,
# BENCH_OTHER_OPTS those of OTHER_JAR alone (to compare options: the same jar twice); BENCH_JAR replaces dist/fetch.jar.
set -euo pipefail
source "$(dirname "$0")/lib.sh"  # ROOT (the working directory), JAVA_HOME, JAVA
OTHER=$1
N=${2:-1000000}
C=${3:-50000}
WORK=${4:-$ROOT/target/bench-fetch}
ROUNDS=${BENCH_ROUNDS:-3}
OPTS=${BENCH_OPTS:-$(sed -n 's/^JAVA_OPTS_FETCH="\([^"]*\)".*/\1/p' crontab-notes.md)}  # the cron notes' by default
THIS=${BENCH_JAR:-dist/fetch.jar}
[ -f "$THIS" ] || scripts/build.sh >/dev/null
OTHER_OPTS=${BENCH_OTHER_OPTS:-$OPTS}
[ -n "$OPTS" ] || { echo "fetch.sh: no JAVA_OPTS_FETCH in crontab-notes.md; set BENCH_OPTS" >&2; exit 2; }
if [ "${BENCH_AOT:-0}" != 0 ]; then
  for jar in "$THIS" "$OTHER"; do
    # a cache made for another jar (or a copy of it: the time stamp counts) is silently ignored: refuse it here
    "$JAVA" -XX:AOTCache="${jar%.jar}.aot" -XX:AOTMode=on -Xlog:aot=off -jar "$jar" --version >/dev/null 2>&1 \
      || { echo "fetch.sh: ${jar%.jar}.aot is missing or not for $jar: scripts/build-aot.sh $(dirname "$jar")" >&2; exit 2; }
  done
fi
mkdir -p "$WORK"
DOCS="$WORK/documents-$N.ndjson"; CHANGES="$WORK/changes-$N-$C.ndjson"; TIMES="$WORK/times"
[ -f "$DOCS" ] || bench_documents "$DOCS" "$N"
[ -f "$CHANGES" ] || bench_changes "$CHANGES" "$N" "$C"

run() {  # name jar cycle round: one fetch on an empty store; appends "cycle name round wall cpu rss_kib load"
  local opts=$OPTS; [ "$1" = this ] || opts=$OTHER_OPTS
  local store="$WORK/store-$1-$3" source=$DOCS end=2026-11-25T10:00:00Z
  [ "$3" = full ] || { source=$CHANGES; end=2026-11-25T10:05:00Z; }
  local aot=()
  [ "${BENCH_AOT:-0}" = 0 ] || aot=(-XX:AOTCache="${2%.jar}.aot" -Xlog:aot=off)
  rm -rf "$store"; mkdir -p "$store"
  # shellcheck disable=SC2086  # options are words
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$JAVA" $opts "${aot[@]}" -jar "$2" --store "$store" --run-id "$3" --source "$source" \
    --data-interval-end "$end" >/dev/null 2>"$WORK/job.log" || { echo "$1 fetch failed:" >&2; cat "$WORK/job.log" >&2; exit 1; }
  awk -v p="$3 $1 $4" -v load="$(cut -d' ' -f1 /proc/loadavg)" '{ printf "%s %.2f %.2f %d %s\n", p, $1, $2 + $3, $4, load }' \
    "$WORK/time" >> "$TIMES"
}

: > "$TIMES"
for r in $(seq "$ROUNDS"); do
  echo "round $r of $ROUNDS (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  for cycle in full incremental; do
    if [ $((r % 2)) = 1 ]; then run this "$THIS" "$cycle" "$r"; run other "$OTHER" "$cycle" "$r"
    else run other "$OTHER" "$cycle" "$r"; run this "$THIS" "$cycle" "$r"; fi
  done
done
for cycle in full incremental; do
  cmp <(zcat "$WORK/store-this-$cycle/runs/$cycle/input.ndjson.gz") <(zcat "$WORK/store-other-$cycle/runs/$cycle/input.ndjson.gz") >&2
  echo "$cycle: both jars wrote the same input lines" >&2
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column() { awk -v c="$1" -v j="$2" -v f="$3" '$1 == c && $2 == j { print $f }' "$TIMES" | median; }
echo "options: this $OPTS, other $OTHER_OPTS$([ "${BENCH_AOT:-0}" = 0 ] || echo ' (AOT caches)')"
echo "cycle        jar    wall s  CPU s  peak RSS MiB  (medians of $ROUNDS; load average at each start: $(awk '{ printf "%s ", $7 }' "$TIMES"))"
for cycle in full incremental; do
  for jar in this other; do
    printf '%-12s %-6s %6s %6s %8d\n' "$cycle" "$jar" "$(column "$cycle" "$jar" 4)" "$(column "$cycle" "$jar" 5)" \
      "$(( $(column "$cycle" "$jar" 6 | cut -d. -f1) / 1024 ))"
  done
done
