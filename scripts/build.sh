#!/usr/bin/env bash
# Builds the jars into dist/: the three jobs and the real-time service serve.jar (tests skipped; `make test` runs them).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
JAVA_HOME="$(scripts/find-java.sh)" || exit 2
export JAVA_HOME
./mvnw -q -B package -DskipTests "$@"
ls -l dist/*.jar
# a cache made for the previous jars is ignored from now on: say so rather than lose its gain silently
if compgen -G 'dist/*.aot' >/dev/null; then echo "dist/*.aot were made for the previous jars: run scripts/build-aot.sh (make aot) again" >&2; fi
