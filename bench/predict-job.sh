#!/usr/bin/env bash
# Benchmark: the whole predict job against its own scorer alone, on the same N documents (default 1,000,000) and the
# same 100-tree random forest, interleaved in rounds in one invocation: predict's scorer alone (bench/ModelBench.java
# `score … fast`: rows already vectorized in memory, the batch method on 512-row slices on all cores, as predict calls
# it) and the whole `predict.jar` job under GNU time (JVM start, model load, gunzip, parse, vectorize, score,
# serialize, gzip, sha256), for each predict jar given (e.g. main's build beside this branch's, to compare before and
# after). Each job's predictions are checked line for line: the sha256 of the uncompressed predictions and rejects must
# be the same for every jar. Wall and CPU (user + sys, all threads) per row; medians in a Markdown table.
# Usage: bench/predict-job.sh [N] [predict.jar ...]     default jar: dist/predict.jar
#   BENCH_ROUNDS (default 3), BENCH_HEAP (default -Xmx2g), BENCH_WORK (default target/bench-predict-job; data reused
#   when it holds N documents already), BENCH_JFR=1 records each job with JFR and prints where its CPU went
#   (bench/jfr_split.py), BENCH_THREADS=1 prints each job's CPU by kind of thread (bench/thread_cpu.py: JIT, scoring
#   pool, main thread, gzip; its sampling adds a little CPU: use it in a run apart from the timed one),
#   BENCH_JOB_OPTS: more JVM options for the jobs only (not the scorer alone), {aot} standing for the jar's ahead-of-time
#   cache (x.jar -> x.aot, as scripts/build-aot.sh names it).
# The model is registered once, by dist/predict.jar: a build that stores model.trees (2026-12-03 on) loads the trees
# from it; data made by an older build has none, so every jar deserializes the Smile model (register it again to compare).
set -euo pipefail
source "$(dirname "$0")/lib.sh"  # ROOT (the working directory), JAVA_HOME, JAVA
N=${1:-1000000}
shift || true
JARS=("$@")
[ ${#JARS[@]} -gt 0 ] || JARS=(dist/predict.jar)
WORK=${BENCH_WORK:-$ROOT/target/bench-predict-job}
ROUNDS=${BENCH_ROUNDS:-3}
HEAP=${BENCH_HEAP:--Xmx2g}
[ -f dist/predict.jar ] && [ -f dist/fetch.jar ] || scripts/build.sh >/dev/null
STORE="$WORK/store"; ROWS="$WORK/rows.f64"; RESULTS="$WORK/results.txt"
END="2026-11-25T10:00:00Z"

if [ "$(cat "$WORK/documents.count" 2>/dev/null)" != "$N" ]; then
  echo "generating $N documents, training and registering a 100-tree random forest..." >&2
  rm -rf "$WORK"; mkdir -p "$STORE"
  bench_training "$WORK/training.csv"
  bench_documents "$WORK/documents.ndjson" "$N"
  "$JAVA" -jar dist/fetch.jar --store "$STORE" --run-id bench-1 --source "$WORK/documents.ndjson" --data-interval-end "$END" >&2
  "$JAVA" -jar dist/predict.jar train --data "$WORK/training.csv" --target churned --algorithm random-forest --trees 100 \
    --out "$WORK/rf" >&2
  "$JAVA" -jar dist/predict.jar register --store "$STORE" --model-dir "$WORK/rf" --model churn --model-version v1 \
    --alias production >&2
  "$JAVA" $HEAP -cp dist/predict.jar bench/ModelBench.java export "$STORE" bench-1 churn v1 "$ROWS" >&2
  rm -f "$WORK/documents.ndjson"
  echo "$N" > "$WORK/documents.count"
fi
: > "$RESULTS"

job() {  # round, jar index: the whole predict job under GNU time; checks its output against the first jar's
  local round=$1 i=$2 jar=${JARS[$2]} log="$WORK/time.txt" jfr=() threads=() opts=${BENCH_JOB_OPTS:-}
  opts=${opts//\{aot\}/${jar%.jar}.aot}
  [ "${BENCH_JFR:-}" = 1 ] && jfr=(-XX:StartFlightRecording=filename="$WORK/job-$i-$round.jfr",settings=profile)
  [ "${BENCH_THREADS:-}" = 1 ] && threads=(python3 bench/thread_cpu.py)
  /usr/bin/time -f "%e %U %S %M" -o "$log" "${threads[@]}" "$JAVA" $HEAP $opts "${jfr[@]}" -jar "$jar" --store "$STORE" \
    --run-id bench-1 --model churn >/dev/null 2>"$WORK/job.log" || { cat "$WORK/job.log" >&2; exit 1; }
  [ "${BENCH_THREADS:-}" = 1 ] && grep '^thread CPU' "$WORK/job.log" | sed "s/^/  job-$i: /" >&2
  read -r wall user sys rss < "$log"
  local sums
  sums="$(zcat "$STORE/runs/bench-1/predictions.ndjson.gz" | sha256sum | cut -c1-16)/$(zcat "$STORE/runs/bench-1/rejected.ndjson.gz" | sha256sum | cut -c1-16)"
  [ -f "$WORK/sums" ] || echo "$sums" > "$WORK/sums"
  [ "$sums" = "$(cat "$WORK/sums")" ] || { echo "predictions of $jar differ: $sums, expected $(cat "$WORK/sums")" >&2; exit 1; }
  awk -v w="$wall" -v u="$user" -v s="$sys" -v n="$N" -v m="$rss" -v j="$i" -v sums="$sums" 'BEGIN {
    printf "result scorer=job-%d rows=%d wall_s=%.3f cpu_s=%.3f us_per_row=%.3f cpu_us_per_row=%.3f rss_mib=%.0f sha256=%s\n",
      j, n, w, u + s, w * 1e6 / n, (u + s) * 1e6 / n, m / 1024, sums }'
  [ "${BENCH_JFR:-}" = 1 ] && python3 bench/jfr_split.py "$WORK/job-$i-$round.jfr" | sed "s/^/  job-$i: /" >&2
  return 0
}

rm -f "$WORK/sums"
for round in $(seq "$ROUNDS"); do
  echo "round $round ($(uptime | sed 's/.*load/load/'))" >&2
  { "$JAVA" $HEAP -cp dist/predict.jar bench/ModelBench.java score "$STORE" churn v1 "$ROWS" fast 2>/dev/null | grep '^result'
    for i in "${!JARS[@]}"; do job "$round" "$i"; done
  } | sed "s/^result/round=$round/" | tee -a "$RESULTS" >&2
done

python3 - "$RESULTS" "$N" "$(nproc)" "${JARS[@]}" <<'PY'
import re, statistics, sys
lines = open(sys.argv[1]).read().splitlines()
n, cores, jars = int(sys.argv[2]), sys.argv[3], sys.argv[4:]
runs = {}
for line in lines:
    m = re.match(r"round=\d+ scorer=(\S+) .*wall_s=(\S+) cpu_s=(\S+) us_per_row=(\S+) cpu_us_per_row=(\S+)", line)
    if m:
        runs.setdefault(m[1], []).append((float(m[4]), float(m[5])))
name = lambda s: "predict's scorer alone (rows in memory, all cores)" if s == "fast" else f"whole predict job, {jars[int(s[4:])]}"
print(f"\n| N={n:,} documents, {cores} cores, medians | µs/row wall | µs/row CPU | rounds |")
print("|---|---|---|---|")
med = {}
for s, r in runs.items():
    med[s] = (statistics.median(x[0] for x in r), statistics.median(x[1] for x in r))
    print(f"| {name(s)} | {med[s][0]:.2f} | {med[s][1]:.2f} | {len(r)} |")
print()
for s in med:
    if s != "fast" and "fast" in med:
        print(f"{name(s)}: job speed / scorer speed = {med['fast'][0] / med[s][0]:.2f} by wall time,"
              f" {med['fast'][1] / med[s][1]:.2f} by CPU (goal >= 0.8)")
print()
for line in lines:
    print("    " + line)
PY
