#!/usr/bin/env bash
# Offline check of the Kustomize tree: builds the base and every overlay with `kubectl kustomize` (no cluster needed)
# and checks what keeps the deployment sound and safe on a hostile network:
# - every document has apiVersion, kind and metadata.name; every Deployment's containers have liveness and readiness
#   probes and cpu and memory requests and limits;
# - the probes and the Prometheus scrape annotation use the management port (9080-9082), not the public one;
# - a default-deny-ingress NetworkPolicy; the services' public ports only from the ingress namespace and their
#   management ports only from the monitoring namespace; Kafka and MongoDB (where an overlay runs them) only from the
#   three services (and KEDA, for Kafka); Mailpit's SMTP only from notification-service; notification-service's
#   egress: no ipBlock but public HTTPS (private, loopback and link-local ranges excepted);
# - Kafka clients (services, KEDA) authenticate with SASL/SCRAM-SHA-512; the overlay's broker has no unauthenticated
#   listener but its loopback controller, and MongoDB a root password from a file;
# - no Secret value is committed: no Secret document with data/stringData, no secretGenerator literals, nothing
#   tracked under a secrets/ folder. The local overlay's secrets are generated (deploy/generate-secrets.sh) into a
#   temporary copy of the tree, never into the working tree.
# Needs bash, kubectl (Debian: kubernetes-client) and python3 with PyYAML (Debian: python3-yaml).
# Usage: deploy/kubernetes/validate.sh [KUSTOMIZE_TREE]   (default: this folder)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tree="$(cd "${1:-$here}" && pwd)"
command -v kubectl > /dev/null || { echo "validate.sh: kubectl not found (apt-get install kubernetes-client)" >&2; exit 2; }
. "$here/../python-yaml.sh"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
failed=0

# Nothing secret committed (checked on the files themselves, before any secret is generated).
if ! "$py" - "$tree" <<'PY'
import os, subprocess, sys, yaml
tree = sys.argv[1]
try:
    files = subprocess.run(["git", "ls-files", "-z", "--", "."], cwd=tree, check=True, capture_output=True) \
        .stdout.decode().split("\0")
    files = [f for f in files if f]
except Exception:
    files = [os.path.relpath(os.path.join(d, f), tree) for d, _, fs in os.walk(tree) for f in fs
             if "/secrets" not in d and not d.endswith("secrets")]
problems = []
for f in files:
    if "secrets/" in f.replace(os.sep, "/"):
        problems.append(f"{f}: a file under a secrets/ folder is committed")
    if not f.endswith((".yaml", ".yml")):
        continue
    try:
        docs = list(yaml.safe_load_all(open(os.path.join(tree, f), encoding="utf-8")))
    except Exception as e:
        problems.append(f"{f}: not YAML ({e})"); continue
    for d in docs:
        if not isinstance(d, dict):
            continue
        if d.get("kind") == "Secret" and (d.get("data") or d.get("stringData")):
            problems.append(f"{f}: Secret {d.get('metadata', {}).get('name')} holds literal values")
        for g in d.get("secretGenerator") or []:
            if g.get("literals"):
                problems.append(f"{f}: secretGenerator {g.get('name')} holds literal values")
for p in problems:
    print(f"FAIL committed files: {p}")
