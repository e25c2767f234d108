#!/usr/bin/env bash
# The quick start: builds if needed, generates sample data, trains and registers a model, then runs two
# fetch -> predict -> publish cycles on the local file store and shows what the backend would read.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
JAVA_HOME="$(scripts/find-java.sh)" || exit 2
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
DEMO="${DEMO_DIR:-$ROOT/demo-data}"
STORE="$DEMO/store"
DOCS="$DEMO/source/documents.ndjson"

if [ ! -f dist/fetch.jar ] || [ ! -f dist/predict.jar ] || [ ! -f dist/publish.jar ]; then
  echo "== building the jobs (first run only)"
  scripts/build.sh
fi

rm -rf "$DEMO"
mkdir -p "$DEMO/source"
# short JVMs: C1 only and the serial collector start and finish sooner on jobs this small
sample() { "$JAVA" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC demo/SampleData.java "$@"; }
job() { local jar=$1; shift; "$JAVA" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "dist/$jar.jar" "$@"; }
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

now=$(( $(date -u +%s) / 300 * 300 ))   # the last five-minute boundary, as Airflow would schedule
t1=$(iso $((now - 300))); t2=$(iso "$now")

echo "== 1. sample data: 5,000 labelled customers to train on, 20,000 documents in the source"
sample training "$DEMO/training.csv" 5000 7
sample documents "$DOCS" 0 20000 "$(iso $((now - 3 * 3600)))" "$(iso $((now - 600)))" 11

echo "== 2. train a random forest and register it as churn/v1, alias production"
job predict train --data "$DEMO/training.csv" --target churned --out "$DEMO/model"
job predict register --store "$STORE" --model-dir "$DEMO/model" --model churn --model-version v1 --alias production

cycle() {
  local run=$1 end=$2
  echo "== cycle $run (data interval end $end)"
  job fetch   --store "$STORE" --run-id "$run" --source "$DOCS" --data-interval-end "$end" 2>/dev/null
  job predict --store "$STORE" --run-id "$run" --model churn 2>/dev/null
  job publish --store "$STORE" --run-id "$run" 2>/dev/null
}
cycle "scheduled__$t1" "$t1"

echo "== the source changes: 1,000 new customers and 2,000 updated ones"
sample documents "$DOCS.new" 20000 1000 "$(iso $((now - 280)))" "$(iso $((now - 60)))" 12
cat "$DOCS.new" >> "$DOCS" && rm "$DOCS.new"
sample updates "$DOCS" 20000 2000 "$(iso $((now - 280)))" "$(iso $((now - 60)))" 13
cycle "scheduled__$t2" "$t2"

echo "== what the backend reads"
echo "$STORE/latest/manifest.json:"
cat "$STORE/latest/manifest.json"; echo
echo "first predictions in $STORE/latest/predictions.ndjson.gz:"
{ gzip -dc "$STORE/latest/predictions.ndjson.gz" || true; } | head -3   # gzip stops early on SIGPIPE: fine
echo "history kept under $STORE/runs/: $(ls "$STORE/runs" | tr '\n' ' ')"

scripts/demo-next.sh "$STORE" "scheduled__$t1"
