#!/usr/bin/env bash
# Prints the home of a JDK >= 21: JAVA_HOME first, then `java` on PATH, then the system's JVM folders.
# Usage: export JAVA_HOME="$(scripts/find-java.sh)" || exit 2
set -u
MIN=${SCORELINE_MIN_JAVA:-21}

major_of() {  # $1 = java home; prints its feature version, or nothing
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -1
}
usable() { [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && v=$(major_of "$1") && [ -n "$v" ] && [ "$v" -ge "$MIN" ]; }

candidates=()
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
if command -v java >/dev/null 2>&1; then
  candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
fi
for d in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home /opt/java/* /opt/jdk*; do
  [ -d "$d" ] && candidates+=("$d")
done
for c in "${candidates[@]}"; do
  if usable "$c"; then echo "$c"; exit 0; fi
done
echo "error: no JDK $MIN or newer found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm). Install a JDK $MIN+ and set JAVA_HOME." >&2
exit 2