print("ok   committed files: no Secret value" if not problems else f"FAIL committed files: {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
PY
then failed=1; fi

# A copy of the tree with generated secrets, so that the overlays that read them build.
mkdir -p "$out/tree"
(cd "$tree" && tar --exclude='./overlays/*/secrets' -cf - .) | (cd "$out/tree" && tar -xf -)
for overlay in "$out/tree"/overlays/*/; do
  if grep -q 'secrets/' "$overlay/kustomization.yaml" 2> /dev/null; then
    bash "$here/../generate-secrets.sh" "$overlay/secrets" > /dev/null
  fi
done

targets=("$out/tree/base")
for overlay in "$out/tree"/overlays/*/; do
  [ -f "$overlay/kustomization.yaml" ] && targets+=("${overlay%/}")
done

for target in "${targets[@]}"; do
  name="${target#"$out/tree"/}"
  file="$out/$(echo "$name" | tr / _).yaml"
  # The deprecation warnings of new kubectl (commonLabels, patchesStrategicMerge: kept for old kubectl) are noise.
  if ! kubectl kustomize "$target" > "$file" 2> "$file.err"; then
    echo "FAIL $name: kubectl kustomize failed"; grep -v '^# Warning' "$file.err" >&2 || true
    failed=1
    continue
  fi
  if "$py" - "$name" "$file" <<'PY'
import ipaddress, sys, yaml

name, path = sys.argv[1], sys.argv[2]
docs = [d for d in yaml.safe_load_all(open(path, encoding="utf-8")) if isinstance(d, dict)]
problems = []
APPS = {"comment-service": (8080, 9080), "moderation-service": (8081, 9081), "notification-service": (8082, 9082)}
INFRASTRUCTURE_PORTS = {9092, 27017, 25, 465, 587}
PRIVATE = [ipaddress.ip_network(n) for n in
           ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "127.0.0.0/8", "100.64.0.0/10")]

def meta_name(d):
    return (d.get("metadata") or {}).get("name")

def of_kind(kind):
    return [d for d in docs if d.get("kind") == kind]

def pod_template(d):
    return ((d.get("spec") or {}).get("template") or {})

def matches(selector, labels):
    """A Kubernetes label selector against a label set; None or {} selects everything."""
    selector = selector or {}
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in selector.get("matchExpressions") or []:
        k, op, values = e["key"], e["operator"], e.get("values") or []
        if op == "In" and labels.get(k) not in values: return False
        if op == "NotIn" and labels.get(k) in values: return False
        if op == "Exists" and k not in labels: return False
        if op == "DoesNotExist" and k in labels: return False
    return True

def ns_name(peer):
    """The namespace a peer's namespaceSelector names (kubernetes.io/metadata.name), or None."""
    sel = peer.get("namespaceSelector")
    return None if sel is None else (sel.get("matchLabels") or {}).get("kubernetes.io/metadata.name", "*")

def port_numbers(rule, container_ports):
    """The numbers a rule's ports name; None for every port."""
    if not rule.get("ports"):
        return None
    out = set()
    for p in rule["ports"]:
        port = p.get("port")
        if port is None:
            return None
        out.add(container_ports.get(port, port) if isinstance(port, str) else port)
    return out

workloads = {}   # name -> (pod labels, {port name: number}, containers)
for d in docs:
    if d.get("kind") in ("Deployment", "StatefulSet"):
        t = pod_template(d)
        containers = (t.get("spec") or {}).get("containers") or []
        ports = {p.get("name"): p["containerPort"] for c in containers for p in c.get("ports") or [] if p.get("name")}
        workloads[meta_name(d)] = ((t.get("metadata") or {}).get("labels") or {}, ports, containers, t)

policies = of_kind("NetworkPolicy")

def policies_for(workload, kind):
    labels = workloads[workload][0]
    return [p for p in policies if matches(p["spec"].get("podSelector"), labels)
            and kind in (p["spec"].get("policyTypes") or ["Ingress"])]

def ingress_rules(workload):
    return [r for p in policies_for(workload, "Ingress") for r in p["spec"].get("ingress") or []]

# 1. Every document is complete; every Deployment's containers have probes and bounded resources.
for i, d in enumerate(docs):
    where = f"document {i + 1} ({d.get('kind') or '?'} {meta_name(d) or '?'})"
    for key in ("apiVersion", "kind"):
        if not d.get(key): problems.append(f"{where}: no {key}")
    if not meta_name(d): problems.append(f"{where}: no metadata.name")
    if d.get("kind") == "Deployment":
        containers = workloads[meta_name(d)][2]
        if not containers: problems.append(f"{where}: no containers found")
        for c in containers:
            for probe in ("livenessProbe", "readinessProbe"):
                if probe not in c: problems.append(f"{where}: container {c.get('name')} has no {probe}")
            res = c.get("resources") or {}
            for block in ("requests", "limits"):
                for r in ("cpu", "memory"):
                    if r not in (res.get(block) or {}):
                        problems.append(f"{where}: container {c.get('name')} {block} has no {r}")

