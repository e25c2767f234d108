#!/usr/bin/env bash
# Stops the TLS proxy started by start-tls-proxy.sh from <work-dir>: SIGTERM, up to 10 s, then SIGKILL.
#
#   stop-tls-proxy.sh <work-dir>
#
# Exits 0 when the proxy is gone, including when nothing was running. Keeps the certificates in <work-dir>/tls/.
set -euo pipefail
ME="testenv/elasticsearch/stop-tls-proxy.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/stop-process.sh"

[ $# -eq 1 ] || { echo "usage: $ME <work-dir>" >&2; exit 2; }
[ -d "$1" ] || exit 0
WORK="$(cd "$1" && pwd -P)"
is_ours() { [[ "$(cmdline "$1")" == *ScorelineTlsProxy* && "$(cmdline "$1")" == *"$WORK/tls/"* ]]; }
stop_process "TLS proxy of $WORK" "$WORK/tls-proxy.pid" 10 is_ours
