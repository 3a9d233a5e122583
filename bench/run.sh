#!/usr/bin/env bash
# The gateway against PostgreSQL's own limits (bench/README.md).
# Usage (from anywhere): bash bench/run.sh [--rows 1000000] [--seconds 20] [--write]
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk pgbench; do
	command -v "$tool" >/dev/null || { echo "bench needs $tool: sudo apt-get install wrk postgresql-client" >&2; exit 1; }
done
./mvnw -B -q -DskipTests package
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime
java -cp "$(cat target/bench.classpath)" bench/Bench.java "$@"
