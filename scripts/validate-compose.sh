#!/usr/bin/env bash
# Validates the compose stack without a Docker engine (none here or in CI):
#  1. `docker-compose config` renders docker-compose.yml, with and without `--profile observability`, lists the
#     expected services and publishes every port on 127.0.0.1 by default;
#  1b. safe defaults (check_safe_defaults): the demo renders in an empty environment (no `.env`), no variable it
#     reads is required or left without a default, Grafana has no admin/admin and no anonymous viewer unless
#     asked, its generated password is kept; the production-like override deploy/compose/production.yml refuses
#     to render without TRIBUTARY_CURSOR_SECRET and POSTGRES_PASSWORD and switches the gateway to `default`,
#     also through the COMPOSE_FILE of `.env.example`;
#  2. `promtool check config` accepts the Prometheus configuration and the rule files it loads, and the compose
#     file mounts each of those rule files where Prometheus looks for it;
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

# 1b. Safe defaults: the demo needs nothing, the production-like override needs every secret, Grafana has no
# admin/admin and no anonymous viewer by default. Prints its findings through ok/fail.
check_safe_defaults() {
	local out base=docker-compose.yml override=deploy/compose/production.yml
	# every variable the demo's file reads has a default: none is required (`:?`, `?`) or bare
	if out=$(python3 - "$base" <<'PY' 2>&1
import re, sys
text = "\n".join(line for line in open(sys.argv[1]).read().splitlines() if not line.lstrip().startswith("#"))
text = text.replace("$$", "")
bad = []
for match in re.finditer(r"\$\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)", text):
    name, rest = match.group(1) or match.group(3), match.group(2) or ""
    if not (rest.startswith(":-") or rest.startswith("-")):
        bad.append(name + (rest.split(" ")[0][:2] if rest else " (no default)"))
assert not bad, "variables without a default: " + ", ".join(bad)
PY
	); then ok "safe defaults: every variable docker-compose.yml reads has a default (none required)"; else fail "safe defaults: $out"; fi
	# the demo renders with an empty environment and no .env, and says nothing is missing
	COMPOSE_ARGS=(--profile observability config)
	if out=$(compose 2>&1 >"$work/demo.yml"); then
		if echo "$out" | grep -qi 'not set'; then fail "safe defaults: the demo renders, but warns: $out"; else ok "safe defaults: the demo renders with an empty environment and no .env, without a warning"; fi
	else fail "safe defaults: the demo does not render without .env: $out $(cat "$work/demo.yml")"; fi
	if out=$(python3 - "$work/demo.yml" <<'PY' 2>&1
import sys, yaml
services = yaml.safe_load(open(sys.argv[1]))["services"]
gateway, grafana = services["gateway"]["environment"], services["grafana"]["environment"]
assert gateway["SPRING_PROFILES_ACTIVE"] == "demo", "the gateway is always the demo in the base file"
assert "TRIBUTARY_CURSOR_SECRET" not in gateway, "the demo passes no cursor secret (it has its own)"
assert not services["postgres"].get("ports"), "PostgreSQL publishes no port"
assert str(grafana["GF_AUTH_ANONYMOUS_ENABLED"]).lower() == "false", "Grafana: no anonymous viewer by default"
assert "GF_SECURITY_ADMIN_PASSWORD" not in grafana, "Grafana: no admin password fallback in its environment"
assert grafana["GRAFANA_ADMIN_PASSWORD"] == "", "Grafana: no admin password by default"
script = services["grafana"]["entrypoint"][-1]
assert "admin" not in script.replace("admin-password", "").replace("user admin", "").replace("admin reset", ""), script
PY
	); then ok "safe defaults: demo gateway, no cursor secret passed, PostgreSQL unpublished, Grafana without anonymous viewer or admin/admin"; else fail "safe defaults: $out"; fi
	# Grafana's entrypoint script, run with a stand-in for its data folder and /run.sh
	if out=$(python3 - "$work/demo.yml" "$work" <<'PY' 2>&1
import os, re, subprocess, sys, yaml
# as the container gets it: the rendered file keeps compose's `$$` escapes
script = yaml.safe_load(open(sys.argv[1]))["services"]["grafana"]["entrypoint"][-1].replace("$$", "$")
data = os.path.join(sys.argv[2], "grafana-data")
os.makedirs(data, exist_ok=True)
script = script.replace("/var/lib/grafana", data).replace("exec /run.sh", "exec env")
def run(environment):
    return subprocess.run(["/bin/sh", "-c", script], env={"PATH": "/usr/bin:/bin", **environment},
                          capture_output=True, text=True, check=True).stdout
first = run({"GRAFANA_ADMIN_PASSWORD": ""})
path = os.path.join(data, ".admin-password")
password = open(path).read()
assert re.fullmatch(r"[A-Za-z0-9]{24}", password), "generated password: " + repr(password)
assert oct(os.stat(path).st_mode & 0o777) == "0o600", "generated password file is not private"
assert "GF_SECURITY_ADMIN_PASSWORD__FILE=" + path in first and password not in first.replace(
    "GF_SECURITY_ADMIN_PASSWORD__FILE=" + path, ""), "the generated password is passed by file, never printed"
assert "GRAFANA_ADMIN_PASSWORD" not in first, "GRAFANA_ADMIN_PASSWORD is not left in Grafana's environment"
run({"GRAFANA_ADMIN_PASSWORD": ""})
assert open(path).read() == password, "a restart keeps the generated password"
given = run({"GRAFANA_ADMIN_PASSWORD": "s3cret-of-my-own"})
assert "GF_SECURITY_ADMIN_PASSWORD=s3cret-of-my-own" in given and "__FILE" not in given, "a given password is used"
PY
	); then ok "safe defaults: Grafana generates a private admin password once and keeps it, or takes GRAFANA_ADMIN_PASSWORD"; else fail "safe defaults: Grafana entrypoint: $out"; fi
	# the production-like override requires the secrets, naming each
	local cursor=TRIBUTARY_CURSOR_SECRET=0123456789abcdef0123456789abcdef database=POSTGRES_PASSWORD=a-database-password
	COMPOSE_ARGS=(-f docker-compose.yml -f "$override" --profile observability config)
	if out=$(compose "$database" 2>&1); then fail "production override: rendered without TRIBUTARY_CURSOR_SECRET"; else
		echo "$out" | grep -q 'set TRIBUTARY_CURSOR_SECRET' && ok "production override: refuses to render without TRIBUTARY_CURSOR_SECRET, naming it" \
			|| fail "production override: failed without a cursor secret, but not naming it: $out"
	fi
	if out=$(compose "$cursor" 2>&1); then fail "production override: rendered without POSTGRES_PASSWORD"; else
		echo "$out" | grep -q 'set POSTGRES_PASSWORD' && ok "production override: refuses to render without POSTGRES_PASSWORD, naming it" \
			|| fail "production override: failed without a database password, but not naming it: $out"
	fi
	if out=$(compose "$cursor" "$database" 2>&1 >"$work/production.yml"); then
		if out=$(python3 - "$work/production.yml" <<'PY' 2>&1
import sys, yaml
services = yaml.safe_load(open(sys.argv[1]))["services"]
gateway = services["gateway"]
environment = gateway["environment"]
assert environment["SPRING_PROFILES_ACTIVE"] == "default", "the gateway runs `default`"
assert environment["TRIBUTARY_CURSOR_SECRET"] == "0123456789abcdef0123456789abcdef", "cursor secret passed"
assert environment["SPRING_DATASOURCE_PASSWORD"] == "a-database-password", "the gateway's database password"
assert services["postgres"]["environment"]["POSTGRES_PASSWORD"] == "a-database-password", "PostgreSQL's password"
assert any(str(v).endswith(":/config:ro") or (isinstance(v, dict) and v.get("target") == "/config") for v in gateway["volumes"]), "config mounted"
for name, service in services.items():
    for port in service.get("ports", []):
        assert (port.get("host_ip") if isinstance(port, dict) else str(port).split(":")[0]) == "127.0.0.1", name + " beyond 127.0.0.1"
PY
		); then ok "production override: the gateway runs \`default\` with the given secrets and config/, ports on 127.0.0.1"; else fail "production override: $out"; fi
	else fail "production override: does not render with both secrets: $out"; fi
	# .env.example, copied to .env with the secrets filled in, selects the override by itself (COMPOSE_FILE)
	sed -e "s|^TRIBUTARY_CURSOR_SECRET=.*|$cursor|" -e "s|^POSTGRES_PASSWORD=.*|$database|" .env.example > "$work/project/.env"
	COMPOSE_ARGS=(config)
	if out=$(compose 2>&1 >"$work/dotenv.yml") \
		&& python3 -c 'import sys, yaml; assert yaml.safe_load(open(sys.argv[1]))["services"]["gateway"]["environment"]["SPRING_PROFILES_ACTIVE"] == "default"' "$work/dotenv.yml" 2>/dev/null; then
		ok ".env.example: copied to .env with the two secrets filled in, selects the production-like override"
	else fail ".env.example as .env: $out"; fi
	cp .env.example "$work/project/.env"
	if out=$(compose 2>&1); then fail ".env.example as .env, secrets left empty: rendered"; else ok ".env.example as .env, secrets left empty: compose refuses, naming the first missing one"; fi
	rm -f "$work/project/.env"
	# .env.example documents every variable the two files read
	local undocumented=0 variable
	for variable in $(grep -hoE '\$\{[A-Z_]+' "$base" "$override" | cut -c3- | sort -u); do
		grep -qE "^#? ?$variable=" .env.example || { fail ".env.example does not document $variable"; undocumented=1; }
	done
	[ "$undocumented" = 1 ] || ok ".env.example: documents every variable docker-compose.yml and $override read"
}

