#!/usr/bin/env bash
# Lints the OpenAPI document with Spectral's OpenAPI rules and the OWASP API Security Top 10 ruleset, using the
# project's .spectral.yaml (every disabled rule is there with its reason). Needs Node 18+ and the npm registry.
#
#   scripts/lint-openapi.sh                      # the document the tests wrote: target/openapi.json
#   scripts/lint-openapi.sh http://localhost:8080/v3/api-docs
#
# `./mvnw verify` writes target/openapi.json and runs this script on it (OpenApiConformanceTests, when Node is
# installed). Exit status: 0 no errors, 1 errors found, 3 Spectral could not be installed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
document="${1:-$root/target/openapi.json}"
tools="$root/target/spectral"
mkdir -p "$tools"
if [[ ! -x "$tools/node_modules/.bin/spectral" ]]; then
  # bounded waits: without the registry this fails within a minute instead of npm's default minutes
  npm install --prefix "$tools" --no-audit --no-fund --silent --fetch-timeout=30000 --fetch-retries=1 \
    @stoplight/spectral-cli@6 @stoplight/spectral-owasp-ruleset@2 >&2 \
    || { echo "could not install Spectral from the npm registry" >&2; exit 3; }
fi
if [[ "$document" == http* ]]; then
  curl -fsS "$document" -o "$tools/openapi.json"
  document="$tools/openapi.json"
fi
# the ruleset is resolved next to the installed packages
cp "$root/.spectral.yaml" "$tools/.spectral.yaml"
exec "$tools/node_modules/.bin/spectral" lint "$document" --ruleset "$tools/.spectral.yaml" --fail-severity error
