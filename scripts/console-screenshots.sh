#!/usr/bin/env bash
# Refreshes the console screenshots in docs/ (docs/console-*.png, shown in README.md and docs/console.md): runs the console's
# browser test against the demo's simulated upstreams with -Dconsole.screenshots, which saves each main view
# as the test reaches it (1280x800, and a phone width of 390x844). Needs Debian's chromium and chromium-driver
# (installed when missing and run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! { command -v chromium && command -v chromedriver; } >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
./mvnw -B -q test -Dtest=ConsoleBrowserTests -Dsurefire.failIfNoSpecifiedTests=false \
  -Dconsole.screenshots="$PWD/docs"
chmod 644 docs/console-*.png
ls -l docs/console-*.png
