#!/usr/bin/env bash
# Benchmark: tree ensembles trained in Python, registered with the scoreline package, scored on the same N rows
# (default 1,000,000) on the same cores by predict's scorer (the flattened trees, as predict's BatchScoring calls it on
# every core), by the model's own library (scikit-learn predict_proba with n_jobs=-1; XGBoost's / LightGBM's own
# predict_proba on all threads) and by Python onnxruntime on the same model.onnx; for a 100-tree random forest and
# 300-tree boosted models (scikit-learn, XGBoost, LightGBM), interleaved in rounds in one invocation. Wall and CPU time.
# Usage: bench/trees.sh [N] [work-dir]   BENCH_ROUNDS (default 3), BENCH_MODELS (default "rf gbm xgb lgbm"), BENCH_HEAP;
#        BENCH_BASELINE_JAR=old/predict.jar also times an older predict.jar's scorer in the same rounds (before/after)
set -euo pipefail
source "$(dirname "$0")/lib.sh"  # ROOT (the working directory), JAVA_HOME, JAVA
N=${1:-1000000}
WORK=${2:-$ROOT/target/bench-trees}
ROUNDS=${BENCH_ROUNDS:-3}
MODELS=${BENCH_MODELS:-rf gbm xgb lgbm}
HEAP=${BENCH_HEAP:--Xmx3g}
PY="$(python/venv.sh ${PYTHON_VENV_DIR:+"$PYTHON_VENV_DIR"} | tail -n1)/bin/python"
[ -f dist/predict.jar ] || scripts/build.sh >/dev/null
rm -rf "$WORK"; mkdir -p "$WORK"
RESULTS="$WORK/results.txt"

echo "training, registering and writing $N rows..." >&2
"$PY" bench/trees_bench.py prepare "$WORK" "$N" 2>&1 | grep -v Warning | tee "$WORK/prepare.log" >&2
for round in $(seq "$ROUNDS"); do
  for m in $MODELS; do
    echo "round $round, $m ($(uptime | sed 's/.*load/load/'))" >&2
    "$JAVA" $HEAP -cp dist/predict.jar bench/TreeBench.java "$WORK" "$m" 2>>"$WORK/java.log" | sed "s/^/$m round=$round /" | tee -a "$RESULTS" >&2
    if [ -n "${BENCH_BASELINE_JAR:-}" ]; then
      "$JAVA" $HEAP -cp "$BENCH_BASELINE_JAR" bench/TreeBench.java "$WORK" "$m" 2>/dev/null | sed "s/scorer=predict-/scorer=baseline-/; s/^/$m round=$round /" | tee -a "$RESULTS" >&2
    fi
    for what in sklearn native ort; do
      "$PY" bench/trees_bench.py score "$WORK" "$m" "$what" 2>/dev/null | sed "s/^/$m round=$round /" | tee -a "$RESULTS" >&2
    done
  done
done
sort -u "$WORK/java.log" >&2

"$PY" - "$RESULTS" "$N" "$(nproc)" <<'PY'
import re, statistics, sys
names = {"predict-fast-trees": "predict's scorer (flattened trees, all cores)", "predict-onnx-runtime": "predict's scorer (ONNX Runtime)",
         "sklearn": "scikit-learn predict_proba (n_jobs=-1)", "native": "the library's own predict_proba (all threads)",
         "ort": "Python onnxruntime (same model.onnx)", "baseline-fast-trees": "BENCH_BASELINE_JAR's scorer (before)"}
models = {"rf": "100-tree random forest (scikit-learn)", "gbm": "300-tree gradient boosting (scikit-learn)",
          "xgb": "300-tree XGBoost", "lgbm": "300-tree LightGBM"}
runs = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\w+) round=\d+ result scorer=(\S+) .*us_per_row=(\S+) cpu_us_per_row=(\S+)", line)
    if m:
        runs.setdefault((m[1], m[2]), []).append((float(m[3]), float(m[4])))
print(f"\n| model | scorer (N={int(sys.argv[2]):,} rows, {sys.argv[3]} cores, medians) | µs/row wall | µs/row CPU | rounds |")
print("|---|---|---|---|---|")
for (model, scorer), r in runs.items():
    print(f"| {models.get(model, model)} | {names.get(scorer, scorer)} | {statistics.median(x[0] for x in r):.2f} |"
          f" {statistics.median(x[1] for x in r):.2f} | {len(r)} |")
print()
for model in dict.fromkeys(k[0] for k in runs):
    fast = [v for (m, s), v in runs.items() if m == model and s.startswith("predict-")]
    if not fast:
        continue
    wall, cpu = statistics.median(x[0] for x in fast[0]), statistics.median(x[1] for x in fast[0])
    ratios = [f"{names.get(s, s).split(' (')[0]} {statistics.median(x[0] for x in r) / wall:.2f}x wall, {statistics.median(x[1] for x in r) / cpu:.2f}x CPU"
              for (m, s), r in runs.items() if m == model and not s.startswith("predict-")]
    print(f"{model}: predict's scorer is faster than " + "; ".join(ratios))
PY
