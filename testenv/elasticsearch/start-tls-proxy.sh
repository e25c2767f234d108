#!/usr/bin/env bash
# Puts a TLS-terminating proxy in front of an http backend (e.g. a node from start.sh), for tests of HTTPS.
#
#   start-tls-proxy.sh <backend-url> <tls-port> <work-dir>
#
# Generates (once per work-dir) a self-signed test CA and a server certificate for localhost / 127.0.0.1 / ::1 in
# <work-dir>/tls/, starts the proxy in the background (log <work-dir>/tls-proxy.log, pid <work-dir>/tls-proxy.pid),
# waits until it answers, and prints two lines on stdout:
#   url=https://127.0.0.1:<tls-port>
#   ca=<work-dir>/tls/ca.pem
# Also there: tls/truststore.p12 (the CA, for Java clients; password "changeit").
# Idempotent: if the proxy of <work-dir> already runs for the same backend and port, it prints the two lines again.
# The proxy is a small JDK-only Java program (launcher/ScorelineTlsProxy.java): no package to install.
#
# Environment (optional): SCORELINE_ES_JAVA_HOME (JDK 21+ to use), SCORELINE_ES_CACHE (cache of compiled classes),
#   SCORELINE_TLS_USE_KEYTOOL=1 (make the certificates with keytool even where openssl exists).
# shellcheck disable=SC2015 # "test && test || fail" chains are meant: the middle part is a test too
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
TESTENV_DIR="$(dirname "$SCRIPT_DIR")"
REPO_ROOT="$(dirname "$TESTENV_DIR")"

LOG_FILE=""
fail() {
  echo "error: $1" >&2
  if [ -n "$LOG_FILE" ] && [ -s "$LOG_FILE" ]; then
    echo "---- last 30 lines of $LOG_FILE ----" >&2
    tail -n 30 "$LOG_FILE" >&2
  fi
  exit 1
}
info() { echo "start-tls-proxy.sh: $*" >&2; }

