# Sourced by the bench scripts: the repository root as the working directory, and a JDK >= 21 (JAVA_HOME, exported
# for the builds and tools they start, and JAVA).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAVA_HOME="$(scripts/find-java.sh)" || exit 2
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
