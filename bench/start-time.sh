#!/usr/bin/env bash
# Start to ready: how long each service takes from the start of its JVM to a readiness probe that answers UP, started
# from its exec jar (java -jar) and from its class-data-sharing form (the build's <service>/target/cds/), RUNS times
# each, one at a time, against the local stack's infrastructure (Kafka on 9092, MongoDB on 27017, SMTP on 3025).
# Prints one line per service and form: the runs in ms and their median.
# Usage: bench/start-time.sh   (needs the services built, ./mvnw package -DskipTests, and the infrastructure up:
#        ./mvnw -Plocal-stack package -DskipTests -Dtalkback.services=none in another terminal)
# Settings (environment): RUNS (5), HEAP (144m, as the local stack), SERVICES (all three).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUNS="${RUNS:-5}"
HEAP="${HEAP:-144m}"
SERVICES="${SERVICES:-comment-service moderation-service notification-service}"
port=18180
mport=19180

now_ms() { date +%s%3N; }

# one start: prints the ms from the JVM's start to readiness UP, then stops the service
start_once() { # jar [jvm args...]
  local jar=$1 log begin pid ms
  shift
  log=$(mktemp)
  begin=$(now_ms)
  # its own databases and consumer groups are not needed to start; the stack's are left alone
  java -Xmx"$HEAP" -Xmn32m -XX:+UseSerialGC "$@" -jar "$jar" --server.port=$port --management.server.port=$mport \
    --spring.mongodb.uri="mongodb://localhost:27017/start-bench" > "$log" 2>&1 &
  pid=$!
  until curl -fsS -o /dev/null --max-time 1 "http://localhost:$mport/actuator/health/readiness" 2> /dev/null; do
    kill -0 "$pid" 2> /dev/null || { echo "the service exited: $log" >&2; return 1; }
    sleep 0.05
  done
  ms=$(( $(now_ms) - begin ))
  kill -TERM "$pid"; wait "$pid" 2> /dev/null || true
  rm -f "$log"
  echo "$ms"
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END{print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

echo "start to ready, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, -Xmx$HEAP, $RUNS runs each"
for service in $SERVICES; do
  jar=$(ls "$service"/target/"$service"-*-exec.jar | head -1)
  cds_jar="$service/target/cds/$(basename "$jar")"
  plain="" shared=""
  for _ in $(seq "$RUNS"); do
    plain="$plain $(start_once "$jar")"
    shared="$shared $(start_once "$(pwd)/$cds_jar" -XX:SharedArchiveFile="$(pwd)/$service/target/cds/app.jsa")"
  done
  printf '%-22s java -jar      %6s ms median (runs:%s)\n' "$service" "$(echo "$plain" | median)" "$plain"
  printf '%-22s with CDS       %6s ms median (runs:%s)\n' "$service" "$(echo "$shared" | median)" "$shared"
done
