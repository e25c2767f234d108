#!/usr/bin/env bash
# The smallest -Xmx each job needs for N demo-like documents (file store), and its peak RSS, wall and CPU time at
# that heap: a binary search over a ladder of heap sizes. Used for docs/running.md. Usage: bench/heap.sh [N] [work-dir]
set -euo pipefail
source "$(dirname "$0")/lib.sh"  # ROOT (the working directory), JAVA_HOME, JAVA
N=${1:-100000}
WORK=${2:-$ROOT/target/heap-$N}
LADDER=(32m 48m 64m 96m 128m 192m 256m 384m 512m 768m 1024m 1536m 2048m 3072m)
[ -f dist/predict.jar ] || scripts/build.sh >/dev/null
rm -rf "$WORK"; mkdir -p "$WORK"
STORE="$WORK/store"; DOCS="$WORK/documents.ndjson"
END="2026-11-25T10:00:00Z"
bench_training "$WORK/training.csv"
bench_documents "$DOCS" "$N"
"$JAVA" -jar dist/predict.jar train --data "$WORK/training.csv" --target churned --out "$WORK/model" 2>/dev/null
"$JAVA" -jar dist/predict.jar register --store "$STORE" --model-dir "$WORK/model" --model churn --model-version v1 --alias production 2>/dev/null

args() {
  case $1 in
    fetch) echo "--store $STORE --run-id heap-1 --source $DOCS --data-interval-end $END --progress-interval 0s" ;;
    predict) echo "--store $STORE --run-id heap-1 --model churn --progress-interval 0s" ;;
    publish) echo "--store $STORE --run-id heap-1 --progress-interval 0s" ;;
  esac
}
# try JOB HEAP: succeeds when the job does; leaves "wall user sys peak_kib" in $WORK/last
try() {
  # every publish try starts from the store as predict left it: once published the run is history, and publish on it
  # would only say so, at any heap
  if [ "$1" = publish ]; then rm -rf "$STORE"; cp -r "$WORK/scored" "$STORE"; fi
  # shellcheck disable=SC2046
  timeout 900 /usr/bin/time -f "%e %U %S %M" -o "$WORK/last" "$JAVA" "-Xmx$2" -jar "dist/$1.jar" $(args "$1") \
    >/dev/null 2>"$WORK/$1-$2.log"
}
echo "| job | documents | smallest -Xmx | peak RSS MiB | wall s | CPU s (user+sys) |"
echo "|---|---|---|---|---|---|"
for job in fetch predict publish; do
  [ "$job" != publish ] || cp -r "$STORE" "$WORK/scored"
  lo=0 hi=$(( ${#LADDER[@]} - 1 ))
  try "$job" "${LADDER[$hi]}" || { echo "$job fails even with ${LADDER[$hi]}" >&2; exit 1; }
  while (( lo < hi )); do
    mid=$(( (lo + hi) / 2 ))
    if try "$job" "${LADDER[$mid]}"; then hi=$mid; else lo=$(( mid + 1 )); fi
  done
  try "$job" "${LADDER[$hi]}"   # measured again at the smallest heap that works, and leaves the run's output for the next job
  read -r wall user sys kib < "$WORK/last"
  awk -v j="$job" -v n="$N" -v h="${LADDER[$hi]}" -v k="$kib" -v w="$wall" -v u="$user" -v s="$sys" \
    'BEGIN { printf "| %s | %d | %s | %.0f | %.1f | %.1f |\n", j, n, h, k / 1024, w, u + s }'
done
