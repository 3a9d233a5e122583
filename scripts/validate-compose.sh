#!/usr/bin/env bash
# Validates the compose stack without a Docker engine (none here or in CI):
#  1. `docker-compose config` renders docker-compose.yml, with and without `--profile observability`, lists the
#     expected services, publishes every port on 127.0.0.1 by default, and refuses to render without a cursor
#     secret;
#  2. `promtool check config` accepts the Prometheus configuration;
#  3. the Grafana provisioning files are YAML of the expected shape, and the dashboard is JSON with a fixed uid,
#     unique panel ids, every target on the provisioned datasource; every PromQL expression parses
#     (`promtool check rules` on a rule file made of them) and names only metrics the gateway exposes.
# Also: the gateway waits for a healthy PostgreSQL, the demo profile and demo metrics key are the defaults, and
# .env.example documents every variable docker-compose.yml reads.
# Installs what it needs when missing (Debian: docker-compose, prometheus for promtool, jq, python3-yaml).
# Usage: bash scripts/validate-compose.sh        exit 0 when everything holds, 1 otherwise
set -euo pipefail
cd "$(dirname "$0")/.."

need() {
	local tool=$1 package=$2
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "installing $package (for $tool)"
		apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null
	fi
}
need docker-compose docker-compose
need promtool prometheus
need jq jq
python3 -c 'import yaml' 2>/dev/null || need_yaml=1
if [ "${need_yaml:-0}" = 1 ]; then
	apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-yaml >/dev/null
fi

