#!/usr/bin/env bash
# Builds the three job jars into dist/ (tests skipped; `make test` runs them).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
JAVA_HOME="$(scripts/find-java.sh)" || exit 2
export JAVA_HOME
./mvnw -q -B package -DskipTests "$@"
ls -l dist/*.jar
