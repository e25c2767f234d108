#!/usr/bin/env bash
# The long forms of the fault suites, and one table of what they did (docs/reliability.md).
#   scripts/faults.sh                 start the test servers, run every suite, stop the servers
#   SCORELINE_FAULTS_KILLS=N          kills per store for the crash suite (default 260: >= 500 over two stores)
#   SCORELINE_FAULTS_KILLS_PER_JOB=N  kills of one attempt before its retry (default 4)
#   SCORELINE_FAULTS_SEED=N           seed of the random kill points (default 13)
#   SCORELINE_FAULTS_POISON_CASES=N   generated hostile documents (default 1000)
#   SCORELINE_FAULTS_CYCLES=N         five-minute cycles of the freshness simulation (default 24)
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

# Each suite: one Maven run of its own tests; its status and duration go to "$SUITES".
SUITES="jobs/it/target/faults-suites.tsv"
rm -f "$SUITES" "$TALLY" jobs/it/target/outage-suite.tsv jobs/it/target/kill-points.tsv jobs/it/target/poison-suite.tsv
suite() {  # suite NAME TESTS [maven options...]
    local name=$1 tests=$2 t=$SECONDS rc=0
    shift 2
    ./mvnw -B -ntp -q -pl jobs/it verify -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false "$@" || rc=1
    printf '%s\t%s\t%s\n' "$name" "$rc" "$((SECONDS - t))" >>"$SUITES"
    [ "$rc" -eq 0 ] || status=1
}

# kill -9 of fetch, predict, publish, fallback at random points (file store and S3), and before each write (S3)
suite crash 'CrashSuiteTest,CrashSafetyTest' -Dscoreline.crash.kills="$KILLS" \
    -Dscoreline.crash.kills-per-job="$KILLS_PER_JOB" -Dscoreline.crash.seed="$SEED"
suite kill-points WriteKillPointsTest -Dscoreline.killpoints=all
# hostile documents (fixed corpus + generated) and models
suite poison 'PoisonDocumentsTest,PoisonModelsTest' -Dpoison.cases="${SCORELINE_FAULTS_POISON_CASES:-1000}"
# Elasticsearch and S3 stopped, slowed, throttling mid-run; secrets scan of its logs, alerts and objects
suite outages OutageSuiteTest -Dscoreline.outages=all
suite secrets SecretsTest
# five-minute cycles on a simulated clock under a fault schedule (24: two hours, every fault; docs/freshness.md)
t=$SECONDS
python3 faults/freshness.py --cycles "${SCORELINE_FAULTS_CYCLES:-24}" --out jobs/it/target/freshness >/dev/null \
    && rc=0 || { rc=1; status=1; }
printf 'freshness\t%s\t%s\n' "$rc" "$((SECONDS - t))" >>"$SUITES"

{
    echo "scripts/faults.sh, $(date -u +%F), seed $SEED; $(nproc) cores"
    tallies=()
    for f in "$SUITES" "$TALLY" jobs/it/target/{kill-points,outage-suite,poison-suite}.tsv jobs/it/target/freshness/report.json; do
        [ -f "$f" ] && tallies+=("$f")
    done
    awk -F'\t' -f scripts/faults-table.awk "${tallies[@]}"
    echo
    echo "Crash suite by store, job and phase:"
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
    echo "suites: $([ "$status" -eq 0 ] && echo passed || echo FAILED); total $((SECONDS - started)) s"
} | tee "$REPORT"
exit "$status"