failures=0
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }
ok() { echo "ok    $*"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. compose: a throwaway environment instead of the user's .env
compose() { (cd "$work/project" && env -i PATH="$PATH" HOME="$work" "$@" docker-compose "${COMPOSE_ARGS[@]}"); }
mkdir -p "$work/project" && cp -r docker-compose.yml Dockerfile deploy "$work/project/"
secret=TRIBUTARY_CURSOR_SECRET=0123456789abcdef0123456789abcdef
COMPOSE_ARGS=(--profile observability config)
rendered=$(compose "$secret" 2>&1) || { fail "docker-compose --profile observability config: $rendered"; rendered='services: {}'; }
echo "$rendered" > "$work/rendered.yml"
profiles=$(python3 -c '
import sys, yaml
for name, service in sorted(yaml.safe_load(open(sys.argv[1]))["services"].items()):
    print(name, ",".join(service.get("profiles", [])) or "-")
' "$work/rendered.yml") || fail "compose: the rendered configuration is not what was expected"
[ "$(echo "$profiles" | tr '\n' ' ')" = "gateway - grafana observability postgres - prometheus observability " ] \
	&& ok "compose: gateway and postgres always; prometheus and grafana with --profile observability" \
	|| fail "compose: services and profiles: $profiles"
published=$(python3 -c '
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
for name, service in sorted(doc["services"].items()):
    for port in service.get("ports", []):
        if isinstance(port, dict):
            print(name, port.get("host_ip", "0.0.0.0"), port.get("published"), port.get("target"))
        else:
            print(name, port)
' "$work/rendered.yml") || fail "compose: the rendered configuration is not what was expected"
echo "$published" | sed 's/^/      /'
if echo "$published" | grep -v ' 127\.0\.0\.1' | grep -q .; then fail "compose: a port is published beyond 127.0.0.1"; else ok "compose: every published port is on 127.0.0.1"; fi
# the gateway, Prometheus and the dashboard agree: demo key by default
if out=$(python3 - "$work/rendered.yml" <<'PY' 2>&1
import sys, yaml
services = yaml.safe_load(open(sys.argv[1]))["services"]
gateway, prometheus = services["gateway"]["environment"], services["prometheus"]["environment"]
assert gateway["SPRING_PROFILES_ACTIVE"] == "demo", "the demo profile by default"
assert prometheus["TRIBUTARY_METRICS_API_KEY"] == "tributary-demo-key", "Prometheus defaults to the demo key"
assert "healthcheck" in services["postgres"], "postgres healthcheck"
assert services["gateway"]["depends_on"]["postgres"]["condition"] == "service_healthy", "gateway waits for postgres"
PY
); then ok "compose: demo profile and demo metrics key by default, gateway waits for a healthy postgres"; else fail "compose: $out"; fi
# .env.example documents every variable docker-compose.yml reads
undocumented=0
for variable in $(grep -oE '\$\{[A-Z_]+' docker-compose.yml | cut -c3- | sort -u); do
	grep -qE "^#? ?$variable=" .env.example || { fail ".env.example does not document $variable"; undocumented=1; }
done
[ "$undocumented" = 1 ] || ok ".env.example: documents every variable docker-compose.yml reads"
COMPOSE_ARGS=(config -q)
if out=$(compose 2>&1); then fail "compose: rendered without TRIBUTARY_CURSOR_SECRET"; else
	echo "$out" | grep -q TRIBUTARY_CURSOR_SECRET && ok "compose: refuses to start without TRIBUTARY_CURSOR_SECRET" \
		|| fail "compose: failed without a cursor secret, but not naming it: $out"
fi

# 2. Prometheus: the key file compose writes, here a throwaway one
echo -n demo-key > "$work/key"
sed "s#/tmp/tributary-metrics-key#$work/key#" deploy/compose/prometheus/prometheus.yml > "$work/prometheus.yml"
if out=$(promtool check config "$work/prometheus.yml" 2>&1); then ok "promtool check config: prometheus.yml"; else fail "promtool: $out"; fi

# 3. Grafana
for file in deploy/compose/grafana/provisioning/datasources/*.yml deploy/compose/grafana/provisioning/dashboards/*.yml; do
	if out=$(python3 - "$file" <<'PY' 2>&1
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
assert doc.get("apiVersion") == 1, "apiVersion must be 1"
items = doc.get("datasources") or doc.get("providers")
assert items, "no datasources or providers"
for item in items:
    assert item.get("name"), "an entry without a name"
    if "datasources" in doc:
        assert item.get("uid") == "prometheus" and item.get("type") == "prometheus" and item.get("url"), "datasource needs uid prometheus, type and url"
    else:
        assert item.get("options", {}).get("path") == "/etc/grafana/dashboards", "provider path"
PY
	); then ok "grafana provisioning: $file"; else fail "grafana provisioning $file: $out"; fi
done
dashboard=deploy/compose/grafana/dashboards/tributary.json
if ! jq -e . "$dashboard" >/dev/null 2>&1; then fail "dashboard: not JSON"; else
	jq -e '(.uid | type == "string" and length > 0) and (.title | length > 0) and (.schemaVersion >= 36)
		and (.panels | length > 0) and ([.panels[].id] | length == (unique | length))
		and all(.panels[]; (.type | length > 0) and (.title | length > 0) and (.gridPos.w > 0) and (.targets | length > 0)
			and all(.targets[]; (.expr | length > 0) and .datasource.uid == "prometheus"))' "$dashboard" >/dev/null \
		&& ok "dashboard: uid, title, $(jq '.panels | length' "$dashboard") panels with unique ids, every target on the provisioned datasource" \
		|| fail "dashboard: shape (uid, title, schemaVersion, unique panel ids, targets with expr and datasource uid prometheus)"
	jq -r '{groups: [{name: "dashboard", rules: [.panels[] | .targets[] | {record: "dashboard:expr", expr: .expr}]}]}' "$dashboard" > "$work/rules.json"
	python3 -c 'import json, sys, yaml; yaml.safe_dump(json.load(open(sys.argv[1])), open(sys.argv[2], "w"))' "$work/rules.json" "$work/rules.yml"
	if out=$(promtool check rules "$work/rules.yml" 2>&1); then ok "dashboard: every PromQL expression parses (promtool check rules)"; else fail "dashboard PromQL: $out"; fi
	# the metrics the gateway exposes (SandboxEndToEndTests scrapes them after a real sync, client
	# buckets included: application.yml turns them on)
	known="tributary_sync_lag_seconds tributary_sync_records_total tributary_sync_runs_seconds_count tributary_sync_runs_seconds_sum
		tributary_sync_runs_seconds_max tributary_sync_progress_items tributary_sync_progress_expected_items
		tributary_retention_deleted_total http_server_requests_seconds_bucket http_server_requests_seconds_count
		http_server_requests_seconds_sum http_client_requests_seconds_count http_client_requests_seconds_sum
		http_client_requests_seconds_bucket"
	for metric in $(jq -r '.panels[].targets[].expr' "$dashboard" | grep -oE '\b(tributary|http)_[a-z_]+' | sort -u); do
		if echo " $known " | tr -s ' \t\n' ' ' | grep -q " $metric "; then ok "dashboard metric $metric"; else fail "dashboard names $metric, which the gateway does not expose"; fi
	done
fi

if [ "$failures" -gt 0 ]; then echo "$failures problem(s)"; exit 1; fi
echo "compose stack, Prometheus and Grafana files: no problems"
