#!/usr/bin/env bash
# Issue 20's bulkheads under load, on the gateway started with -Xmx256m (bench/README.md).
# Usage (from anywhere): bash bench/bulkheads.sh [--rows 200000] [--seconds 15] [--write]
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk pgbench; do
	command -v "$tool" >/dev/null || { echo "bench needs $tool: sudo apt-get install wrk postgresql-client" >&2; exit 1; }
done
./mvnw -B -q -DskipTests package
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime
# BulkheadBench extends Bench: compiled together (a single-file launch sees one file only)
rm -rf target/bench-classes
javac -nowarn -d target/bench-classes -cp "$(cat target/bench.classpath)" bench/Bench.java bench/BulkheadBench.java
java -cp "target/bench-classes:$(cat target/bench.classpath)" BulkheadBench "$@"
