#!/usr/bin/env bash
# How long a posted comment takes to become visible on GET (median, p90, worst of 100).
# Needs a running local stack (./mvnw -Plocal-stack package -DskipTests) and a JDK 17; nothing to build.
# Usage: bench/visibility-latency.sh [baseUrl=http://localhost:8080] [count=100]
#        JAVA_OPTS="-DpollMs=5 -DtimeoutSeconds=30" bench/visibility-latency.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec java ${JAVA_OPTS:-} "$here/VisibilityLatency.java" "$@"
