#!/usr/bin/env bash
# Starts every real server the integration tests use, on loopback, and writes their endpoints as
# environment variables to testenv/run/env.sh (source it). Safe to rerun: running servers are reused.
#   testenv/up.sh      start;   testenv/down.sh   stop
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
run="${SCORELINE_TESTENV_RUN:-$here/run}"
mkdir -p "$run"
env_file="$run/env.sh"
: > "$env_file.tmp"

started() { echo "testenv: $1 at $2" >&2; }

s3=$("$here/s3/start.sh" "${SCORELINE_IT_S3_PORT:-19090}" "$run/s3" scoreline-it)
started "S3 (S3Mock)" "$s3"
printf 'export SCORELINE_IT_S3_ENDPOINT=%q\nexport SCORELINE_IT_S3_BUCKET=scoreline-it\n' "$s3" >> "$env_file.tmp"

redis=$("$here/redis/start.sh" "${SCORELINE_IT_REDIS_PORT:-16379}" "$run/redis")
started "Redis" "$redis"
printf 'export SCORELINE_IT_REDIS_URL=%q\n' "$redis" >> "$env_file.tmp"

if [ -x "$here/elasticsearch/start.sh" ]; then
  es9=$("$here/elasticsearch/start.sh" 9 "${SCORELINE_IT_ES9_PORT:-19200}" "$run/es9")
  started "Elasticsearch 9" "$es9"
  es8=$("$here/elasticsearch/start.sh" 8 "${SCORELINE_IT_ES8_PORT:-19280}" "$run/es8")
  started "Elasticsearch 8" "$es8"
  printf 'export SCORELINE_IT_ES9_URL=%q\nexport SCORELINE_IT_ES8_URL=%q\n' "$es9" "$es8" >> "$env_file.tmp"
fi

mv "$env_file.tmp" "$env_file"
echo "$env_file"
