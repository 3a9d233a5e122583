#!/usr/bin/env bash
# Renders the Kustomize base deploy/kubernetes (or an overlay given as the argument) with `kubectl kustomize`
# and checks every rendered object offline, without a cluster: against the Kubernetes API's OpenAPI schemas,
# strictly (no unknown fields), and against the project's policy (resources, probes, non-root, read-only root
# filesystem, at least 2 replicas, PDB and Service selectors that match the pods). The checker is
# deploy/kubernetes/validate/validate.js; its npm packages are pinned there (package-lock.json).
#
#   scripts/validate-kubernetes.sh                          # the base
#   scripts/validate-kubernetes.sh path/to/overlay          # an overlay of it
#
# Installs what is missing: kubectl (Debian's kubernetes-client) and Node.js (Debian's nodejs and npm), and the
# checker's npm packages into deploy/kubernetes/validate/node_modules (git-ignored).
# Exit status: 0 no problems, 1 problems found, 2 the manifests do not render, 3 a tool could not be installed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${1:-$root/deploy/kubernetes}"
checker="$root/deploy/kubernetes/validate"

apt_install() {
  local sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  { $sudo apt-get install -y --no-install-recommends "$@" >&2 \
    || { $sudo apt-get update >&2 && $sudo apt-get install -y --no-install-recommends "$@" >&2; }; } \
    || { echo "could not install $* with apt-get" >&2; exit 3; }
}

if ! command -v kubectl >/dev/null; then
  echo "kubectl is missing: installing Debian's kubernetes-client" >&2
  apt_install kubernetes-client
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "Node.js is missing: installing Debian's nodejs and npm" >&2
  apt_install nodejs npm
fi
if ! node -e 'process.exit(+process.versions.node.split(".")[0] >= 18 ? 0 : 1)'; then
  echo "the checker needs Node.js 18 or later; this is $(node --version)" >&2
  exit 3
fi

# the checker's packages, exactly as package-lock.json pins them; again whenever the lock file changes
if ! cmp -s "$checker/package-lock.json" "$checker/node_modules/.tributary-lock" 2>/dev/null; then
  # bounded waits: without the registry this fails within a minute instead of npm's default minutes
  (cd "$checker" && npm ci --no-audit --no-fund --silent --fetch-timeout=30000 --fetch-retries=1 >&2) \
    || { echo "could not install the checker's npm packages" >&2; exit 3; }
  cp "$checker/package-lock.json" "$checker/node_modules/.tributary-lock"
fi

rendered="$(mktemp)"
trap 'rm -f "$rendered"' EXIT
if ! kubectl kustomize "$target" >"$rendered"; then
  # `labels:` needs kustomize v4.1 or later (kubectl 1.22+); Debian bookworm's kubernetes-client 1.20 has v2
  echo "kubectl kustomize $target failed ($(kubectl version --client 2>/dev/null | tr '\n' ' '))" >&2
  exit 2
fi
echo "rendered $target with kubectl $(kubectl version --client 2>/dev/null | sed -n 's/^Client Version: //p;s/^Kustomize Version: / kustomize /p' | tr -d '\n')"
node "$checker/validate.js" "$rendered"
