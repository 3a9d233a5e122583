#!/usr/bin/env bash
# Text search for `q`: tsvector GIN vs pg_trgm GIN on 100k interactions (embedded PostgreSQL 17).
# Usage (from the repository root): bash bench/text-search.sh [-Drows=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime
java "$@" -cp "$(cat target/bench.classpath)" bench/TextSearchBench.java