[ $# -eq 3 ] || { echo "usage: $0 <backend-url> <tls-port> <work-dir>" >&2; exit 2; }
BACKEND_URL="${1%/}"; PORT="$2"; WORK_ARG="$3"
if [[ "$BACKEND_URL" =~ ^http://(\[[0-9a-fA-F:]+\]|[A-Za-z0-9._-]+)(:([0-9]+))?$ ]]; then
  BACKEND_HOST="${BASH_REMATCH[1]}"; BACKEND_PORT="${BASH_REMATCH[3]:-80}"
  BACKEND_HOST="${BACKEND_HOST#[}"; BACKEND_HOST="${BACKEND_HOST%]}"
else
  echo "error: backend-url must look like http://127.0.0.1:9250, got '$1'" >&2; exit 2
fi
[[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1024 ] && [ "$PORT" -le 65535 ] \
  || { echo "error: tls-port must be a number in 1024..65535, got '$PORT'" >&2; exit 2; }

mkdir -p "$WORK_ARG" || fail "cannot create work-dir $WORK_ARG"
WORK="$(cd "$WORK_ARG" && pwd -P)"
TLS_DIR="$WORK/tls"
PID_FILE="$WORK/tls-proxy.pid"
PROXY_LOG="$WORK/tls-proxy.log"
URL="https://127.0.0.1:$PORT"
CA_PEM="$TLS_DIR/ca.pem"
PASS=changeit

running_pid() {  # pid of the proxy started from this work-dir, if it still runs
  local pid; pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  ps -ww -o args= -p "$pid" 2>/dev/null | grep -F "ScorelineTlsProxy" | grep -qF "$TLS_DIR/" || return 1
  echo "$pid"
}
answers() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 --cacert "$CA_PEM" "$URL/" || true)" != "000" ]; }
print_result() { echo "url=$URL"; echo "ca=$CA_PEM"; }

if command -v flock >/dev/null 2>&1; then
  exec 9>"$WORK/.tls-proxy.lock"
  flock -w 120 9 || fail "another start-tls-proxy.sh holds $WORK/.tls-proxy.lock"
fi

if pid="$(running_pid)"; then
  if [ "$(cat "$WORK/tls-proxy.args" 2>/dev/null)" != "$PORT $BACKEND_URL" ]; then
    fail "a TLS proxy (pid $pid, $(cat "$WORK/tls-proxy.args" 2>/dev/null)) already runs from $WORK; stop it first: $SCRIPT_DIR/stop-tls-proxy.sh $WORK"
  fi
  if answers; then print_result; exit 0; fi
  LOG_FILE="$PROXY_LOG"; fail "TLS proxy pid $pid of $WORK runs but does not answer on $URL"
fi
rm -f "$PID_FILE"
(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && fail "port $PORT on 127.0.0.1 is already in use by another process"
(exec 3<>"/dev/tcp/$BACKEND_HOST/$BACKEND_PORT") 2>/dev/null || fail "backend $BACKEND_URL does not accept connections; start it first"

# ---------------------------------------------------------------- Java
if [ -n "${SCORELINE_ES_JAVA_HOME:-}" ]; then
  JAVA_HOME="$SCORELINE_ES_JAVA_HOME"
else
  JAVA_HOME="$("$REPO_ROOT/scripts/find-java.sh")" || fail "no JDK >= 21 found (scripts/find-java.sh); set JAVA_HOME"
fi
KEYTOOL="$JAVA_HOME/bin/keytool"
[ -x "$JAVA_HOME/bin/javac" ] && [ -x "$KEYTOOL" ] || fail "$JAVA_HOME is not a JDK (javac and keytool needed)"

# ---------------------------------------------------------------- certificates (once per work-dir)
# openssl when present (fast; Debian has it wherever ca-certificates is), else the JDK's keytool (slower: one JVM per
# step). Either way: ca.pem, server.p12 (key + chain, password changeit); the proxy adds truststore.p12.
gen_with_openssl() {
  cat > "$TLS_DIR/openssl.cnf" <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_ca]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[v3_server]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
  local c="$TLS_DIR/openssl.cnf" o="$TLS_DIR/openssl.log"
  { openssl req -x509 -config "$c" -extensions v3_ca -newkey rsa:2048 -nodes -sha256 -days 3650 \
      -subj "/O=Scoreline testenv/CN=Scoreline Test CA" -keyout "$TLS_DIR/ca.key" -out "$CA_PEM" \
    && openssl req -new -config "$c" -newkey rsa:2048 -nodes -sha256 \
      -subj "/O=Scoreline testenv/CN=localhost" -keyout "$TLS_DIR/server.key" -out "$TLS_DIR/server.csr" \
    && openssl x509 -req -sha256 -days 825 -in "$TLS_DIR/server.csr" -CA "$CA_PEM" -CAkey "$TLS_DIR/ca.key" \
      -set_serial "0x$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" -extfile "$c" -extensions v3_server -out "$TLS_DIR/server.pem" \
    && openssl pkcs12 -export -name server -in "$TLS_DIR/server.pem" -inkey "$TLS_DIR/server.key" -certfile "$CA_PEM" \
      -passout "pass:$PASS" -out "$TLS_DIR/server.p12"; } >"$o" 2>&1 \
    || { LOG_FILE="$o"; fail "openssl could not make the test certificates (see $o)"; }
  rm -f "$TLS_DIR/server.csr"
}
gen_with_keytool() {
  local o="$TLS_DIR/keytool.log"
  kt() { "$KEYTOOL" "$@" >>"$o" 2>&1 || { LOG_FILE="$o"; fail "keytool $1 failed (see $o)"; }; }
  kt -genkeypair -alias ca -keyalg RSA -keysize 2048 -validity 3650 -dname "CN=Scoreline Test CA, O=Scoreline testenv" \
     -ext bc:c=ca:true,pathlen:0 -ext ku:c=keyCertSign,cRLSign \
     -keystore "$TLS_DIR/ca.p12" -storetype PKCS12 -storepass "$PASS"
  kt -exportcert -rfc -alias ca -keystore "$TLS_DIR/ca.p12" -storepass "$PASS" -file "$CA_PEM"
  kt -genkeypair -alias server -keyalg RSA -keysize 2048 -validity 825 -dname "CN=localhost, O=Scoreline testenv" \
     -keystore "$TLS_DIR/server.p12" -storetype PKCS12 -storepass "$PASS"
  kt -certreq -alias server -keystore "$TLS_DIR/server.p12" -storepass "$PASS" -file "$TLS_DIR/server.csr"
  kt -gencert -rfc -alias ca -keystore "$TLS_DIR/ca.p12" -storepass "$PASS" -validity 825 \
     -infile "$TLS_DIR/server.csr" -outfile "$TLS_DIR/server.pem" \
     -ext san=dns:localhost,ip:127.0.0.1,ip:::1 -ext ku:c=digitalSignature,keyEncipherment -ext eku=serverAuth
  kt -importcert -noprompt -alias ca -file "$CA_PEM" -keystore "$TLS_DIR/server.p12" -storepass "$PASS"
  kt -importcert -noprompt -alias server -file "$TLS_DIR/server.pem" -keystore "$TLS_DIR/server.p12" -storepass "$PASS"
  rm -f "$TLS_DIR/server.csr"
}
if [ ! -f "$TLS_DIR/.complete" ]; then
  info "generating a test CA and a server certificate in $TLS_DIR"
  rm -rf "$TLS_DIR"; mkdir -p "$TLS_DIR"
  if [ "${SCORELINE_TLS_USE_KEYTOOL:-0}" != 1 ] && command -v openssl >/dev/null 2>&1; then gen_with_openssl; else gen_with_keytool; fi
  touch "$TLS_DIR/.complete"
fi

# ---------------------------------------------------------------- proxy class (compiled once per source)
SRC="$SCRIPT_DIR/launcher/ScorelineTlsProxy.java"
CACHE_ROOT="${SCORELINE_ES_CACHE:-$TESTENV_DIR/.cache/elasticsearch}"
CLASSES="$CACHE_ROOT/tls-proxy-$(cksum < "$SRC" | cut -d' ' -f1)"
if [ ! -f "$CLASSES/ScorelineTlsProxy.class" ]; then
  mkdir -p "$CACHE_ROOT"; tmpc="$CLASSES.$$"; rm -rf "$tmpc"; mkdir -p "$tmpc"
  "$JAVA_HOME/bin/javac" --release 21 -d "$tmpc" "$SRC" >"$WORK/tls-proxy-javac.log" 2>&1 \
    || { LOG_FILE="$WORK/tls-proxy-javac.log"; fail "could not compile $SRC"; }
  rm -rf "$CLASSES"; mv "$tmpc" "$CLASSES"
fi

# ---------------------------------------------------------------- start
LOG_FILE="$PROXY_LOG"
: > "$PROXY_LOG"
echo "$PORT $BACKEND_URL" > "$WORK/tls-proxy.args"
SETSID=(); command -v setsid >/dev/null 2>&1 && SETSID=(setsid)
nohup "${SETSID[@]}" "$JAVA_HOME/bin/java" -Xms16m -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
  -cp "$CLASSES" ScorelineTlsProxy "$PORT" "$BACKEND_HOST" "$BACKEND_PORT" "$TLS_DIR/" \
  >>"$PROXY_LOG" 2>&1 </dev/null 9>&- &
PID=$!
echo "$PID" > "$PID_FILE"
for _ in $(seq 1 60); do
  kill -0 "$PID" 2>/dev/null || { rm -f "$PID_FILE"; fail "the TLS proxy exited during startup (see $PROXY_LOG)"; }
  if answers; then print_result; exit 0; fi
  sleep 0.5
done
kill -TERM "$PID" 2>/dev/null || true
fail "the TLS proxy did not answer on $URL within 30 s; it was sent SIGTERM"
