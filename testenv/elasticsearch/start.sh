#!/usr/bin/env bash
# Starts a real single-node Elasticsearch (8.x or 9.x) from Maven Central jars, without Docker.
#
#   start.sh <major: 8|9> <http-port> <work-dir>
#
# On success prints exactly one line on stdout, the node's URL (http://127.0.0.1:<port>), and exits 0.
# Idempotent: if the node of <work-dir> is already up and healthy it just prints the URL.
# On failure: one "error: ..." line on stderr (plus the last 30 lines of <work-dir>/es.log) and a non-zero exit.
#
# Environment (all optional):
#   SCORELINE_ES_VERSION        exact version to run (default 9.5.3 for major 9, 8.19.21 for major 8)
#   SCORELINE_ES_JAVA_HOME      JDK to run the node with (default: scripts/find-java.sh, i.e. a JDK >= 21)
#   SCORELINE_ES_HEAP           max heap (default 768m; the initial heap is 256m)
#   SCORELINE_ES_JAVA_OPTS      extra JVM options (after the defaults, so they win; e.g. -XX:TieredStopAtLevel=4)
#   SCORELINE_ES_SETTINGS       extra node settings, space-separated key=value pairs
#   SCORELINE_ES_START_TIMEOUT  seconds to wait for yellow health (default 120)
#   SCORELINE_ES_CACHE          where jars and the compiled launcher are cached (default testenv/.cache/elasticsearch)
# shellcheck disable=SC2015 # "test && test || fail" chains are meant: the middle part is a test too
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
TESTENV_DIR="$(dirname "$SCRIPT_DIR")"
REPO_ROOT="$(dirname "$TESTENV_DIR")"

LOG_FILE=""
fail() {  # $1 = one-line message
  echo "error: $1" >&2
  if [ -n "$LOG_FILE" ] && [ -s "$LOG_FILE" ]; then
    echo "---- last 30 lines of $LOG_FILE ----" >&2
    tail -n 30 "$LOG_FILE" >&2
  fi
  exit 1
}
info() { echo "start.sh: $*" >&2; }

[ $# -eq 3 ] || { echo "usage: $0 <major: 8|9> <http-port> <work-dir>" >&2; exit 2; }
MAJOR="$1"; PORT="$2"; WORK_ARG="$3"
case "$MAJOR" in
  9) DEFAULT_VERSION=9.5.3;   JAVAC_RELEASE=21 ;;
  8) DEFAULT_VERSION=8.19.21; JAVAC_RELEASE=17 ;;
  *) echo "error: major must be 8 or 9, got '$MAJOR'" >&2; exit 2 ;;
esac
[[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1024 ] && [ "$PORT" -le 65535 ] \
  || { echo "error: http-port must be a number in 1024..65535, got '$PORT'" >&2; exit 2; }
VERSION="${SCORELINE_ES_VERSION:-$DEFAULT_VERSION}"
[[ "$VERSION" == "$MAJOR".* ]] || { echo "error: SCORELINE_ES_VERSION=$VERSION is not a $MAJOR.x version" >&2; exit 2; }
TIMEOUT="${SCORELINE_ES_START_TIMEOUT:-120}"
URL="http://127.0.0.1:$PORT"

mkdir -p "$WORK_ARG" || fail "cannot create work-dir $WORK_ARG"
WORK="$(cd "$WORK_ARG" && pwd -P)"
ES_LOG="$WORK/es.log"   # LOG_FILE (shown by fail) is set only once the log says something about the failure
PID_FILE="$WORK/es.pid"
HOME_DIR="$WORK/home"

healthy() {  # $1 = url; true when the cluster answers with status yellow or green
  curl -sf -o /dev/null --max-time 5 "$1/_cluster/health?wait_for_status=yellow&timeout=2s"
}
# prints the pid of the node started from this work-dir, if it is still running
running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid; pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  ps -ww -o args= -p "$pid" 2>/dev/null | grep -F "ScorelineEsNode" | grep -qF "$HOME_DIR" || return 1
  echo "$pid"
}
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# One start at a time per work-dir (a second caller waits, then finds the node up).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$WORK/.start.lock"
  flock -w 300 9 || fail "another start.sh holds $WORK/.start.lock for more than 300 s"
