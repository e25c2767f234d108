#!/usr/bin/env bash
# Makes the JDK's ahead-of-time cache of each job (JDK 25+, `-XX:AOTCacheOutput`): fetch.aot, predict.aot and
# publish.aot beside the jars, from one short training cycle on generated data (file source, file store, in a
# temporary folder). A job started with `-XX:AOTCache=<jars>/<job>.aot` finds its classes loaded and linked and its
# methods profiled, which saves about half a second of CPU per job and predict's warm-up (docs/running.md).
# A cache belongs to one jar (name, size, time stamp) and one JDK build: run this again after every new jar or JDK.
# On an older JDK it removes the caches and says so; the jobs run without them.
# Usage: scripts/build-aot.sh [JARS_DIR]   (default dist/; the folder the jobs run from, e.g. /opt/scoreline/jars)
# SCORELINE_AOT_ES_URL=http://host:9200: fetch's training run reads the changes from a throwaway index there
# (scoreline-aot-training-*, deleted afterwards) instead of a file, so its cache also holds the Elasticsearch client:
# give it a test or staging cluster when fetch reads Elasticsearch in production.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JARS="${1:-$ROOT/dist}"
[ -d "$JARS" ] || { echo "build-aot: $JARS is not a folder; give the one that holds fetch.jar, predict.jar and publish.jar" >&2; exit 2; }
JARS="$(cd "$JARS" && pwd)"
JAVA_HOME="$(cd "$ROOT" && scripts/find-java.sh)" || exit 2
JAVA="$JAVA_HOME/bin/java"
JDK=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
for job in fetch predict publish; do
  [ -f "$JARS/$job.jar" ] || { echo "build-aot: $JARS/$job.jar not found; build the jars first (scripts/build.sh)" >&2; exit 2; }
done
if [ "$JDK" -lt 25 ]; then
  # an older JVM refuses -XX:AOTCache outright, so no cache may stay behind for it to be offered
  rm -f "$JARS"/{fetch,predict,publish}.aot
  echo "build-aot: JDK $JDK has no ahead-of-time cache (needs 25 or newer): skipped; the jobs run without it" >&2
  exit 0
fi

WORK="$(mktemp -d)"
ES_URL="${SCORELINE_AOT_ES_URL:-}" INDEX="scoreline-aot-training-$$-$RANDOM"
cleanup() {
  rm -rf "$WORK" "$JARS"/.*.aot.tmp*
  [ -z "$ES_URL" ] || curl -s -o /dev/null -X DELETE "$ES_URL/$INDEX" || true
}
trap cleanup EXIT
STORE="$WORK/store"
gen() { "$JAVA" -XX:TieredStopAtLevel=1 "$ROOT/demo/SampleData.java" "$@"; }
gen training "$WORK/training.csv" 2000 1
gen documents "$WORK/documents.ndjson" 0 20000 2026-11-24T10:00:00Z 2026-11-25T09:50:00Z 2
gen updates "$WORK/changes.ndjson" 20000 5000 2026-11-25T09:59:40Z 2026-11-25T10:04:20Z 3
"$JAVA" -jar "$JARS/predict.jar" train --data "$WORK/training.csv" --target churned --out "$WORK/model" >/dev/null
"$JAVA" -jar "$JARS/predict.jar" register --store "$STORE" --model-dir "$WORK/model" --model churn \
  --model-version v1 --alias production >/dev/null

# One cycle: a full load makes the snapshot, then the incremental cycle every five minutes runs is the training run.
cycle() {  # run-id data-interval-end [JVM options, with {job} for the job's name]; fetch reads ${FROM[@]}
  local run=$1 end=$2 job; shift 2
  for job in fetch predict publish; do
    local args=(--store "$STORE" --run-id "$run")
    case $job in
      fetch) args+=("${FROM[@]}" --data-interval-end "$end") ;;
      predict) args+=(--model churn) ;;
    esac
    "$JAVA" "${@//\{job\}/$job}" -jar "$JARS/$job.jar" "${args[@]}" >/dev/null 2>"$WORK/job.log" \
      || { echo "build-aot: the training run of $job failed:" >&2; cat "$WORK/job.log" >&2; exit 1; }
  done
}
FROM=(--source "$WORK/documents.ndjson")
cycle full 2026-11-25T10:00:00Z
FROM=(--source "$WORK/changes.ndjson")
if [ -n "$ES_URL" ]; then
  sed 's/^/{"index":{}}\n/' "$WORK/changes.ndjson" > "$WORK/changes.bulk"
  curl -sSf -o /dev/null -H 'Content-Type: application/x-ndjson' --data-binary "@$WORK/changes.bulk" \
    "$ES_URL/$INDEX/_bulk?refresh=true" \
    || { echo "build-aot: could not write the training index to Elasticsearch at $ES_URL (SCORELINE_AOT_ES_URL)" >&2; exit 1; }
  FROM=(--es-url "$ES_URL" --index "$INDEX")
fi
# the cache is written under a temporary name and renamed, so a job never meets half a cache
cycle training 2026-11-25T10:05:00Z "-XX:AOTCacheOutput=$JARS/.{job}.aot.tmp"
for job in fetch predict publish; do mv "$JARS/.$job.aot.tmp" "$JARS/$job.aot"; done
echo "build-aot: $JARS/{fetch,predict,publish}.aot made with JDK $JDK ($(du -ch "$JARS"/{fetch,predict,publish}.aot | tail -1 | cut -f1)); rebuild after every new jar or JDK" >&2