# 2. The services' probes and scrape annotations on the management port; that port only from monitoring, the
#    public one only from the ingress controller.
def selects_all(selector):
    return not (selector or {}).get("matchLabels") and not (selector or {}).get("matchExpressions")

has_default_deny = any(selects_all(p["spec"].get("podSelector")) and not p["spec"].get("ingress")
                       and "Ingress" in (p["spec"].get("policyTypes") or []) for p in policies)
if not has_default_deny:
    problems.append("no default-deny-ingress NetworkPolicy (podSelector {}, no ingress rule)")
for app, (public, management) in APPS.items():
    if app not in workloads:
        problems.append(f"Deployment {app} missing"); continue
    labels, ports, containers, template = workloads[app]
    if ports.get("management") != management or ports.get("http") != public:
        problems.append(f"{app}: ports http={ports.get('http')} management={ports.get('management')}, "
                        f"expected {public} and {management}")
    for c in containers:
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            if probe in c:
                port = ((c[probe].get("httpGet") or {}).get("port"))
                if ports.get(port, port) != management:
                    problems.append(f"{app}: {probe} on port {port}, not the management port {management}")
    annotations = (template.get("metadata") or {}).get("annotations") or {}
    if annotations.get("prometheus.io/port") != str(management):
        problems.append(f"{app}: prometheus.io/port is {annotations.get('prometheus.io/port')}, not {management}")
    for r in ingress_rules(app):
        numbers = port_numbers(r, ports)
        peers = r.get("from") or []
        if not peers:
            problems.append(f"{app}: an ingress rule from anywhere (ports {numbers or 'all'})")
            continue
        namespaces = {ns_name(p) for p in peers}
        if numbers is None or management in numbers:
            if namespaces != {"monitoring"} or any(p.get("ipBlock") or p.get("podSelector") for p in peers):
                problems.append(f"{app}: management port {management} open to {peers}")
        if numbers is None or public in numbers:
            if not namespaces <= {"ingress-nginx", "monitoring"} or any(p.get("ipBlock") for p in peers):
                problems.append(f"{app}: public port {public} open to {peers}")
    if not any(management in (port_numbers(r, ports) or ()) for r in ingress_rules(app)):
        problems.append(f"{app}: no policy lets monitoring reach the management port {management}")

# 3. notification-service's egress: no ipBlock but HTTPS to public addresses.
egress = [r for p in policies_for("notification-service", "Egress") for r in p["spec"].get("egress") or []] \
    if "notification-service" in workloads else []
if not egress:
    problems.append("notification-service: no egress policy")
for r in egress:
    peers = r.get("to") or []
    numbers = port_numbers(r, {})
    if not peers:
        problems.append(f"notification-service: egress to anywhere on ports {numbers or 'all'}"); continue
    for peer in peers:
        block = peer.get("ipBlock")
        if not block:
            continue
        cidr = ipaddress.ip_network(block["cidr"])
        if numbers != {443}:
            # Only the infrastructure's ports (Kafka, MongoDB, SMTP), to a narrow range: a webhook reaches it too.
            if numbers is None or not numbers <= INFRASTRUCTURE_PORTS or cidr.prefixlen < (16 if cidr.version == 4 else 48):
                problems.append(f"notification-service: ipBlock {cidr} on ports {numbers or 'all'}: neither public "
                                f"HTTPS nor the infrastructure's ports to a narrow range")
            continue
        excepted = [ipaddress.ip_network(e) for e in block.get("except") or []]
        for private in PRIVATE:
            if private.version == cidr.version and private.subnet_of(cidr) \
                    and not any(private.subnet_of(e) for e in excepted if e.version == private.version):
                problems.append(f"notification-service: egress ipBlock {cidr} includes private range {private}")
        if cidr.version == 6 and not any(ipaddress.ip_network("fc00::/7").subnet_of(e) for e in excepted):
            problems.append(f"notification-service: egress ipBlock {cidr} includes fc00::/7")