fi

# ---------------------------------------------------------------- already running?
if pid="$(running_pid)"; then
  prev_port="$(cat "$WORK/es.port" 2>/dev/null || echo '?')"
  prev_version="$(cat "$WORK/es.version" 2>/dev/null || echo '?')"
  if [ "$prev_port" != "$PORT" ] || [ "$prev_version" != "$VERSION" ]; then
    fail "a node (Elasticsearch $prev_version, port $prev_port, pid $pid) already runs from $WORK; stop it first: $SCRIPT_DIR/stop.sh $WORK"
  fi
  for _ in $(seq 1 "$TIMEOUT"); do
    if healthy "$URL"; then echo "$URL"; exit 0; fi
    running_pid >/dev/null || break
    sleep 1
  done
  LOG_FILE="$ES_LOG"
  fail "node pid $pid from $WORK runs but $URL is not healthy"
fi
rm -f "$PID_FILE"

if [ -f "$WORK/es.version" ] && [ -d "$WORK/data" ] && [ "$(cat "$WORK/es.version")" != "$VERSION" ]; then
  fail "$WORK/data holds data of Elasticsearch $(cat "$WORK/es.version"), not $VERSION; use another work-dir or delete $WORK/data"
fi
if port_in_use "$PORT"; then
  fail "port $PORT on 127.0.0.1 is already in use by another process"
fi

# ---------------------------------------------------------------- Java
if [ -n "${SCORELINE_ES_JAVA_HOME:-}" ]; then
  JAVA_HOME="$SCORELINE_ES_JAVA_HOME"
else
  JAVA_HOME="$("$REPO_ROOT/scripts/find-java.sh")" || fail "no JDK >= 21 found (scripts/find-java.sh); set JAVA_HOME or SCORELINE_ES_JAVA_HOME"
fi
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"; JAVAC="$JAVA_HOME/bin/javac"
[ -x "$JAVA" ] && [ -x "$JAVAC" ] || fail "$JAVA_HOME is not a JDK (java and javac needed)"

