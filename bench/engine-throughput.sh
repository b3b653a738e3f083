#!/usr/bin/env bash
# JMH benchmark of the whole moderation pipeline (DNS cached, in-memory bans, history and recent activity, the
# shipped spam model, 1,000 banned and 1,000 suspect words): comments per second in one thread.
# Usage: bash bench/engine-throughput.sh [JMH options]   (default: -f 2 -wi 3 -w 2s -i 5 -r 2s)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -B -ntp -q -f moderation-engine/pom.xml test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
module="$root/moderation-engine"
cp="$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench.classpath")"
if [ "$#" -eq 0 ]; then set -- -f 2 -wi 3 -w 2s -i 5 -r 2s; fi
exec java -cp "$cp" org.openjdk.jmh.Main PipelineBenchmark -t 1 "$@"
