# Sourced by the bench scripts: the repository root as the working directory, and a JDK >= 21 (JAVA_HOME, exported
# for the builds and tools they start, and JAVA).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAVA_HOME="$(scripts/find-java.sh)" || exit 2
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"

# The benchmarks' one data set (demo/SampleData.java, fixed seeds), so every script measures the same documents: the
# training rows, N documents updated over the day before the full load's end (2026-11-25T10:00:00Z), and C changes to
# them inside the next five-minute window (ending 10:05).
bench_training() { "$JAVA" demo/SampleData.java training "$1" 5000 1; }
bench_documents() { "$JAVA" demo/SampleData.java documents "$1" 0 "$2" 2026-11-24T10:00:00Z 2026-11-25T09:50:00Z 2; }
bench_changes() { "$JAVA" demo/SampleData.java updates "$1" "$2" "$3" 2026-11-25T09:59:40Z 2026-11-25T10:04:20Z 3; }
