#!/usr/bin/env bash
# Serve's HTTP server choice, measured (docs/serve.md): the same trivial JSON endpoint on Helidon SE 4 and on
# Javalin 7 (Jetty 12), jar size and wrk latency, one after the other on this machine. Needs wrk (apt-get install wrk).
# Usage: bench/serve-http/run.sh [seconds per run, default 20] [connections, default 16]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SECONDS_PER_RUN="${1:-20}"
CONNECTIONS="${2:-16}"
JAVA_HOME="$("$ROOT/scripts/find-java.sh")"
export JAVA_HOME
command -v wrk >/dev/null || { echo "run.sh: needs wrk (apt-get install wrk)" >&2; exit 2; }
BODY="$(mktemp)"
trap 'rm -f "$BODY"' EXIT
printf 'wrk.method = "POST"\nwrk.body = "{\\"key\\":\\"user-1\\"}"\nwrk.headers["Content-Type"] = "application/json"\n' > "$BODY"
for server in helidon javalin; do
  other=$([ "$server" = helidon ] && echo JavalinMain.java || echo HelidonMain.java)
  "$ROOT/mvnw" -B -ntp -q -f "$HERE/pom.xml" clean package -P"$server" -Dexcluded="$other" >/dev/null
  cp "$HERE/target/$server.jar" "$HERE/target/$server-measured.jar"
  port=$((18500 + RANDOM % 400))
  "$JAVA_HOME/bin/java" -Xmx256m -jar "$HERE/target/$server-measured.jar" "$port" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -fs -XPOST -d '{"key":"w"}' "http://127.0.0.1:$port/rank" >/dev/null && break; sleep 0.1; done
  wrk -t1 -c"$CONNECTIONS" -d5s -s "$BODY" "http://127.0.0.1:$port/rank" >/dev/null   # warm-up: JIT
  echo "== $server: jar $(stat -c %s "$HERE/target/$server-measured.jar") bytes"
  wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s "$BODY" "http://127.0.0.1:$port/rank" \
    | grep -E "Requests/sec|^ +(50|90|99)%|Latency +[0-9]"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
