# Sourced by deploy/check-compose.sh and deploy/kubernetes/validate.sh: sets $py to a python3 that has PyYAML
# (Debian's python3-yaml, which docker-compose pulls in, is on /usr/bin/python3 even when another python3 is first
# on the PATH), or exits 2 saying what to install.
py=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" > /dev/null && "$candidate" -c 'import yaml' 2> /dev/null; then py="$candidate"; break; fi
done
[ -n "$py" ] || { echo "$(basename "$0"): python3 with PyYAML not found (apt-get install python3-yaml)" >&2; exit 2; }
