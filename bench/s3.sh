#!/usr/bin/env bash
# Benchmark of the S3 store against a local S3Mock, in one invocation:
#  1. publish of a real run (demo documents through fetch and predict on S3) against a raw AWS SDK upload of the
#     same snapshot bytes (bench/S3RawUpload.java) and against publish on the file store, ROUNDS times each in
#     alternating order, medians. Every publish is the first of its run: each round copies the run into a fresh
#     prefix and a fresh file store. The SDK's request log splits publish's time.
#  2. model load (ModelRegistry.load) from S3 and from the file store (bench/S3ModelLoad.java).
# Prints Markdown tables (docs/benchmarks.md records them). Usage: bench/s3.sh [snapshot-size-MiB]
# Env: BENCH_ROUNDS (default 3), BENCH_HEAP (default -Xmx2g).
# shellcheck disable=SC2086  # $HEAP is a list of JVM options on purpose
set -euo pipefail
source "$(dirname "$0")/lib.sh"  # ROOT (the working directory), JAVA_HOME, JAVA
MIB=${1:-29}
N=$((MIB * 34500)) # a demo prediction gzips to ~30.4 bytes: 29 MiB is about 1,000,000 documents
ROUNDS=${BENCH_ROUNDS:-3}
HEAP=${BENCH_HEAP:--Xmx2g}
WORK=$ROOT/target/bench-s3
BUCKET=bench
RUN="s3://$BUCKET/run"
SDK_LOG=-Dorg.slf4j.simpleLogger.log.software.amazon.awssdk.request=debug # a line per request sent and answered
[ -f dist/publish.jar ] || scripts/build.sh >/dev/null
rm -rf "$WORK"; mkdir -p "$WORK"
RESULTS=$WORK/results
SNAPSHOT=$WORK/snapshot.ndjson.gz # publish's, for the raw upload
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

port=19590
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
trap 'testenv/s3/stop.sh "$WORK/s3"' EXIT
# testenv's JVM options, plus no 30 s limit on a GET: predict and publish stream their input for longer than that,
# and S3Mock (Tomcat's default async timeout) can cut the response: the job then fails with "Premature EOF".
export SCORELINE_S3MOCK_JVM_OPTS="-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dspring.mvc.async.request-timeout=1h"
URL=$(testenv/s3/start.sh "$port" "$WORK/s3" "$BUCKET")
export SCORELINE_S3_ENDPOINT=$URL SCORELINE_S3_PATH_STYLE=true SCORELINE_S3_REGION=us-east-1
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench # S3Mock takes any

echo "generating $N documents and a model; fetch and predict into $RUN..." >&2
bench_training "$WORK/training.csv"
bench_documents "$WORK/documents.ndjson" "$N"
"$JAVA" -jar dist/predict.jar train --data "$WORK/training.csv" --target churned --trees 100 --out "$WORK/model" >&2
for store in "$RUN" "$WORK/file-store"; do
  "$JAVA" -jar dist/predict.jar register --store "$store" --model-dir "$WORK/model" --model churn --model-version v1 --alias production >&2
done
"$JAVA" $HEAP -jar dist/fetch.jar --store "$RUN" --run-id bench-1 --source "$WORK/documents.ndjson" \
  --data-interval-end 2026-11-25T10:00:00Z >&2
"$JAVA" $HEAP -jar dist/predict.jar --store "$RUN" --run-id bench-1 --model churn >&2

# What publish reads, copied into a fresh prefix server-side (S3Mock needs no signature), and into a fresh file store.
copy_run() {
  for f in fetch.json predict.json predictions.ndjson.gz; do
    curl -fsS -o /dev/null -X PUT -H "x-amz-copy-source: /$BUCKET/run/runs/bench-1/$f" "$URL/$BUCKET/$1/runs/bench-1/$f"
    curl -fsS --create-dirs -o "$WORK/file-$1/runs/bench-1/$f" "$URL/$BUCKET/run/runs/bench-1/$f"
  done
}

# Sums the SDK's request times (sent .. answered, signing included) by what they were for; prints "metric seconds".
requests() {  # requests LOG PREFIX START_EPOCH
  awk -v p="$2" -v t0="$3" '
    function t(s) { return mktime(substr(s, 1, 4) " " substr(s, 6, 2) " " substr(s, 9, 2) " " substr(s, 12, 2) " " \
      substr(s, 15, 2) " " substr(s, 18, 2)) + substr(s, 21, 3) / 1000 }
    /Sending Request:/ { sent = t($0); if (!first) first = sent
      m = $0; sub(/.*httpMethod=/, "", m); sub(/,.*/, "", m); k = $0; sub(/.*encodedPath=/, "", k); sub(/,.*/, "", k) }
    /Received (successful|failed) response/ && sent { d = t($0) - sent; sent = 0
      if (k ~ /snapshot\.ndjson\.gz$/ && (m == "PUT" || m == "POST")) up += d
      else if (k ~ /latest\/predictions\.ndjson\.gz$/ || k ~ /snapshot\.ndjson\.gz$/) promote += d
      else other += d }
    END { printf "%s_first %.3f\n%s_upload %.3f\n%s_promote %.3f\n%s_other %.3f\n", p, first - t0, p, up, p, promote, p, other }
  ' "$1"
}

