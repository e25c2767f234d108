#!/usr/bin/env bash
# Stops the S3Mock that testenv/s3/start.sh started from <work-dir>. No-op if none is running.
# Leaves <work-dir>/s3-data and s3.log for inspection (the next start wipes s3-data).
# Usage: testenv/s3/stop.sh <work-dir>
set -euo pipefail

ME="testenv/s3/stop.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/stop-process.sh"
[ $# -eq 1 ] || { echo "usage: $ME <work-dir>" >&2; exit 2; }
[ -d "$1" ] || exit 0
WORK=$(cd "$1" && pwd)
PIDFILE=$WORK/s3.pid
[ -f "$PIDFILE" ] || exit 0
ROOT_ARG="--com.adobe.testing.s3mock.store.root=$WORK/s3-data"

is_ours() { [[ "$(cmdline "$1") " == *"$ROOT_ARG "* ]]; }  # Spring Boot stops gracefully on SIGTERM (~1-3 s)
stop_process "S3Mock of $WORK" "$PIDFILE" 30 is_ours
