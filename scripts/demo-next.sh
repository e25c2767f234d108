#!/usr/bin/env bash
# The end of `make demo`: the run history, where rejected documents went, and what to try next, for a local store.
# Usage: scripts/demo-next.sh STORE_DIR ROLLBACK_RUN
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
STORE=$1 BACK=$2
JAVA="${JAVA_HOME:-$(scripts/find-java.sh)}/bin/java"

echo "== the run history: publish.jar runs"
"$JAVA" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar dist/publish.jar runs --store "$STORE"

echo "== rejected documents: kept with the reason, never dropped"
count() { { gzip -dc "$1" 2>/dev/null || true; } | grep -c . || true; }
example=""
for dir in "$STORE"/runs/*/; do
  for f in "$dir"fetch-rejected.ndjson.gz "$dir"rejected.ndjson.gz; do
    [ -f "$f" ] || continue
    n=$(count "$f")
    echo "  $f: $n documents"
    if [ -z "$example" ] && [ "$n" -gt 0 ]; then
      example=$({ gzip -dc "$f" 2>/dev/null || true; } | head -1)
      example_file=$f
    fi
  done
done
[ -n "$example" ] && echo "  for example: ${example:0:300}"

q() { printf '%q' "$1"; }
P="$(q "$JAVA") -jar dist/publish.jar"
echo "== what to try next"
echo "  $P status --store $(q "$STORE") --max-age 10m   # is latest/ fresh? exit 6 when not"
echo "  $P runs --store $(q "$STORE") --json            # the same history as JSON (docs/operations.md)"
echo "  $P rollback --store $(q "$STORE") --to $(q "$BACK")   # serve that run's snapshot again"
[ -n "$example" ] && echo "  gzip -dc $(q "$example_file") | head   # why documents were rejected"
exit 0
