#!/usr/bin/env bash
# Prints the home of a JDK 25: $JAVA_HOME if it is one, else Temurin 25 where Debian puts it.
is_jdk25() { [ -x "$1/bin/javac" ] && "$1/bin/java" -version 2>&1 | grep -q 'version "25'; }
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
  if [ -n "$candidate" ] && is_jdk25 "$candidate"; then echo "$candidate"; exit 0; fi
done
echo "find-jdk: no JDK 25 found (looked at \$JAVA_HOME and /usr/lib/jvm/temurin-25-jdk-amd64); install Temurin 25 or set JAVA_HOME" >&2
exit 1
