#!/usr/bin/env bash
# Benchmark: the same N rows (default 1,000,000) scored by predict.jar's ONNX scorer (the batch method, chunks of 8192),
# Python onnxruntime (same chunks) and the original scikit-learn pipeline's predict_proba (n_jobs=-1), interleaved over
# ROUNDS rounds (default 3) in one invocation; the model is a 100-tree random forest behind a one-hot encoder,
# registered with the scoreline package. Prints a Markdown table: median µs/row, wall and CPU (scoring only).
# Usage: bench/onnx.sh [N] [ROUNDS] [work-dir]      PYTHON_VENV_DIR=... to use another venv (python/venv.sh)
set -euo pipefail
source "$(dirname "$0")/lib.sh"  # ROOT (the working directory), JAVA_HOME, JAVA
N=${1:-1000000}
ROUNDS=${2:-3}
WORK=${3:-$ROOT/target/bench-onnx}
PY="$(python/venv.sh ${PYTHON_VENV_DIR:+"$PYTHON_VENV_DIR"} | tail -n1)/bin/python"
[ -f dist/predict.jar ] || scripts/build.sh >/dev/null
rm -rf "$WORK"; mkdir -p "$WORK"

echo "training, registering and writing $N rows..." >&2
"$PY" bench/onnx_bench.py prepare "$WORK" "$N" 2>"$WORK/prepare.log" || { cat "$WORK/prepare.log" >&2; exit 1; }
for round in $(seq "$ROUNDS"); do
  echo "round $round of $ROUNDS..." >&2
  "$JAVA" -Xmx3g -cp dist/predict.jar bench/OnnxBatchScoring.java "$WORK" 2>>"$WORK/java.log"
  "$PY" bench/onnx_bench.py ort "$WORK"
  "$PY" bench/onnx_bench.py sklearn "$WORK"
done | tee "$WORK/results.txt" >&2

"$PY" - "$WORK/results.txt" "$(nproc)" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, rows, wall, cpu = line.split()
    runs.setdefault(name, []).append((int(rows), float(wall), float(cpu)))
print(f"\n| scorer (same {next(iter(runs.values()))[0][0]:,} rows, {sys.argv[2]} cores, median of {len(next(iter(runs.values())))}) "
      "| µs/row wall | µs/row CPU | wall s (each round) |")
print("|---|---|---|---|")
base = statistics.median(w for _, w, _ in runs["sklearn-predict_proba"])
for name, rs in runs.items():
    wall, cpu = statistics.median(w for _, w, _ in rs), statistics.median(c for _, _, c in rs)
    rows = rs[0][0]
    print(f"| {name} | {wall / rows * 1e6:.2f} | {cpu / rows * 1e6:.2f} | {', '.join(f'{w:.1f}' for _, w, _ in rs)} |")
print("\nspeed-up over scikit-learn (wall): " + ", ".join(
    f"{name} {base / statistics.median(w for _, w, _ in rs):.2f}x" for name, rs in runs.items()))
PY
