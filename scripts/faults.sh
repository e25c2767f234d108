#!/usr/bin/env bash
# The long forms of the fault suites, and one table of what they did (docs/reliability.md).
#   scripts/faults.sh                 start the test servers, run every suite, stop the servers
#   SCORELINE_FAULTS_KILLS=N          kills per store for the crash suite (default 260: >= 500 over two stores)
#   SCORELINE_FAULTS_KILLS_PER_JOB=N  kills of one attempt before its retry (default 4)
#   SCORELINE_FAULTS_SEED=N           seed of the random kill points (default 13)
#   SCORELINE_TEST_KEEP_SERVERS=1     use and keep servers already started (source testenv/run/env.sh first)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
JAVA_HOME="$(scripts/find-java.sh)" || exit 2
export JAVA_HOME
if [ -z "${SCORELINE_TEST_KEEP_SERVERS:-}" ]; then
    trap 'testenv/down.sh' EXIT
    # shellcheck disable=SC1090
    source "$(testenv/up.sh)"
fi

KILLS="${SCORELINE_FAULTS_KILLS:-260}"
KILLS_PER_JOB="${SCORELINE_FAULTS_KILLS_PER_JOB:-4}"
SEED="${SCORELINE_FAULTS_SEED:-13}"
TALLY="jobs/it/target/crash-suite.tsv"
REPORT="jobs/it/target/faults-report.txt"
started=$SECONDS
status=0

# Build the jars and the test classes once; each suite below then runs only its own tests.
./mvnw -B -ntp -q install -DskipTests

# --- crash suite (kill -9 of fetch, predict, publish, fallback; file store and S3) -------------------------------
rm -f "$TALLY"
crash_started=$SECONDS
./mvnw -B -ntp -q -pl jobs/it verify -Dtest='CrashSuiteTest,CrashSafetyTest' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dscoreline.crash.kills="$KILLS" -Dscoreline.crash.kills-per-job="$KILLS_PER_JOB" -Dscoreline.crash.seed="$SEED" \
    || status=1
crash_seconds=$((SECONDS - crash_started))

# --- poison suite (branch poison): hostile documents and models -----------------------------------------------
# POISON-SUITE: run its long form here (a case count setting) and append its rows to "$REPORT".

# --- outage suite, freshness simulation, secrets scan (branch faults-sim) --------------------------------------
# FAULTS-SIM-SUITES: run them here and append their rows to "$REPORT".

{
    echo "Crash suite (seed $SEED, $crash_seconds s):"
    printf '%-6s %-9s %-30s %6s %18s\n' store job phase kills "retries completed"
    if [ -f "$TALLY" ]; then
        awk -F'\t' '$2 != "reader" { k[$1"\t"$2"\t"$3] += $4; r[$1"\t"$2"\t"$3] += $5 }
            END { for (key in k) { split(key, f, "\t"); printf "%-6s %-9s %-30s %6d %18d\n", f[1], f[2], f[3], k[key], r[key] } }' \
            "$TALLY" | sort
        awk -F'\t' '$2 != "reader" { tk += $4; tr += $5 } $2 == "reader" && $3 == "reads" { reads += $4; viol += $5 }
            $2 == "reader" && $3 ~ /^torn/ { torn += $4 }
            END { printf "%-47s %6d %18d\nreader reads: %d, violations: %d, S3Mock torn reads skipped: %d\n", "total", tk, tr, reads, viol, torn }' "$TALLY"
    else
        echo "(no tally: the crash suite did not run to the end)"
    fi
    # POISON-SUITE / FAULTS-SIM-SUITES: their rows follow here.
    echo "suites: $([ "$status" -eq 0 ] && echo passed || echo FAILED); total $((SECONDS - started)) s"
} | tee "$REPORT"
exit "$status"
