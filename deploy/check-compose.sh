#!/usr/bin/env bash
# Offline check of docker-compose.yml (CI runs it; no Docker engine needed): `docker-compose config` with secrets
# generated into a temporary folder (never the operator's deploy/secrets/), then the properties that keep the stack
# safe on a hostile network:
# - only comment-service's public port (8080) is published on every interface; every other published port (Mailpit's
#   UI, the scalable services' ephemeral ones) is bound to 127.0.0.1, and no management port (9080-9082) is published;
# - the services' health checks ask their management port inside the container;
# - Kafka's client listener requires SASL/SCRAM-SHA-512 (no PLAINTEXT listener but the controller's, on loopback) and
#   every service authenticates; MongoDB has a root password (from a file) and each service its own user and database;
# - no secret is written in docker-compose.yml, and no service runs the `local` profile.
# Needs docker-compose and python3 with PyYAML (Debian: docker-compose pulls python3-yaml in).
# Usage: deploy/check-compose.sh [COMPOSE_FILE]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
compose="${1:-$root/docker-compose.yml}"
command -v docker-compose > /dev/null || { echo "check-compose.sh: docker-compose not found" >&2; exit 2; }
. "$root/deploy/python-yaml.sh"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
bash "$root/deploy/generate-secrets.sh" "$out/secrets" > /dev/null
export TALKBACK_SECRETS_DIR="$out/secrets"
docker-compose -f "$compose" config -q
docker-compose -f "$compose" config > "$out/resolved.yml"

"$py" - "$compose" "$out/resolved.yml" <<'PY'
import re, sys, yaml

raw_path, resolved_path = sys.argv[1], sys.argv[2]
raw = yaml.safe_load(open(raw_path, encoding="utf-8"))
resolved = yaml.safe_load(open(resolved_path, encoding="utf-8"))
services = resolved.get("services", {})
apps = ["comment-service", "moderation-service", "notification-service"]
management = {"comment-service": 9080, "moderation-service": 9081, "notification-service": 9082}
problems = []

def ports(service):
    """(host_ip, published, target) for each published port, short or long syntax."""
    for p in services[service].get("ports", []) or []:
        if isinstance(p, dict):
            yield p.get("host_ip", ""), str(p.get("published", "")), int(str(p["target"]).split("/")[0])
        else:
            parts = str(p).split("/")[0].split(":")
            target = int(parts[-1])
            if len(parts) == 3:
                yield parts[0], parts[1], target
            elif len(parts) == 2:
                yield "", parts[0], target
            else:
                yield "", "", target

def env(service):
    e = services[service].get("environment", {}) or {}
    if isinstance(e, list):
        e = dict(x.split("=", 1) for x in e)
    return {k: "" if v is None else str(v) for k, v in e.items()}

for name in services:
    for host_ip, published, target in ports(name):
        public = name == "comment-service" and target == 8080
        if not public and host_ip != "127.0.0.1":
            problems.append(f"{name}: port {target} published on every interface (bind it to 127.0.0.1)")
        if target in management.values() or published in {str(p) for p in management.values()}:
            problems.append(f"{name}: management port {target} is published")
    profiles = env(name).get("SPRING_PROFILES_ACTIVE", "")
    if "local" in profiles.split(","):
        problems.append(f"{name}: runs the local profile")

for app in apps:
    if app not in services:
        problems.append(f"{app}: missing"); continue
    e = env(app)
    test = " ".join(map(str, (services[app].get("healthcheck") or {}).get("test", [])))
    if f"localhost:{management[app]}/actuator/health" not in test:
        problems.append(f"{app}: health check does not ask the management port {management[app]}: {test!r}")
    if not e.get("SPRING_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "").startswith("SASL_"):
        problems.append(f"{app}: Kafka client without SASL")
    if e.get("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM") != "SCRAM-SHA-512":
        problems.append(f"{app}: Kafka SASL mechanism is not SCRAM-SHA-512")
    if f'username="{app}"' not in e.get("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", ""):
        problems.append(f"{app}: no Kafka credentials of its own (SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG)")
    uri = e.get("SPRING_MONGODB_URI", "")
    if not re.match(rf"mongodb://{re.escape(app)}:[^@]+@", uri):
        problems.append(f"{app}: MongoDB URI without the service's own credentials")
    if e.get("MANAGEMENT_SERVER_PORT") != str(management[app]):
        problems.append(f"{app}: MANAGEMENT_SERVER_PORT is not {management[app]}")

databases = [re.sub(r"^.*/([^/?]+)(\?.*)?$", r"\1", env(a).get("SPRING_MONGODB_URI", "")) for a in apps if a in services]
if len(set(databases)) != len(databases):
    problems.append(f"services share a MongoDB database: {databases}")

kafka = env("kafka") if "kafka" in services else {}
listeners = kafka.get("KAFKA_LISTENERS", "")
protocols = dict(x.split(":", 1) for x in kafka.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "").split(",") if ":" in x)
for listener in filter(None, listeners.split(",")):
    lname, address = listener.split("://", 1)
    if protocols.get(lname, lname) in ("PLAINTEXT", "SSL") and not address.startswith("127.0.0.1:"):
        problems.append(f"kafka: unauthenticated listener {listener} reachable from other containers")
if "SCRAM-SHA-512" not in kafka.get("KAFKA_SASL_ENABLED_MECHANISMS", ""):
    problems.append("kafka: SCRAM-SHA-512 not enabled")
scram_users = kafka.get("KAFKA_SCRAM_USERS", "").split()
for app in apps:
    if app not in scram_users:
        problems.append(f"kafka: no SCRAM user for {app}")

mongo = env("mongo") if "mongo" in services else {}
if not mongo.get("MONGO_INITDB_ROOT_PASSWORD_FILE") or "MONGO_INITDB_ROOT_PASSWORD" in mongo:
    problems.append("mongo: root password not from a file (MONGO_INITDB_ROOT_PASSWORD_FILE)")

mailpit = [h for h, _, _ in ports("mailpit")] if "mailpit" in services else []
if not mailpit or any(h != "127.0.0.1" for h in mailpit):
    problems.append("mailpit: its UI must be published on 127.0.0.1 only")

# No secret written in the file itself: such variables are absent, or taken from the environment (${...}).
secretish = re.compile(r"SECRET|PASSWORD|JAAS|SIGNING_KEY|TOKEN", re.I)
for name, svc in (raw.get("services") or {}).items():
    e = svc.get("environment") or {}
    items = e.items() if isinstance(e, dict) else (x.split("=", 1) if "=" in x else (x, None) for x in e)
    for key, value in items:
        if secretish.search(key) and not key.endswith("_FILE") and value not in (None, "") \
                and not re.fullmatch(r"\$\{[^}]+\}", str(value)):
            problems.append(f"{name}: {key} has a literal value in {raw_path}")
    if re.search(r"password|secret", " ".join(map(str, svc.get("command") or [])), re.I):
        problems.append(f"{name}: a secret on the command line")

for p in problems:
    print(f"FAIL docker-compose.yml: {p}")
if problems:
    sys.exit(1)
print(f"ok   docker-compose.yml: {len(services)} services; public: comment-service:8080 only; Kafka SASL/SCRAM, "
      "MongoDB users per service, management ports unpublished, no secret in the file")
PY