# 4. The infrastructure an overlay runs: only the services (and KEDA for Kafka) reach Kafka and MongoDB, only
#    notification-service reaches SMTP.
allowed = {"kafka": (set(APPS), {"keda"}), "mongo": (set(APPS), set()), "mailpit": ({"notification-service"}, set())}
for infra, (apps, namespaces) in allowed.items():
    if infra not in workloads:
        continue
    rules = ingress_rules(infra)
    if not policies_for(infra, "Ingress"):
        problems.append(f"{infra}: no NetworkPolicy selects it")
    for r in rules:
        peers = r.get("from") or []
        if not peers:
            problems.append(f"{infra}: an ingress rule from anywhere")
        for peer in peers:
            if peer.get("ipBlock"):
                problems.append(f"{infra}: ingress from ipBlock {peer['ipBlock']}")
            elif peer.get("namespaceSelector") is not None:
                if ns_name(peer) not in namespaces:
                    problems.append(f"{infra}: ingress from namespace {ns_name(peer)}")
            else:
                reached = {w for w, (labels, *_rest) in workloads.items() if matches(peer.get("podSelector"), labels)}
                if not reached <= apps or not reached:
                    problems.append(f"{infra}: ingress from {sorted(reached) or 'no workload'}, beyond {sorted(apps)}")
        if infra == "mailpit" and port_numbers(r, workloads[infra][1]) != {1025}:
            problems.append(f"mailpit: ingress on ports {port_numbers(r, workloads[infra][1]) or 'all'}, not SMTP only")

def container_env(workload):
    return {e["name"]: e.get("value") for c in workloads[workload][2] for e in c.get("env") or []}

if "kafka" in workloads:
    env = container_env("kafka")
    protocols = dict(x.split(":", 1) for x in (env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP") or "").split(","))
    for listener in (env.get("KAFKA_LISTENERS") or "").split(","):
        lname, address = listener.split("://", 1)
        if protocols.get(lname, lname) in ("PLAINTEXT", "SSL") and not address.startswith("127.0.0.1:"):
            problems.append(f"kafka: unauthenticated listener {listener}")
    if "SCRAM-SHA-512" not in (env.get("KAFKA_SASL_ENABLED_MECHANISMS") or ""):
        problems.append("kafka: SCRAM-SHA-512 not enabled")
    users = (env.get("KAFKA_SCRAM_USERS") or "").split()
    for user in list(APPS) + ["keda"]:
        if user not in users:
            problems.append(f"kafka: no SCRAM user {user}")
if "mongo" in workloads:
    env = container_env("mongo")
    if not env.get("MONGO_INITDB_ROOT_PASSWORD_FILE") or "MONGO_INITDB_ROOT_PASSWORD" in env:
        problems.append("mongo: no root password from a file (MONGO_INITDB_ROOT_PASSWORD_FILE)")

# 5. Every Kafka client authenticates: the services (talkback-config) and KEDA's scaler.
shared = next((d.get("data") or {} for d in of_kind("ConfigMap") if meta_name(d).startswith("talkback-config")), {})
if not shared.get("SPRING_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "").startswith("SASL_") \
        or shared.get("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM") != "SCRAM-SHA-512":
    problems.append("talkback-config: Kafka clients without SASL/SCRAM-SHA-512")
auths = {meta_name(d): d for d in of_kind("TriggerAuthentication")}
for so in of_kind("ScaledObject"):
    for trigger in so["spec"].get("triggers") or []:
        if trigger.get("type") != "kafka":
            continue
        ref = (trigger.get("authenticationRef") or {}).get("name")
        params = {r.get("parameter") for r in (auths.get(ref) or {}).get("spec", {}).get("secretTargetRef") or []}
        if not {"sasl", "username", "password"} <= params:
            problems.append(f"ScaledObject {meta_name(so)}: Kafka trigger without SASL authentication")

for p in problems:
    print(f"FAIL {name}: {p}")
kinds = {}
for d in docs:
    kinds[d.get("kind")] = kinds.get(d.get("kind"), 0) + 1
print(f"ok   {name}: {len(docs)} documents (" + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items())) + ")"
      if not problems else f"FAIL {name}: {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
PY
  then :; else failed=1; fi
done

if [ "$failed" -ne 0 ]; then
  echo "deploy/kubernetes: INVALID"; exit 1
fi
echo "deploy/kubernetes: valid"