publish() {  # publish NAME STORE ROUND: the job's wall clock and, on S3, its requests
  local t0 t1
  t0=$(date +%s.%N)
  "$JAVA" $HEAP "$SDK_LOG" -jar dist/publish.jar --store "$2" --run-id bench-1 >/dev/null 2>"$WORK/$1-$3.log" \
    || { tail -n 5 "$WORK/$1-$3.log" >&2; exit 1; }
  t1=$(date +%s.%N)
  echo "$1_wall $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" >>"$RESULTS"
  case $2 in s3://*) requests "$WORK/$1-$3.log" "$1" "$t0" >>"$RESULTS" ;; esac
}
s3_publish() {
  publish publish "s3://$BUCKET/p$1" "$1"
  [ -f "$SNAPSHOT" ] || curl -fsS -o "$SNAPSHOT" "$URL/$BUCKET/p$1/runs/bench-1/snapshot.ndjson.gz"
}
file_publish() { publish file_publish "$WORK/file-p$1" "$1"; }

raw() {  # raw ROUND
  local out
  out=$("$JAVA" "$SDK_LOG" -cp dist/publish.jar bench/S3RawUpload.java "$SNAPSHOT" "$BUCKET" \
    "p$1/raw/snapshot.ndjson.gz" 2>"$WORK/raw-$1.log") || { tail -n 5 "$WORK/raw-$1.log" >&2; exit 1; }
  echo "raw_timed ${out##*seconds=}" >>"$RESULTS"
  requests "$WORK/raw-$1.log" raw 0 | grep raw_upload >>"$RESULTS"
}

for i in $(seq 1 "$ROUNDS"); do
  echo "round $i of $ROUNDS: publish on S3, raw upload, publish on the file store..." >&2
  copy_run "p$i"
  if [ $((i % 2)) = 1 ]; then s3_publish "$i"; raw "$i"; file_publish "$i"; else file_publish "$i"; raw "$i"; s3_publish "$i"; fi
done

echo "model loads..." >&2
file_load=$("$JAVA" -cp dist/predict.jar bench/S3ModelLoad.java "$WORK/file-store" churn v1 5)
s3_load=$("$JAVA" -cp dist/predict.jar bench/S3ModelLoad.java "$RUN" churn v1 5)

# what publish's requests leave of its wall clock, per round
rest=$(awk '$1 == "publish_wall" { w[++n] = $2 } $1 == "publish_upload" { u[n] = $2 } $1 == "publish_first" { f[n] = $2 }
       $1 == "publish_promote" { p[n] = $2 } $1 == "publish_other" { o[n] = $2 }
       END { for (i = 1; i <= n; i++) print "publish_rest", w[i] - f[i] - u[i] - p[i] - o[i] }' "$RESULTS")
echo "$rest" >>"$RESULTS"
median() { awk -v m="$1" '$1 == m { print $2 }' "$RESULTS" | sort -g | awk '{ a[NR] = $1 } END { print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
field() { echo "$1" | sed -n "s/.*$2=\([0-9.]*\).*/\1/p"; }
BYTES=$(stat -c %s "$SNAPSHOT")
RAW=$(median raw_upload)
row() {  # row LABEL SECONDS [vs-raw]: with vs-raw, MiB/s and the throughput ratio against the raw upload's requests
  awk -v l="$1" -v s="$2" -v b="$BYTES" -v r="$RAW" -v q="${3:-}" 'BEGIN {
    if (q) printf "| %s | %.2f | %.1f | %.2f |\n", l, s, b / s / 1048576, r / s; else printf "| %s | %.2f | - | - |\n", l, s }'
}

echo
printf '| S3 publish, S3Mock on loopback: %.1f MiB snapshot, %d documents, medians of %d rounds, %d cores | seconds | MiB/s | vs raw |\n' \
  "$(awk -v b="$BYTES" 'BEGIN { print b / 1048576 }')" "$N" "$ROUNDS" "$(nproc)"
echo "|---|---|---|---|"
row "raw SDK upload (S3RawUpload.java): its requests (baseline)" "$RAW" vs-raw
row "raw SDK upload: the whole timed upload, reading the file included" "$(median raw_timed)" vs-raw
row "publish: the snapshot's upload requests" "$(median publish_upload)" vs-raw
row "publish: whole job, wall clock" "$(median publish_wall)" vs-raw
row "- JVM start, options, S3 client, until the first request" "$(median publish_first)"
row "- promotion: HEAD and server-side copy to latest/" "$(median publish_promote)"
row "- other requests: manifests, predictions GET headers, state" "$(median publish_other)"
row "- the rest: reading the predictions, validating, merging, gzip, sha256" "$(median publish_rest)"
row "publish on the file store, same run: whole job, wall clock" "$(median file_publish_wall)" vs-raw
awk -v s="$(median publish_wall)" -v f="$(median file_publish_wall)" \
  'BEGIN { printf "\npublish, whole job: on S3 / on the file store = %.2f (time)\n", s / f }'
echo
echo "| model load, churn/v1 ($(field "$s3_load" bytes) bytes, ModelRegistry.load) | first load in a fresh JVM, ms | median of the next 5, ms |"
echo "|---|---|---|"
echo "| file store | $(field "$file_load" first_ms) | $(field "$file_load" median_ms) |"
echo "| S3 (S3Mock) | $(field "$s3_load" first_ms) | $(field "$s3_load" median_ms) |"
echo
echo "load average (1, 5, 15 min) at the start: $LOAD_BEFORE; at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
