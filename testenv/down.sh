#!/usr/bin/env bash
# Stops what testenv/up.sh started.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
run="${SCORELINE_TESTENV_RUN:-$here/run}"
"$here/s3/stop.sh" "$run/s3" || true
"$here/redis/stop.sh" "$run/redis" || true
for es in es9 es8; do [ -d "$run/$es" ] && { "$here/elasticsearch/stop.sh" "$run/$es" || true; }; done
exit 0