# Every rule file prometheus.yml loads is mounted beside it by the compose file's Prometheus service, so the
# container loads what promtool checked.
check_rule_files_mounted() {
	local out
	if out=$(python3 - deploy/compose/prometheus/prometheus.yml "$work/rendered.yml" <<'PY' 2>&1
import os, sys, yaml
rule_files = yaml.safe_load(open(sys.argv[1])).get("rule_files") or []
volumes = yaml.safe_load(open(sys.argv[2]))["services"]["prometheus"].get("volumes", [])
targets = {}
for volume in volumes:
    if isinstance(volume, dict):
        targets[volume.get("target")] = volume.get("source", "")
    else:
        parts = str(volume).split(":")
        targets[parts[1]] = parts[0]
assert rule_files, "prometheus.yml loads no rule file"
for name in rule_files:
    target = name if name.startswith("/") else "/etc/prometheus/" + name
    assert target in targets, name + " is not mounted at " + target
    assert targets[target].endswith("deploy/compose/prometheus/" + os.path.basename(name)), name + " mounted from " + targets[target]
print(", ".join(rule_files))
PY
	); then ok "compose: Prometheus gets every rule file it loads ($out)"; else fail "compose: rule files: $out"; fi
}

# 1. compose: a throwaway environment instead of the user's .env
compose() { (cd "$work/project" && env -i PATH="$PATH" HOME="$work" "$@" docker-compose "${COMPOSE_ARGS[@]}"); }
mkdir -p "$work/project" && cp -r docker-compose.yml Dockerfile deploy "$work/project/"
COMPOSE_ARGS=(--profile observability config)
rendered=$(compose 2>&1) || { fail "docker-compose --profile observability config: $rendered"; rendered='services: {}'; }
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
check_safe_defaults

# 2. Prometheus: the key file compose writes, here a throwaway one; the rule files it loads beside it, as the
# container sees them
echo -n demo-key > "$work/key"
cp deploy/compose/prometheus/*.yml "$work/"
sed "s#/tmp/tributary-metrics-key#$work/key#" deploy/compose/prometheus/prometheus.yml > "$work/prometheus.yml"
if out=$(promtool check config "$work/prometheus.yml" 2>&1); then ok "promtool check config: prometheus.yml and the rule files it loads"; else fail "promtool: $out"; fi
check_rule_files_mounted

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