# ---------------------------------------------------------------- artifacts (cached)
CACHE_ROOT="${SCORELINE_ES_CACHE:-$TESTENV_DIR/.cache/elasticsearch}"
DIST="$CACHE_ROOT/$VERSION"        # lib/ = server jars (module path), netty4/ = the transport-netty4 module
mkdir -p "$CACHE_ROOT"
fetch_artifacts() {
  local tmp="$CACHE_ROOT/.fetch-$VERSION.$$" fetch_log="$CACHE_ROOT/fetch-$VERSION.log"
  rm -rf "$tmp"; mkdir -p "$tmp/all" "$tmp/lib" "$tmp/netty4"
  info "fetching Elasticsearch $VERSION from Maven Central (first use only; log: $fetch_log)"
  if ! "$REPO_ROOT/mvnw" -B -ntp -f "$SCRIPT_DIR/pom-es$MAJOR.xml" -Des.version="$VERSION" \
        dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp/all" >"$fetch_log" 2>&1; then
    rm -rf "$tmp"
    LOG_FILE="$fetch_log"
    fail "could not fetch Elasticsearch $VERSION with Maven (see $fetch_log)"
  fi
  local jar name
  for jar in "$tmp"/all/*.jar; do
    name="$(basename "$jar")"
    case "$name" in
      netty-*.jar|transport-netty4-*.jar) mv "$jar" "$tmp/netty4/" ;;  # only in the module dir, or jar hell
      *) mv "$jar" "$tmp/lib/" ;;
    esac
  done
  [ -f "$tmp/lib/elasticsearch-$VERSION.jar" ] && [ -f "$tmp/netty4/transport-netty4-$VERSION.jar" ] \
    || { rm -rf "$tmp"; fail "Maven did not deliver elasticsearch-$VERSION.jar and transport-netty4-$VERSION.jar"; }
  (cd "$tmp/netty4" && "$JAVA_HOME/bin/jar" xf "transport-netty4-$VERSION.jar" META-INF/es-plugins/transport-netty4/ \
     && mv META-INF/es-plugins/transport-netty4/* . && rm -rf META-INF)
  [ -f "$tmp/netty4/plugin-descriptor.properties" ] || { rm -rf "$tmp"; fail "no plugin-descriptor.properties in transport-netty4-$VERSION.jar"; }
  rm -rf "$tmp/all" "$DIST"
  mv "$tmp" "$DIST"
  touch "$DIST/.complete"
}
(  # one fetch per version at a time; fetch_artifacts reports its own errors
  if command -v flock >/dev/null 2>&1; then
    flock -w 600 8 || fail "waited 600 s for another start.sh fetching Elasticsearch $VERSION ($CACHE_ROOT/.lock-$VERSION)"
  fi
  [ -f "$DIST/.complete" ] || fetch_artifacts
) 8>"$CACHE_ROOT/.lock-$VERSION" || exit 1

MODULE_PATH="$(find "$DIST/lib" -maxdepth 1 -name '*.jar' | sort | tr '\n' ':')"

# ---------------------------------------------------------------- launcher (compiled per version and source)
SRC="$SCRIPT_DIR/launcher/ScorelineEsNode.java"
SRC_SUM="$(cksum < "$SRC" | cut -d' ' -f1)"
CLASSES="$DIST/launcher-$SRC_SUM-release$JAVAC_RELEASE"
if [ ! -f "$CLASSES/ScorelineEsNode.class" ]; then
  tmpc="$CLASSES.$$"; rm -rf "$tmpc"; mkdir -p "$tmpc"
  "$JAVAC" -nowarn --release "$JAVAC_RELEASE" -d "$tmpc" --module-path "$MODULE_PATH" --add-modules ALL-MODULE-PATH "$SRC" \
      >"$WORK/launcher-javac.log" 2>&1 \
    || { LOG_FILE="$WORK/launcher-javac.log"; fail "could not compile $SRC against Elasticsearch $VERSION"; }
  rm -rf "$CLASSES"; mv "$tmpc" "$CLASSES"
fi

# ---------------------------------------------------------------- home layout in the work-dir
rm -rf "${HOME_DIR:?}/modules" "${HOME_DIR:?}/plugins"
mkdir -p "$HOME_DIR/config" "$HOME_DIR/modules/transport-netty4" "$HOME_DIR/plugins" "$WORK/data" "$WORK/logs" "$WORK/tmp"
cp "$DIST"/netty4/* "$HOME_DIR/modules/transport-netty4/"
cp "$SCRIPT_DIR/config/log4j2.properties" "$HOME_DIR/config/log4j2.properties"
# Native access: Elasticsearch ships libzstd/libvec only in its distribution, not on Maven Central. The system's
# libzstd (Debian package libzstd1, always installed) serves the zstd codec (index.codec=best_compression); the native
# SIMD vector library is switched off (Java's vector API is used instead). Without zstd, native access stays off.
NATIVE_OPTS=(-Dorg.elasticsearch.nativeaccess.enableVectorLibrary=false)
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) PLATFORM=linux-x64 ;;
  Linux-aarch64|Linux-arm64) PLATFORM=linux-aarch64 ;;
  *) PLATFORM="" ;;
esac
ZSTD_LIB=""
if [ -n "$PLATFORM" ]; then
  for d in "/usr/lib/$(uname -m)-linux-gnu" "/lib/$(uname -m)-linux-gnu" /usr/lib64 /lib64 /usr/lib; do
    if [ -e "$d/libzstd.so.1" ]; then ZSTD_LIB="$d/libzstd.so.1"; break; fi
  done
fi
rm -rf "${HOME_DIR:?}/lib"
if [ -n "$ZSTD_LIB" ] && [ -e "$ZSTD_LIB" ]; then
  mkdir -p "$HOME_DIR/lib/platform/$PLATFORM"
  ln -s "$ZSTD_LIB" "$HOME_DIR/lib/platform/$PLATFORM/libzstd.so"
else
  info "no system libzstd.so.1 found: native access off, index.codec=best_compression will not work"
fi
[ "$MAJOR" -ge 9 ] && NATIVE_OPTS+=(--enable-native-access=org.elasticsearch.foreign)

echo "$VERSION" > "$WORK/es.version"
echo "$PORT" > "$WORK/es.port"
echo "$URL" > "$WORK/es.url"

# ---------------------------------------------------------------- start
# shellcheck disable=SC2054 # the commas belong to --enable-native-access
JVM_OPTS=(
  -Xms256m "-Xmx${SCORELINE_ES_HEAP:-768m}" -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow
  # C1 only: on a busy 2-core machine a node is ready sooner (no C2 compile threads competing) and uses ~40 MB less;
  # steady-state speed is lower. SCORELINE_ES_JAVA_OPTS=-XX:TieredStopAtLevel=4 restores the full JIT (last flag wins).
  -XX:TieredStopAtLevel=1
  -Dfile.encoding=UTF-8 -Djava.locale.providers=CLDR -Djava.io.tmpdir="$WORK/tmp"
  -Des.path.home="$HOME_DIR" -Des.networkaddress.cache.ttl=60 -Des.networkaddress.cache.negative.ttl=10
  -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true -Dlog4j2.formatMsgNoLookups=true
  -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true -Dio.netty.recycler.maxCapacityPerThread=0
  --enable-native-access=org.elasticsearch.nativeaccess,org.apache.lucene.core --add-modules=jdk.incubator.vector
  "${NATIVE_OPTS[@]}"
)
# shellcheck disable=SC2206 # word splitting of the user's extra options and settings is intended
EXTRA_OPTS=(${SCORELINE_ES_JAVA_OPTS:-})
# shellcheck disable=SC2206
EXTRA_SETTINGS=(${SCORELINE_ES_SETTINGS:-})

LOG_FILE="$ES_LOG"
info "starting Elasticsearch $VERSION on $URL (work-dir $WORK, log $LOG_FILE)"
: > "$LOG_FILE"
START_NS="$(date +%s%N)"
# setsid: the node gets its own session, so a Ctrl-C or the end of the caller does not take it down
SETSID=(); command -v setsid >/dev/null 2>&1 && SETSID=(setsid)
nohup "${SETSID[@]}" "$JAVA" "${JVM_OPTS[@]}" "${EXTRA_OPTS[@]}" \
  --module-path "$MODULE_PATH" --add-modules ALL-MODULE-PATH -cp "$CLASSES" \
  ScorelineEsNode "$HOME_DIR" "$WORK/data" "$WORK/logs" "$PORT" "scoreline-es$MAJOR" "${EXTRA_SETTINGS[@]}" \
  >>"$LOG_FILE" 2>&1 </dev/null 9>&- &
PID=$!
echo "$PID" > "$PID_FILE"

deadline=$(( $(date +%s) + TIMEOUT ))
while :; do
  if ! kill -0 "$PID" 2>/dev/null; then
    rm -f "$PID_FILE"
    cause="$(sed -n 's/.*scoreline-es: startup failed: //p' "$LOG_FILE" | tail -n 1 | cut -c1-300)"
    fail "Elasticsearch $VERSION exited during startup${cause:+: $cause} (see $LOG_FILE)"
  fi
  if healthy "$URL"; then break; fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    kill -TERM "$PID" 2>/dev/null || true
    fail "Elasticsearch $VERSION was not healthy (yellow) on $URL within $TIMEOUT s; it was sent SIGTERM"
  fi
  sleep 0.5
done
info "ready in $(( ($(date +%s%N) - START_NS) / 1000000 )) ms (pid $PID)"
echo "$URL"
