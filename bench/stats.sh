#!/usr/bin/env bash
# The rollups against PostgreSQL's own aggregate (bench/README.md, `--stats-only`): ingest with the rollup
# triggers, their upkeep per statement, a rebuild, and stats at 8 and 32 clients.
# Usage (from anywhere): bash bench/stats.sh [--rows 1000000] [--seconds 20] [--write]
set -euo pipefail
exec bash "$(dirname "$0")/run.sh" --stats-only "$@"
