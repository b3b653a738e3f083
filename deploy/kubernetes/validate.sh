#!/usr/bin/env bash
# Offline check of the Kustomize tree: builds the base and every overlay with `kubectl kustomize` (no cluster needed),
# then checks that every document has apiVersion, kind and metadata.name, and that every Deployment's containers
# have liveness and readiness probes and resource requests and limits (cpu and memory).
# Needs bash and kubectl (Debian: kubernetes-client); python3 for the document checks (skipped, said so, without it).
# Usage: deploy/kubernetes/validate.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v kubectl > /dev/null || { echo "validate.sh: kubectl not found (apt-get install kubernetes-client)" >&2; exit 2; }

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
failed=0
targets=("$here/base")
for overlay in "$here"/overlays/*/; do
  [ -f "$overlay/kustomization.yaml" ] && targets+=("${overlay%/}")
done

for target in "${targets[@]}"; do
  name="${target#"$here"/}"
  file="$out/$(echo "$name" | tr / _).yaml"
  # The deprecation warnings of new kubectl (commonLabels, patchesStrategicMerge: kept for old kubectl) are noise.
  if ! kubectl kustomize "$target" > "$file" 2> "$file.err"; then
    echo "FAIL $name: kubectl kustomize failed"; grep -v '^# Warning' "$file.err" >&2 || true
    failed=1
    continue
  fi
  if ! command -v python3 > /dev/null; then
    echo "ok   $name: builds ($(grep -c '^kind:' "$file") documents; python3 missing, documents not checked)"
    continue
  fi
  if python3 - "$name" "$file" <<'PY'
import sys

# A tiny reader for the YAML kubectl itself writes (block style, two-space indents): enough to find keys by path,
# without PyYAML, which a bare machine may not have.
name, path = sys.argv[1], sys.argv[2]
docs, cur = [], []
for line in open(path, encoding="utf-8"):
    if line.rstrip("\n") == "---":
        docs.append(cur); cur = []
    else:
        cur.append(line.rstrip("\n"))
docs.append(cur)
docs = [d for d in docs if any(l.strip() for l in d)]

def top(doc, key):
    for l in doc:
        if l.startswith(key + ":"):
            return l[len(key) + 1:].strip()
    return None

def metadata_name(doc):
    inside = False
    for l in doc:
        if l == "metadata:":
            inside = True; continue
        if inside:
            if l and not l.startswith(" "):
                return None
            if l.startswith("  name:"):
                return l.split(":", 1)[1].strip()
    return None

def containers(doc):
    """Yields (name, lines) for each item of spec.template.spec.containers."""
    lines, start, indent = doc, None, None
    for i, l in enumerate(lines):
        if l.strip() == "containers:" and l.startswith("    "):
            start, indent = i + 1, len(l) - len(l.lstrip())
            break
    if start is None:
        return
    item = None
    for l in lines[start:]:
        stripped = l.lstrip()
        ind = len(l) - len(stripped)
        if l.strip() and ind <= indent and not stripped.startswith("- "):
            break
        if l.strip() and ind <= indent and stripped.startswith("- "):
            if ind < indent:
                break
            if item:
                yield item
            item = [l]
        elif item is not None:
            item.append(l)
    if item:
        yield item

problems = []
for i, doc in enumerate(docs):
    kind, api, mname = top(doc, "kind"), top(doc, "apiVersion"), metadata_name(doc)
    where = f"document {i + 1} ({kind or '?'} {mname or '?'})"
    if not api: problems.append(f"{where}: no apiVersion")
    if not kind: problems.append(f"{where}: no kind")
    if not mname: problems.append(f"{where}: no metadata.name")
    if kind == "Deployment":
        found = False
        for c in containers(doc):
            found = True
            text = "\n".join(c)
            # The container's own name: on its item's first line or at the item's key indent (keys are sorted).
            key_indent = len(c[0]) - len(c[0].lstrip()) + 2
            cname = next((x.split("name:", 1)[1].strip() for x in c
                          if (x is c[0] and x.lstrip().startswith("- name:"))
                          or (len(x) - len(x.lstrip()) == key_indent and x.lstrip().startswith("name:"))), "?")
            for key in ("livenessProbe:", "readinessProbe:", "resources:", "requests:", "limits:"):
                if key not in text:
                    problems.append(f"{where}: container {cname} has no {key[:-1]}")
            for block in ("requests:", "limits:"):
                if block in text:
                    after = text.split(block, 1)[1].split("\n")
                    seg = "\n".join(after[:4])
                    for res in ("cpu", "memory"):
                        if res + ":" not in seg:
                            problems.append(f"{where}: container {cname} {block[:-1]} has no {res}")
        if not found:
            problems.append(f"{where}: no containers found")
for p in problems:
    print(f"FAIL {name}: {p}")
kinds = {}
for doc in docs:
    k = top(doc, "kind"); kinds[k] = kinds.get(k, 0) + 1
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
