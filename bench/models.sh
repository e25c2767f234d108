#!/usr/bin/env bash
# Benchmark: the same N rows (default 1,000,000) scored by predict's flattened tree scorer, by Smile per row
# (SmileScorer) and by Smile's own batch predict, by scikit-learn's predict_proba (n_jobs=-1) on a forest of the same
# size trained on the same rows, and by the whole predict job; for a 100-tree random forest and a 300-tree gradient
# boosted model, interleaved, in rounds, in one invocation. Wall and CPU time for each; medians in a Markdown table.
# Usage: bench/models.sh [N] [work-dir]   BENCH_ROUNDS (default 3), BENCH_HEAP (default -Xmx3g), BENCH_MODELS="rf gbm"
set -euo pipefail
source "$(dirname "$0")/lib.sh"  # ROOT (the working directory), JAVA_HOME, JAVA
N=${1:-1000000}
WORK=${2:-$ROOT/target/bench-models}
ROUNDS=${BENCH_ROUNDS:-3}
HEAP=${BENCH_HEAP:--Xmx3g}
MODELS=${BENCH_MODELS:-rf gbm}
[ -f dist/predict.jar ] && [ -f dist/fetch.jar ] || scripts/build.sh >/dev/null
VENV="$(python/venv.sh | tail -1)"
PY="$VENV/bin/python"
rm -rf "$WORK"; mkdir -p "$WORK" "$WORK/store"   # jobs refuse a store that does not exist
STORE="$WORK/store"; DOCS="$WORK/documents.ndjson"; ROWS="$WORK/rows.f64"; RESULTS="$WORK/results.txt"
END="2026-11-25T10:00:00Z"
bench() { "$JAVA" $HEAP -cp dist/predict.jar bench/ModelBench.java "$@"; }

echo "generating $N documents, training and registering the models..." >&2
bench_training "$WORK/training.csv"
bench_documents "$DOCS" "$N"
"$JAVA" -jar dist/fetch.jar --store "$STORE" --run-id bench-1 --source "$DOCS" --data-interval-end "$END" >&2
for m in $MODELS; do
  case $m in
    rf) algorithm=random-forest; trees=100 ;;
    gbm) algorithm=gradient-boosting; trees=300 ;;
  esac
  "$JAVA" -jar dist/predict.jar train --data "$WORK/training.csv" --target churned --algorithm $algorithm --trees $trees \
    --out "$WORK/$m" >&2
  "$JAVA" -jar dist/predict.jar register --store "$STORE" --model-dir "$WORK/$m" --model "churn-$m" --model-version v1 \
    --alias production >&2
done
first=${MODELS%% *}
bench export "$STORE" bench-1 "churn-$first" v1 "$ROWS" >&2
FEATURES=$("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["features"]))' "$WORK/$first/model.json")
for m in $MODELS; do
  bench check "$STORE" "churn-$m" v1 "$ROWS" | sed "s/^/$m /" | tee -a "$RESULTS" >&2
  sizes=$(bench score "$STORE" "churn-$m" v1 "$ROWS" fast 2>&1 >/dev/null | grep trees:)
  leaves=$(echo "$sizes" | sed -n 's/.*mean_leaves=\([0-9]*\).*/\1/p')
  echo "$m smile $sizes" | tee -a "$RESULTS" >&2
  trees=$([ "$m" = rf ] && echo 100 || echo 300)
  "$PY" bench/sklearn_bench.py train "$WORK/training.csv" "$WORK/$m/model.json" "$WORK/$m.joblib" "$m" "$trees" "$leaves" \
    2>&1 | sed "s/^/$m /" | tee -a "$RESULTS" >&2
done

job() {  # the whole predict job under GNU time: reading, parsing, vectorizing, scoring, serializing, gzip
  local m=$1 log="$WORK/time.txt"
  /usr/bin/time -f "%e %U %S" -o "$log" "$JAVA" $HEAP -jar dist/predict.jar --store "$STORE" --run-id bench-1 \
    --model "churn-$m" >/dev/null 2>"$WORK/job.log" || { cat "$WORK/job.log" >&2; exit 1; }
  read -r wall user sys < "$log"
  awk -v w="$wall" -v u="$user" -v s="$sys" -v n="$N" 'BEGIN { printf "result scorer=predict-job rows=%d wall_s=%.3f cpu_s=%.3f us_per_row=%.3f cpu_us_per_row=%.3f\n", n, w, u + s, w * 1e6 / n, (u + s) * 1e6 / n }'
}

for round in $(seq "$ROUNDS"); do
  for m in $MODELS; do
    echo "round $round, $m ($(uptime | sed 's/.*load/load/'))" >&2
    for what in fast smile-row smile-batch sklearn job; do
      case $what in
        sklearn) "$PY" bench/sklearn_bench.py score "$WORK/$m.joblib" "$ROWS" "$FEATURES" ;;
        job) job "$m" ;;
        *) bench score "$STORE" "churn-$m" v1 "$ROWS" "$what" 2>/dev/null ;;
      esac | grep '^result' | sed "s/^result/$m round=$round/" | tee -a "$RESULTS" >&2
    done
  done
done

"$PY" - "$RESULTS" "$N" "$(nproc)" <<'PY'
import re, statistics, sys
lines = open(sys.argv[1]).read().splitlines()
names = {"fast": "predict's scorer (flattened trees, batch)", "smile-row": "Smile per row (SmileScorer)",
         "smile-batch": "Smile batch predict (DataFrame)", "sklearn": "scikit-learn predict_proba (n_jobs=-1)",
         "predict-job": "whole predict job (predict.jar, fast scorer)"}
runs = {}
for line in lines:
    m = re.match(r"(\w+) round=\d+ scorer=(\S+) .*wall_s=(\S+) cpu_s=(\S+) us_per_row=(\S+) cpu_us_per_row=(\S+)", line)
    if m:
        runs.setdefault((m[1], m[2]), []).append((float(m[5]), float(m[6])))
print(f"\n| model | scorer (N={int(sys.argv[2]):,} rows, {sys.argv[3]} cores, medians) | µs/row wall | µs/row CPU | rounds |")
print("|---|---|---|---|---|")
for (model, scorer), r in runs.items():
    print(f"| {model} | {names.get(scorer, scorer)} | {statistics.median(x[0] for x in r):.2f} |"
          f" {statistics.median(x[1] for x in r):.2f} | {len(r)} |")
for model in dict.fromkeys(k[0] for k in runs):
    med = {s: statistics.median(x[0] for x in r) for (mm, s), r in runs.items() if mm == model}
    if "fast" in med and "sklearn" in med:
        print(f"\n{model}: scikit-learn / predict's scorer = {med['sklearn'] / med['fast']:.2f}x (goal >= 2)", end="")
    if "fast" in med and "predict-job" in med:
        print(f"; whole job speed / scorer speed = {med['fast'] / med['predict-job']:.2f} (goal >= 0.8)", end="")
print()
for line in lines:
    if " round=" not in line:
        print("    " + line)
PY
