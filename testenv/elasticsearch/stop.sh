#!/usr/bin/env bash
# Stops the Elasticsearch node started by start.sh from <work-dir>: SIGTERM, up to 20 s, then SIGKILL.
#
#   stop.sh <work-dir>
#
# Exits 0 when the node is gone, including when nothing was running.
set -euo pipefail
ME="testenv/elasticsearch/stop.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/stop-process.sh"

[ $# -eq 1 ] || { echo "usage: $ME <work-dir>" >&2; exit 2; }
[ -d "$1" ] || exit 0
WORK="$(cd "$1" && pwd -P)"
is_ours() { [[ "$(cmdline "$1")" == *ScorelineEsNode* && "$(cmdline "$1")" == *"$WORK/home"* ]]; }
stop_process "Elasticsearch of $WORK" "$WORK/es.pid" 20 is_ours
