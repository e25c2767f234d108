#!/usr/bin/env bash
# Starts a real S3-protocol server for tests: Adobe S3Mock (standalone jar, no Docker) on
# http://127.0.0.1:<http-port>, data under <work-dir>/s3-data, then creates the given buckets.
#
# Usage: testenv/s3/start.sh <http-port> <work-dir> [bucket...]
#   stdout: exactly one line, the endpoint URL (http://127.0.0.1:PORT); all else goes to stderr.
#   Files in <work-dir>: s3.pid, s3.port, s3.log, s3-data/ (wiped at each fresh start).
#   Idempotent: if an S3Mock started from this work-dir is already up on that port, it only
#   creates any missing buckets and prints the URL again.
#   First use fetches com.adobe.testing:s3mock:<version>:jar:exec from Maven Central through the
#   repo's ./mvnw into a cache dir, extracts it, and compiles the helper LoopbackHttpConnector.java.
# Env:
#   SCORELINE_S3MOCK_VERSION        default 5.2.0
#   SCORELINE_TESTENV_CACHE         cache root, default ${XDG_CACHE_HOME:-~/.cache}/scoreline-testenv
#   SCORELINE_S3_START_TIMEOUT      seconds to wait for the first answer, default 120
#   SCORELINE_S3MOCK_JVM_OPTS       default "-Dspring.mvc.async.request-timeout=3600000 -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
#   SCORELINE_S3MOCK_CDS            0 = no class-data-sharing archive (default 1)
#   JAVA_HOME                       honoured by scripts/find-java.sh (needs a JDK >= 21)
set -euo pipefail

ME="testenv/s3/start.sh"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
HOST=127.0.0.1
VERSION=${SCORELINE_S3MOCK_VERSION:-5.2.0}
CACHE=${SCORELINE_TESTENV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/scoreline-testenv}/s3mock-$VERSION
TIMEOUT=${SCORELINE_S3_START_TIMEOUT:-120}
JVM_OPTS=${SCORELINE_S3MOCK_JVM_OPTS:--Dspring.mvc.async.request-timeout=3600000 -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}

die() { echo "$ME: error: $*" >&2; exit 1; }
fail() { echo "$ME: error: $*" >&2; log_tail; exit 1; }   # error line first, then the log tail

[ $# -ge 2 ] || { echo "usage: $ME <http-port> <work-dir> [bucket...]" >&2; exit 2; }
PORT=$1
if ! [[ $PORT =~ ^[0-9]+$ ]] || [ "$PORT" -lt 1 ] || [ "$PORT" -gt 65535 ]; then die "port must be 1-65535, got '$PORT'"; fi
mkdir -p "$2" || die "cannot create work-dir '$2'"
WORK=$(cd "$2" && pwd)
shift 2
BUCKETS=("$@")
for b in ${BUCKETS[@]+"${BUCKETS[@]}"}; do
  [[ $b =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || die "invalid S3 bucket name '$b' (3-63 chars: a-z 0-9 . -)"
done

PIDFILE=$WORK/s3.pid
LOG=$WORK/s3.log
DATA=$WORK/s3-data
URL="http://$HOST:$PORT"
ROOT_ARG="--com.adobe.testing.s3mock.store.root=$DATA"   # also how we recognise our process

command -v curl >/dev/null 2>&1 || die "curl is required (apt-get install -y curl)"

log_tail() { [ -f "$LOG" ] && { echo "--- last lines of $LOG:" >&2; tail -n 25 "$LOG" >&2; }; return 0; }

proc_state() {  # one-letter process state; Z = zombie (dead, not yet reaped)
  if [ -r "/proc/$1/stat" ]; then sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f1; else ps -o stat= -p "$1" 2>/dev/null || true; fi
}
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null && [[ "$(proc_state "$1")" != Z* ]]; }
is_ours() {  # pids get reused: only trust a pid whose command line carries our data dir
  local cmd
  if [ -r "/proc/$1/cmdline" ]; then cmd=$(tr '\0' ' ' <"/proc/$1/cmdline"); else cmd=$(ps -o args= -p "$1" 2>/dev/null || true); fi
  cmd="$cmd "
  [[ $cmd == *"$ROOT_ARG "* ]]
}
# shellcheck disable=SC2016  # $0/$1 expand in the inner bash
port_busy() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$HOST" "$PORT" 2>/dev/null; }
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@" 2>/dev/null || true; }

stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do alive "$pid" || return 0; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
}

create_buckets() {
  local b code body
  body=$(mktemp)
  for b in ${BUCKETS[@]+"${BUCKETS[@]}"}; do
    code=$(curl -s -o "$body" -w '%{http_code}' --max-time 30 -X PUT "$URL/$b" || true)
    if [ "$code" = 200 ] || { [ "$code" = 409 ] && grep -q BucketAlreadyOwnedByYou "$body"; }; then
      continue
    fi
    echo "$ME: error: creating bucket '$b' failed: HTTP $code $(head -c 400 "$body")" >&2
    rm -f "$body"
    return 1
  done
  rm -f "$body"
}

# Serialises starts that share a work-dir, or the download cache. The fd is closed for java.
lock() {  # lock <fd> <file>
  command -v flock >/dev/null 2>&1 || return 0
  eval "exec $1>\"\$2\""
  flock -w 600 "$1" || die "timed out waiting for lock $2"
}

lock 9 "$WORK/.s3.lock"

# --- already running from this work-dir? -----------------------------------------------------------
if [ -f "$PIDFILE" ]; then
  OLD_PID=$(tr -dc '0-9' <"$PIDFILE" || true)
  if alive "$OLD_PID" && is_ours "$OLD_PID"; then
    OLD_PORT=$(cat "$WORK/s3.port" 2>/dev/null || true)
    [ "$OLD_PORT" = "$PORT" ] || die "an S3Mock from $WORK is already running on port ${OLD_PORT:-?} (pid $OLD_PID); stop it first: testenv/s3/stop.sh $WORK"
    [ "$(http_code "$URL/")" = 200 ] || die "S3Mock pid $OLD_PID from $WORK runs but does not answer on $URL; see $LOG or stop it: testenv/s3/stop.sh $WORK"
    create_buckets || exit 1
    echo "$URL"
    exit 0
  fi
  rm -f "$PIDFILE"   # stale
fi

port_busy && die "port $PORT on $HOST is already in use by another process"

# --- Java, S3Mock (fetched once, extracted), the loopback helper, a CDS archive (all cached) ------
JAVA_HOME=$("$REPO/scripts/find-java.sh") || die "no JDK >= 21 found (see scripts/find-java.sh)"
export JAVA_HOME
JAVA=$JAVA_HOME/bin/java
APP=$CACHE/app                       # the exec jar extracted by Spring Boot's jarmode tools
APP_JAR=$APP/s3mock-$VERSION-exec.jar  # thin jar: its manifest Class-Path lists lib/*.jar
SRC=$HERE/LoopbackHttpConnector.java
EXT=$CACHE/loopback-connector-$(cksum <"$SRC" | cut -d' ' -f1).jar

if [ ! -f "$APP/.complete" ] || [ ! -s "$EXT" ]; then
  mkdir -p "$CACHE"
  lock 8 "$CACHE/.lock"
  if [ ! -f "$APP/.complete" ]; then
    echo "$ME: fetching com.adobe.testing:s3mock:$VERSION (exec jar) from Maven Central..." >&2
    tmp=$(mktemp -d "$CACHE/.fetch.XXXXXX")
    if ! (cd "$REPO" && ./mvnw -B -q -N dependency:copy \
          "-Dartifact=com.adobe.testing:s3mock:$VERSION:jar:exec" "-DoutputDirectory=$tmp") \
          >"$tmp/mvn.log" 2>&1 9>&- 8>&-; then
      tail -n 25 "$tmp/mvn.log" >&2
      rm -rf "$tmp"
      die "could not fetch the S3Mock jar with $REPO/mvnw"
    fi
    # Extracted layout starts faster than the nested fat jar and lets the JVM's CDS archive work.
    if ! (cd "$tmp" && "$JAVA" -Djarmode=tools -jar "s3mock-$VERSION-exec.jar" extract --destination app) \
          >>"$tmp/mvn.log" 2>&1 9>&- 8>&-; then
      tail -n 25 "$tmp/mvn.log" >&2
      rm -rf "$tmp"
      die "could not extract the S3Mock jar"
    fi
    rm -rf "$APP"
    touch "$tmp/app/.complete"
    mv "$tmp/app" "$APP"
    rm -rf "$tmp"
  fi
  if [ ! -s "$EXT" ]; then
    # S3Mock's extra HTTP connector has no bind address (listens on all interfaces); this helper
    # binds it to loopback too. Compiled against the Spring/Tomcat jars that S3Mock ships.
    tmp=$(mktemp -d "$CACHE/.ext.XXXXXX")
    if ! (mkdir -p "$tmp/classes/META-INF" \
          && "$JAVA_HOME/bin/javac" --release 17 -nowarn -cp "$APP/lib/*" -d "$tmp/classes" "$SRC" \
          && printf '%s\n' 'org.springframework.context.ApplicationContextInitializer=scoreline.testenv.s3mock.LoopbackHttpConnector' >"$tmp/classes/META-INF/spring.factories" \
          && "$JAVA_HOME/bin/jar" cf "$tmp/ext.jar" -C "$tmp/classes" .) >"$tmp/build.log" 2>&1; then
      tail -n 25 "$tmp/build.log" >&2
      rm -rf "$tmp"
      die "could not compile $SRC"
    fi
    mv "$tmp/ext.jar" "$EXT"
    rm -rf "$tmp"
  fi
  exec 8>&-
fi

# Class-data-sharing archive, made by the first run (written when that JVM exits), then reused:
# roughly halves the start time. One per JDK build; a stale or damaged one is simply recreated.
CDS_OPTS=()
if [ "${SCORELINE_S3MOCK_CDS:-1}" != 0 ]; then
  JDK_ID=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$JAVA_HOME/release" 2>/dev/null || true)
  JDK_ID=${JDK_ID//[^A-Za-z0-9.+_-]/_}
  CDS_OPTS=(-XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=$CACHE/s3mock-jdk${JDK_ID:-unknown}.jsa")
fi

# --- start ----------------------------------------------------------------------------------------
rm -rf "$DATA"
mkdir -p "$DATA"
echo "$PORT" >"$WORK/s3.port"
: >"$LOG"
# Main Tomcat connector = plain HTTP on HOST:PORT (TLS off). S3Mock's always-present extra HTTP
# connector goes to a random port, bound to HOST as well by the helper jar.
# shellcheck disable=SC2086  # JVM_OPTS is a word list on purpose
nohup "$JAVA" $JVM_OPTS ${CDS_OPTS[@]+"${CDS_OPTS[@]}"} \
  "-Dscoreline.s3mock.extra-connector-address=$HOST" \
  -cp "$APP_JAR:$EXT" com.adobe.testing.s3mock.S3MockApplication \
  "--server.port=$PORT" "--server.address=$HOST" --server.ssl.enabled=false \
  --http.port=0 \
  "$ROOT_ARG" --com.adobe.testing.s3mock.store.retain-files-on-exit=true \
  --spring.main.banner-mode=off \
  </dev/null >>"$LOG" 2>&1 9>&- &
PID=$!
echo "$PID" >"$PIDFILE"

# S3Mock initialises lazily: the first ListBuckets also creates the store, so 200 means ready.
deadline=$((SECONDS + TIMEOUT))
while [ "$(http_code "$URL/")" != 200 ]; do
  if ! alive "$PID"; then
    rm -f "$PIDFILE"
    fail "S3Mock exited during startup (port $PORT)"
  fi
  if [ $SECONDS -ge $deadline ]; then
    stop_pid "$PID"; rm -f "$PIDFILE"
    fail "S3Mock did not answer on $URL within ${TIMEOUT}s"
  fi
  sleep 0.5
done
alive "$PID" || { rm -f "$PIDFILE"; fail "S3Mock exited right after answering (another server on port $PORT?)"; }

create_buckets || { log_tail; exit 1; }
echo "$URL"
