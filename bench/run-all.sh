#!/usr/bin/env bash
# All of the pipeline's measurements (docs/benchmarks.md) on one machine, against the local stack on localhost, then one table:
#   1. intake: the highest rate of 202s with p99 < P99_MAX ms (Gatling IntakeSimulation, rate searched upwards), of
#      the intake alone (moderation-service and notification-service paused; what it accepted is then skipped for
#      moderation-service) and of the whole pipeline; and with the same tool and search the rate of a bare
#      reactor-netty endpoint (BareIntakeServer): the ratio intake alone / bare;
#   2. end to end: p50/p99 from POST to visible on GET at half the pipeline's maximum rate for E2E_SECONDS (Gatling
#      EndToEndSimulation), with the consumer lag of moderation-service and comment-service sampled meanwhile and the
#      CPU time each process spent per comment posted (E2E_RATE sets the rate when the intake search is not run);
#   3. readers: the highest GET rate with p99 < P99_MAX ms on an article seeded with READ_COMMENTS comments
#      (moderation-service and notification-service paused meanwhile, as for the intake alone);
#   4. moderation: comments decided per second by the one moderation-service instance draining a backlog of
#      BACKLOG records (it is paused with SIGSTOP while the backlog is written, then resumed; notification-service
#      stays paused while it drains), against Kafka's own
#      kafka-consumer-perf-test (org.apache.kafka.tools.ConsumerPerformance) reading as many from the same topic;
#   5. mails: mails sent per second by the one notification-service instance working off MAILS approvals written to
#      comments.moderated.v1 while it was paused, each from a new address asking for the "published" mail (so each
#      makes one mail, the confirmation request), to the local stack's SMTP server;
#   6. burst: BURST comments from distinct readers posted as fast as the intake takes them (64 in flight), a fifth
#      of them asking for the "published" mail from a new address: intake p50/p99, and from the first POST the time
#      until all are decided, visible, and mailed (Burst); with the CPU time each process spent meanwhile, per comment;
#   7. memory: resident size (ps) of each service and of the whole stack, idle and under load (highest sample).
#
# Usage: bench/run-all.sh            (a full run takes 40-60 minutes and stops by itself)
#        QUICK=1 bench/run-all.sh    (a smoke: short steps, small backlog; checks the script works, not a figure)
# Needs: a JDK 17, curl, ss (iproute2), ps. The local stack on localhost (8080-8082, actuators 9080-9082, Kafka 9092); if it is not up
# the script starts it (STACK_CMD) with its data in load-tests/target/bench-stack and stops it at the end.
# Settings (environment): STEP_SECONDS START_RATE PIPELINE_START_RATE RATE_FACTOR MAX_RATE P99_MAX E2E_SECONDS PROBE_RATE BACKLOG
# PROBE_POLL_MS READ_COMMENTS BARE_PORT STACK_CMD WARMUP_SECONDS E2E_LEAD_SECONDS MAILS BURST ONLY (a subset of "intake bare e2e readers drain mails burst memory").
# Results: load-tests/target/bench/<time>/ (Gatling logs and HTML reports, lag and RSS samples, summary.txt).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"

quick="${QUICK:-0}"
if [ "$quick" = 1 ]; then d_step=10; d_warm=5; d_lead=5; d_e2e=20; d_backlog=2000; d_mails=500; d_burst=500; d_read=200; d_maxsteps=2; else
  d_step=30; d_warm=60; d_lead=30; d_e2e=300; d_backlog=100000; d_mails=10000; d_burst=5000; d_read=2000; d_maxsteps=30; fi
STEP_SECONDS="${STEP_SECONDS:-$d_step}"      # length of each step of a rate search
WARMUP_SECONDS="${WARMUP_SECONDS:-$d_warm}"  # unmeasured run at START_RATE before each search and the e2e run (JIT, pools)
START_RATE="${START_RATE:-50}"               # first rate tried (per second)
RATE_FACTOR="${RATE_FACTOR:-1.25}"           # each passing step multiplies the rate by this
MAX_RATE="${MAX_RATE:-20000}"
MAX_STEPS="${MAX_STEPS:-$d_maxsteps}"
P99_MAX="${P99_MAX:-100}"                    # ms
E2E_SECONDS="${E2E_SECONDS:-$d_e2e}"
E2E_LEAD_SECONDS="${E2E_LEAD_SECONDS:-$d_lead}"  # intake alone at the start of the e2e run, before the probes
PROBE_RATE="${PROBE_RATE:-5}"
# a probe polls the article's GET this often: every 10 ms, the probes' own GETs (thousands a second) starved the
# pipeline they measure on two cores; 50 ms is the resolution of the figure
PROBE_POLL_MS="${PROBE_POLL_MS:-50}"
BACKLOG="${BACKLOG:-$d_backlog}"
MAILS="${MAILS:-$d_mails}"                # approvals written for the mails step, one mail each
BURST="${BURST:-$d_burst}"                # comments of the burst step
READ_COMMENTS="${READ_COMMENTS:-$d_read}"
BARE_PORT="${BARE_PORT:-8090}"
ONLY="${ONLY:-intake bare e2e readers drain mails burst memory}"
# Only this machine: the script never aims at another host.
BASE_URL="http://localhost:8080"
KAFKA="localhost:9092"
# the benchmark posts hundreds of comments a second from this one address: the local stack lifts comment-service's
# rate limits for it (a site keeps them; see local-stack/README.md)
export TALKBACK_RATE_LIMITS="${TALKBACK_RATE_LIMITS:-lifted}"
STACK_CMD="${STACK_CMD:-./mvnw -B -ntp -Plocal-stack package -DskipTests -Dtalkback.data=$root/load-tests/target/bench-stack}"

out="$root/load-tests/target/bench/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
summary="$out/summary.txt"
log() { echo "[$(date +%H:%M:%S)] $*" | tee -a "$out/run.log" >&2; }
want() { [[ " $ONLY " == *" $1 "* ]]; }

# ---- processes this script starts (and only those) are stopped on exit; paused services are resumed
started_pgids=()
paused_pids=()
sampler_pids=()
# SIGSTOP, remembered so that an exit resumes them; resume_paused resumes every one (SIGCONT to a running one is harmless)
pause() { kill -STOP "$@"; paused_pids+=("$@"); }
resume_paused() { [ "${#paused_pids[@]}" -eq 0 ] || kill -CONT "${paused_pids[@]}" 2> /dev/null || true; paused_pids=(); }
cleanup() {
  set +e
  resume_paused
  for pid in "${sampler_pids[@]}"; do kill "$pid" 2> /dev/null; done
  for pgid in "${started_pgids[@]}"; do kill -TERM -- "-$pgid" 2> /dev/null; done
  for pgid in "${started_pgids[@]}"; do
    for _ in $(seq 60); do kill -0 -- "-$pgid" 2> /dev/null || break; sleep 1; done
    kill -KILL -- "-$pgid" 2> /dev/null
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts "$@" in its own process group (setsid), remembered for cleanup; prints the group id.
start_group() {
  local logfile="$1"; shift
  setsid "$@" > "$logfile" 2>&1 < /dev/null &
  local pid=$!
  started_pgids+=("$pid")
  echo "$pid"
}

pid_on_port() { ss -ltnpH "sport = :$1" 2> /dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
# $1: a service's management port (its actuator; the local stack's are 9080-9082)
ready() { curl -fsS -o /dev/null --max-time 5 "http://localhost:$1/actuator/health/readiness" 2> /dev/null; }

# ---- the stack
if ! (ready 9080 && ready 9081 && ready 9082); then
  log "local stack not up: starting it ($STACK_CMD)"
  start_group "$out/stack.log" bash -c "$STACK_CMD" > /dev/null
  for _ in $(seq 180); do
    if ready 9080 && ready 9081 && ready 9082; then break; fi
    sleep 5
  done
  ready 9080 && ready 9081 && ready 9082 || { log "the stack did not become ready: see $out/stack.log"; exit 1; }
fi
log "stack ready"
declare -A svc_pid=(
  [comment-service]="$(pid_on_port 8080)" [moderation-service]="$(pid_on_port 8081)"
  [notification-service]="$(pid_on_port 8082)" [kafka]="$(pid_on_port 9092)" [mongo+smtp+launcher]="$(pid_on_port 27017)"
)
for name in "${!svc_pid[@]}"; do log "pid of $name: ${svc_pid[$name]:-?}"; done

# ---- pre-flight: 25 comments from this one address (more than moderation's default per-IP flood limit of 20), the
# last must be published within 30 s, or the end-to-end and readers figures cannot be taken
preflight() {
  local answer="" status_url status="" i
  for i in $(seq 25); do
    answer=$(curl -fsS -H 'Content-Type: application/json' \
      -d "{\"name\":\"Bench Preflight\",\"email\":\"preflight-$(date +%s%N)@example.org\",\"text\":\"We waited $((i + 2)) minutes at the station this morning, number $i.\"}" \
      "$BASE_URL/api/articles/bench-preflight/comments") || { log "pre-flight: POST failed"; return 1; }
  done
  status_url=$(echo "$answer" | grep -o '"statusUrl":"[^"]*' | cut -d'"' -f4)
  for _ in $(seq 30); do
    status=$(curl -fsS "$BASE_URL$status_url" | grep -o '"status":"[A-Z]*' | cut -d'"' -f4 || true)
    [ "$status" = PUBLISHED ] && { log "pre-flight: the 25th comment from one address is published"; return 0; }
    [ "$status" = REJECTED ] && break
    sleep 1
  done
  log "WARNING pre-flight: the 25th comment from this address is not published within 30 s (status ${status:-?}):"
  log "  held by the per-IP flood limit? (the local stack lifts it: --moderation.floods.max-per-ip); the end-to-end"
  log "  and readers figures will be missing"
}
preflight || true

# ---- the load tests module: compiled once, its runtime classpath for the helpers and Kafka's tools
log "compiling load-tests"
./mvnw -B -ntp -q -f load-tests/pom.xml test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/runtime-classpath.txt -Dmdep.includeScope=runtime > "$out/build.log" 2>&1
cp="$root/load-tests/target/classes:$(cat load-tests/target/runtime-classpath.txt)"
helper() { java -Xmx256m -cp "$cp" "$@"; }

# ---- memory: one sample of every process every 2 s for the whole run
rss_kib() { ps -o rss= -p "$1" 2> /dev/null | tr -d ' ' || true; }
# user + system CPU time of a process so far, in clock ticks
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2> /dev/null || echo 0; }
# the CPU time each stack process spends from cpu_mark on, per comment (cpu_per_comment COMMENTS): rows for the table
declare -A cpu_before=()
cpu_mark() { for name in "${!svc_pid[@]}"; do cpu_before[$name]=$(cpu_ticks "${svc_pid[$name]}"); done; }
cpu_per_comment() {
  local total=0 ticks name hz
  hz=$(getconf CLK_TCK)
  for name in comment-service moderation-service notification-service kafka mongo+smtp+launcher; do
    ticks=$(( $(cpu_ticks "${svc_pid[$name]}") - ${cpu_before[$name]:-0} ))
    total=$((total + ticks))
    printf '%-24s %6.2f ms CPU a comment\n' "$name" "$(awk "BEGIN{print $ticks * 1000 / $hz / $1}")"
  done
  printf '%-24s %6.2f ms CPU a comment (target <= 2)\n' "all processes" "$(awk "BEGIN{print $total * 1000 / $hz / $1}")"
}
sample_memory() {
  while true; do
    local line="$(date +%s)"
    for name in comment-service moderation-service notification-service kafka mongo+smtp+launcher; do
      line+=" $name=$(rss_kib "${svc_pid[$name]:-0}")"
    done
    echo "$line" >> "$out/rss.txt"
    sleep 2
  done
}
idle_line=""
if want memory; then
  for name in comment-service moderation-service notification-service kafka mongo+smtp+launcher; do
    idle_line+=" $name=$(rss_kib "${svc_pid[$name]:-0}")"
  done
  echo "idle$idle_line" > "$out/rss-idle.txt"
  sample_memory &
  sampler_pids+=("$!")
fi

# ---- Gatling: one run; prints "rc p99 ok ko throughput" from its console summary
gatling() {
  local name="$1" simulation="$2"; shift 2
  local logfile="$out/$name.log" rc=0
  ./mvnw -B -ntp -f load-tests/pom.xml gatling:test \
    -Dgatling.simulationClass="dev.talkback.loadtests.$simulation" "$@" > "$logfile" 2>&1 || rc=$?
  local p99 ok ko rps
  # Gatling's closing summary: columns Total | OK | KO; numbers may have thousands separators
  p99=$(grep '99th percentile (ms)' "$logfile" | tail -1 | awk -F'|' '{gsub(/[ ,]/,"",$3); print $3}')
  ok=$(grep '> request count' "$logfile" | tail -1 | awk -F'|' '{gsub(/[ ,]/,"",$3); print $3}')
  ko=$(grep '> request count' "$logfile" | tail -1 | awk -F'|' '{gsub(/[ ,]/,"",$4); print $4}')
  rps=$(grep 'mean throughput (rps)' "$logfile" | tail -1 | awk -F'|' '{gsub(/[ ,]/,"",$3); print $3}')
  cp "$(ls -dt load-tests/target/gatling/*/ 2> /dev/null | head -1)" -r "$out/report-$name" 2> /dev/null || true
  echo "$rc ${p99:--} ${ok:--} ${ko:--} ${rps:--}"
}

# Rate search: the highest rate (per second) whose run has every request OK and p99 < P99_MAX: after an unmeasured
# warm-up, geometric steps up from START_RATE (or halving down while the first rates fail), then one step half-way to
# the first failing rate. Prints "<best rate> <its p99>". With SEARCH_SETTLE=1, each step starts once the consumers
# have caught up (the pipeline's search: a cold moderation-service falls behind during the warm-up, and a step that
# inherits that backlog fails for it, not for its own rate). SEARCH_WARMUP_SECONDS overrides WARMUP_SECONDS.
search() {
  local label="$1" simulation="$2"; shift 2
  local rate="$START_RATE" best=0 best_p99=- failed="" steps=0
  local warmup="${SEARCH_WARMUP_SECONDS:-$WARMUP_SECONDS}"
  if [ "$warmup" -gt 0 ]; then
    read -r rc p99 ok ko rps < <(gatling "$label-warmup" "$simulation" -Drate="$START_RATE" -Dduration="$warmup" "$@")
    log "$label warm-up at $START_RATE/s for $warmup s: p99=${p99}ms ok=$ok ko=$ko"
  fi
  while [ "$steps" -lt "$MAX_STEPS" ]; do
    steps=$((steps + 1))
    [ "${SEARCH_SETTLE:-0}" != 1 ] || settle 600 > /dev/null
    read -r rc p99 ok ko rps < <(gatling "$label-$rate" "$simulation" -Drate="$rate" -Dduration="$STEP_SECONDS" \
      -Dp99Max="$P99_MAX" "$@")
    log "$label at $rate/s: rc=$rc p99=${p99}ms ok=$ok ko=$ko mean=${rps}/s"
    if [ "$rc" = 0 ] && [ "$ko" = "-" -o "$ko" = 0 ]; then
      best="$rate"; best_p99="$p99"; break
    fi
    failed="$rate"
    rate=$(awk "BEGIN{printf \"%.0f\", $rate / 2}")
    [ "$rate" -ge 1 ] || break
  done
  if [ "$best" != 0 ] && [ "$best" = "$START_RATE" ]; then
    failed=""
    rate=$(awk "BEGIN{printf \"%.0f\", $best * $RATE_FACTOR}")
  elif [ "$best" != 0 ]; then
    # found going down: only the half-way step between it and the failing rate above remains
    rate=$((MAX_RATE + 1))
  fi
  while [ "$best" != 0 ] && [ "$steps" -lt "$MAX_STEPS" ] && awk "BEGIN{exit !($rate <= $MAX_RATE)}"; do
    steps=$((steps + 1))
    [ "${SEARCH_SETTLE:-0}" != 1 ] || settle 600 > /dev/null
    read -r rc p99 ok ko rps < <(gatling "$label-$rate" "$simulation" -Drate="$rate" -Dduration="$STEP_SECONDS" \
      -Dp99Max="$P99_MAX" "$@")
    log "$label at $rate/s: rc=$rc p99=${p99}ms ok=$ok ko=$ko mean=${rps}/s"
    if [ "$rc" = 0 ] && [ "$ko" = "-" -o "$ko" = 0 ]; then
      best="$rate"; best_p99="$p99"
      rate=$(awk "BEGIN{printf \"%.0f\", $rate * $RATE_FACTOR}")
    else
      failed="$rate"; break
    fi
  done
  if [ -n "$failed" ] && [ "$best" != 0 ] && [ "$steps" -lt "$MAX_STEPS" ]; then
    local mid; mid=$(awk "BEGIN{printf \"%.0f\", ($best + $failed) / 2}")
    if [ "$mid" != "$best" ] && [ "$mid" != "$failed" ]; then
      read -r rc p99 ok ko rps < <(gatling "$label-$mid" "$simulation" -Drate="$mid" -Dduration="$STEP_SECONDS" \
        -Dp99Max="$P99_MAX" "$@")
      log "$label at $mid/s: rc=$rc p99=${p99}ms ok=$ok ko=$ko mean=${rps}/s"
      if [ "$rc" = 0 ]; then best="$mid"; best_p99="$p99"; fi
    fi
  fi
  echo "$best $best_p99"
}

intake_max=- intake_p99=- pipeline_max=- pipeline_p99=- bare_max=- bare_p99=- ratio=-
e2e_rate=- e2e_p50=- e2e_p99=- e2e_count=- lag_mod=- lag_cmt=- e2e_cpu=()
read_max=- read_p99=- drain_rate=- mail_rate=- burst_result=- burst_cpu=() perf_rate=- perf_fetch_rate=- drain_ratio=-

# Waits (at most $1 seconds) until moderation-service and comment-service have caught up with their topics, so that
# a step does not inherit the backlog of the one before (a search's failing steps accept more than the pipeline
# decides).
settle() {
  local limit="${1:-900}" started=$SECONDS lag_m=? lag_c=?
  while [ $((SECONDS - started)) -lt "$limit" ]; do
    lag_m=$(helper dev.talkback.loadtests.KafkaBench lag "$KAFKA" moderation-service comments.submitted.v1 1000 1 \
      2> /dev/null | tail -1 | cut -d' ' -f2)
    lag_c=$(helper dev.talkback.loadtests.KafkaBench lag "$KAFKA" comment-service comments.moderated.v1 1000 1 \
      2> /dev/null | tail -1 | cut -d' ' -f2)
    if [ "${lag_m:-999999}" -lt 20 ] 2> /dev/null && [ "${lag_c:-999999}" -lt 20 ] 2> /dev/null; then
      log "caught up after $((SECONDS - started)) s (lag moderation $lag_m, comment-service $lag_c)"
      return 0
    fi
    sleep 5
  done
  log "WARNING not caught up after $limit s (lag moderation $lag_m, comment-service $lag_c)"
}

# ---- 1. intake, on the stack and on the bare endpoint
if want intake; then
  # The intake alone: moderation-service and notification-service paused (SIGSTOP), so the two cores serve
  # comment-service and Kafka only, as they would on machines of their own. What this search accepted is then skipped
  # for moderation-service (its committed offsets moved to the end: a benchmark's backlog, never decided).
  intake_paused=("${svc_pid[moderation-service]}" "${svc_pid[notification-service]}")
  log "intake search, intake alone: moderation-service and notification-service paused (p99 < ${P99_MAX} ms)"
  pause "${intake_paused[@]}"
  read -r intake_max intake_p99 < <(search intake IntakeSimulation -DbaseUrl="$BASE_URL")
  log "intake alone max: $intake_max/s (p99 $intake_p99 ms); skipping its comments for moderation-service"
  helper dev.talkback.loadtests.KafkaBench skip "$KAFKA" moderation-service comments.submitted.v1 180 \
    > "$out/skip.txt" 2>&1 || log "WARNING could not skip the intake backlog: $(tail -1 "$out/skip.txt")"
  log "$(tail -1 "$out/skip.txt")"
  resume_paused
  sleep 20 # the consumers rejoin their groups
  # The same search with the whole pipeline deciding, publishing and mailing on the same two cores.
  saved_start="$START_RATE"; START_RATE="${PIPELINE_START_RATE:-50}"
  log "intake search, whole pipeline running (p99 < ${P99_MAX} ms)"
  # warmed three times as long: moderation-service and notification-service, paused since their start, compile for
  # minutes on the shared cores (after 60 s, one run's first step failed at 80/s with p99 112 ms, and the search
  # went down to 60/s)
  read -r pipeline_max pipeline_p99 < <(SEARCH_SETTLE=1 SEARCH_WARMUP_SECONDS=$((3 * WARMUP_SECONDS)) \
    search pipeline IntakeSimulation -DbaseUrl="$BASE_URL")
  START_RATE="$saved_start"
  log "intake with the pipeline max: $pipeline_max/s (p99 $pipeline_p99 ms)"
  settle 1200
fi
if want bare; then
  start_group "$out/bare-server.log" java -Xmx256m -cp "$cp" dev.talkback.loadtests.BareIntakeServer "$BARE_PORT" > /dev/null
  for _ in $(seq 60); do curl -fsS -o /dev/null -X POST -d '{}' "http://127.0.0.1:$BARE_PORT/x" 2> /dev/null && break; sleep 1; done
  log "intake search on the bare endpoint :$BARE_PORT"
  read -r bare_max bare_p99 < <(search bare IntakeSimulation -DbaseUrl="http://127.0.0.1:$BARE_PORT")
  log "bare max: $bare_max/s (p99 $bare_p99 ms)"
  kill -TERM -- "-${started_pgids[-1]}" 2> /dev/null || true
  if [ "$intake_max" != - ] && [ "$bare_max" != - ] && [ "$bare_max" != 0 ]; then
    ratio=$(awk "BEGIN{printf \"%.2f\", $intake_max / $bare_max}")
  fi
fi

# ---- 2. end to end at half the maximum intake rate, with the consumer lag sampled
lag_summary() { # file [from epoch ms] -> "first max last" of the lag samples (those from then on)
  awk -v from="${2:-0}" '$1<from{next} n++==0{f=$2; m=$2} {if($2>m)m=$2; l=$2} END{if(n==0)print "- - -"; else print f, m, l}' "$1"
}
if want e2e; then
  # half the highest rate the whole pipeline sustains on these two cores (the intake alone takes far more)
  if [ "$pipeline_max" != - ] && [ "$pipeline_max" != 0 ]; then
    e2e_rate=$(awk "BEGIN{printf \"%.0f\", $pipeline_max / 2}")
  else
    e2e_rate="${E2E_RATE:-25}"
  fi
  if [ "$WARMUP_SECONDS" -gt 0 ]; then
    # the services' JIT and pools warmed at this rate first, probes included: a cold moderation-service decides a
    # tenth as fast, and a read path first compiled when the measured probes start held decisions up for seconds
    read -r rc p99 ok ko rps < <(gatling e2e-warmup EndToEndSimulation -DbaseUrl="$BASE_URL" -Drate="$e2e_rate" \
      -DprobeRate="$PROBE_RATE" -DpollMs="$PROBE_POLL_MS" -Dduration="$WARMUP_SECONDS" \
      -De2eOut="$out/e2e-warmup-latency.txt")
    log "end to end warm-up at $e2e_rate/s for $WARMUP_SECONDS s: p99=${p99}ms ok=$ok ko=$ko"
  fi
  settle 1200
  # then the measured run starts with intake alone for E2E_LEAD_SECONDS: Gatling's own start-up and JIT, on the cores
  # the system uses, stay out of the probes' window
  log "end to end: intake $e2e_rate/s, after $E2E_LEAD_SECONDS s of intake alone + $PROBE_RATE probes/s for $E2E_SECONDS s"
  lag_seconds=$((E2E_LEAD_SECONDS + E2E_SECONDS + 60))
  helper dev.talkback.loadtests.KafkaBench lag "$KAFKA" moderation-service comments.submitted.v1 5000 \
    "$lag_seconds" > "$out/lag-moderation.txt" 2> "$out/lag-moderation.err" &
  sampler_pids+=("$!")
  helper dev.talkback.loadtests.KafkaBench lag "$KAFKA" comment-service comments.moderated.v1 5000 \
    "$lag_seconds" > "$out/lag-comment.txt" 2> "$out/lag-comment.err" &
  sampler_pids+=("$!")
  # probes (and the lag that counts) start after the warm-up; Maven's few seconds of start-up are on the safe side
  measured_from=$(( $(date +%s%3N) + E2E_LEAD_SECONDS * 1000 ))
  cpu_mark
  read -r rc p99 ok ko rps < <(gatling e2e EndToEndSimulation -DbaseUrl="$BASE_URL" -Drate="$e2e_rate" \
    -DprobeRate="$PROBE_RATE" -DpollMs="$PROBE_POLL_MS" -Dduration="$E2E_SECONDS" -Dwarmup="$E2E_LEAD_SECONDS" \
    -De2eOut="$out/e2e-latency.txt")
  log "end to end run: rc=$rc requests p99=${p99}ms ok=$ok ko=$ko; $(cat "$out/e2e-latency.txt" 2> /dev/null)"
  e2e_p50=$(grep -o 'p50=[0-9.NaN]*' "$out/e2e-latency.txt" 2> /dev/null | cut -d= -f2 || true)
  e2e_p99=$(grep -o 'p99=[0-9.NaN]*' "$out/e2e-latency.txt" 2> /dev/null | cut -d= -f2 || true)
  e2e_count=$(grep -o 'count=[0-9]*' "$out/e2e-latency.txt" 2> /dev/null | cut -d= -f2 || true)
  e2e_timeouts=$(grep -o 'timeouts=[0-9]*' "$out/e2e-latency.txt" 2> /dev/null | cut -d= -f2 || true)
  e2e_p50="${e2e_p50:--}" e2e_p99="${e2e_p99:--}" e2e_count="${e2e_count:--}, timed out ${e2e_timeouts:--}"
  # at a sustained rate: the comments posted over the run (the probes' polling GETs are part of the load)
  mapfile -t e2e_cpu < <(cpu_per_comment "$((e2e_rate * (E2E_LEAD_SECONDS + E2E_SECONDS)))")
  sleep 6
  lag_mod="$(lag_summary "$out/lag-moderation.txt" "$measured_from")"
  lag_cmt="$(lag_summary "$out/lag-comment.txt" "$measured_from")"
  log "lag while probing (first max last): moderation-service $lag_mod; comment-service $lag_cmt; with the warm-up:" \
    "$(lag_summary "$out/lag-moderation.txt" | cut -d' ' -f2), $(lag_summary "$out/lag-comment.txt" | cut -d' ' -f2)"
fi

# ---- 3. readers of an article with READ_COMMENTS comments
if want readers; then
  settle 1200
  article="bench-readers-$(date +%s)"
  log "seeding $article with $READ_COMMENTS comments"
  # 1 % more than needed: a few comments are held (the spam model is unsure of ~0.2 % of these texts)
  gatling seed SeedSimulation -DbaseUrl="$BASE_URL" -DarticleId="$article" -Dcomments=$((READ_COMMENTS + READ_COMMENTS / 100 + 2)) \
    -Drate=100 > /dev/null
  # wait until all are published; give up after 60 s without progress (held comments never show)
  total=0 last=-1 still=0
  while [ "$still" -lt 30 ]; do
    total=$(curl -fsS "$BASE_URL/api/articles/$article/comments?limit=1" 2> /dev/null | grep -o '"total":[0-9]*' | cut -d: -f2 || true)
    total="${total:-0}"
    [ "$total" -ge "$READ_COMMENTS" ] && break
    if [ "$total" = "$last" ]; then still=$((still + 1)); else still=0; last="$total"; fi
    sleep 2
  done
  log "$article shows $total comments"
  START_RATE="${READ_START_RATE:-100}"
  # comment-service serves readers alone, as on machines of its own: moderation-service and notification-service
  # paused, or the search measures them mailing the seeded comments on the same two cores
  readers_paused=("${svc_pid[moderation-service]}" "${svc_pid[notification-service]}")
  pause "${readers_paused[@]}"
  read -r read_max read_p99 < <(search readers ReadersSimulation -DbaseUrl="$BASE_URL" -DarticleId="$article")
  resume_paused
  log "readers max: $read_max/s (p99 $read_p99 ms) on $total comments (moderation and notification paused)"
  read_max="$read_max (article of $total comments)"
fi

# ---- 4. moderation draining a backlog, against kafka-consumer-perf-test on the same topic
if want drain; then
  settle 1200
  mod_pid="${svc_pid[moderation-service]}"
  log "pausing moderation-service (pid $mod_pid) and writing a backlog of $BACKLOG"
  pause "$mod_pid"
  helper dev.talkback.loadtests.KafkaBench fill "$KAFKA" comments.submitted.v1 "$BACKLOG" > "$out/fill.txt" 2>&1
  log "backlog written: $(cat "$out/fill.txt" | tail -1)"
  # notification-service paused while moderation-service drains, as on machines of their own: it mails fewer
  # comments a second than are decided, and its growing outbox would be measured instead
  noti_pid="${svc_pid[notification-service]}"
  pause "$noti_pid"
  kill -CONT "$mod_pid"
  helper dev.talkback.loadtests.KafkaBench drain "$KAFKA" moderation-service comments.submitted.v1 \
    $((BACKLOG / 20 + 300)) > "$out/drain.txt" 2>&1 || true
  resume_paused
  log "drain: $(tail -1 "$out/drain.txt") (notification-service paused meanwhile)"
  drain_rate=$(grep -o 'rate=[0-9]*' "$out/drain.txt" | cut -d= -f2 || echo -)
  log "kafka-consumer-perf-test: $BACKLOG records of comments.submitted.v1"
  helper org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$KAFKA" --topic comments.submitted.v1 \
    --messages "$BACKLOG" --group "bench-perf-$(date +%s)" --timeout 60000 > "$out/perf.txt" 2>&1 || true
  # CSV: a header line naming the columns, then one line of values
  read -r perf_rate perf_fetch_rate < <(awk -F', *' '/nMsg.sec/{for(i=1;i<=NF;i++)h[$i]=i; getline;
      print $(h["nMsg.sec"]), (h["fetch.nMsg.sec"] ? $(h["fetch.nMsg.sec"]) : "-")}' "$out/perf.txt")
  log "perf-test: nMsg.sec=${perf_rate:-?} fetch.nMsg.sec=${perf_fetch_rate:-?}"
  if [ -n "${drain_rate:-}" ] && [ -n "${perf_rate:-}" ]; then
    drain_ratio=$(awk "BEGIN{r=$perf_fetch_rate+0; if(r==0)r=$perf_rate; printf \"%.3f\", $drain_rate / r}")
  fi
fi

# ---- 5. notification-service working off a backlog of mails
if want mails; then
  settle 1200
  noti_pid="${svc_pid[notification-service]}"
  # the count of sent mails is taken before it is paused (a paused service does not answer), and followed after
  helper dev.talkback.loadtests.KafkaBench mails http://localhost:9082/actuator/prometheus "$MAILS" 900 \
    > "$out/mails.txt" 2>&1 &
  mails_pid=$!
  until grep -q baseline= "$out/mails.txt" 2> /dev/null || ! kill -0 "$mails_pid" 2> /dev/null; do sleep 0.1; done
  log "pausing notification-service (pid $noti_pid) and writing $MAILS approvals that each make a mail"
  pause "$noti_pid"
  helper dev.talkback.loadtests.KafkaBench fill "$KAFKA" comments.moderated.v1 "$MAILS" > "$out/fill-mails.txt" 2>&1
  resume_paused
  wait "$mails_pid" || true
  log "mails: $(tail -1 "$out/mails.txt")"
  mail_rate=$(grep -o 'rate=[0-9]*' "$out/mails.txt" | cut -d= -f2 || echo -)
fi

# ---- 6. a burst of comments from distinct readers
if want burst; then
  settle 1200
  cpu_mark
  helper dev.talkback.loadtests.Burst "$BASE_URL" "$KAFKA" http://localhost:9082/actuator/prometheus "$BURST" 64 20 \
    600 > "$out/burst.txt" 2>&1 || true
  burst_result=$(tail -1 "$out/burst.txt")
  log "burst: $burst_result"
  mapfile -t burst_cpu < <(cpu_per_comment "$BURST")
fi

# ---- 7. memory
mem_rows=()
if want memory; then
  kill "${sampler_pids[0]}" 2> /dev/null || true
  for name in comment-service moderation-service notification-service kafka mongo+smtp+launcher; do
    idle=$(grep -o "$name=[0-9]*" "$out/rss-idle.txt" | cut -d= -f2)
    peak=$(grep -o "$name=[0-9]*" "$out/rss.txt" | cut -d= -f2 | sort -n | tail -1)
    mem_rows+=("$(printf '%-24s %8s MiB idle %8s MiB peak' "$name" "$(( ${idle:-0} / 1024 ))" "$(( ${peak:-0} / 1024 ))")")
  done
  idle_total=$(grep -o '=[0-9]*' "$out/rss-idle.txt" | tr -d = | awk '{s+=$1} END{print int(s/1024)}')
  peak_total=$(awk '{s=0; for(i=2;i<=NF;i++){split($i,a,"="); s+=a[2]} if(s>m)m=s} END{print int(m/1024)}' "$out/rss.txt")
  mem_rows+=("$(printf '%-24s %8s MiB idle %8s MiB peak (limit 2048)' "whole stack" "$idle_total" "$peak_total")")
fi

# ---- the table
{
  echo "Talkback benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  [ "$quick" = 1 ] && echo "QUICK=1: a smoke of the script, not a measurement"
  echo
  printf '%-44s %s\n' "intake alone, max 202/s with p99 < ${P99_MAX} ms" "$intake_max (p99 $intake_p99 ms)"
  printf '%-44s %s\n' "intake, whole pipeline running, max 202/s" "$pipeline_max (p99 $pipeline_p99 ms)"
  printf '%-44s %s\n' "bare reactor-netty endpoint, max/s" "$bare_max (p99 $bare_p99 ms)"
  printf '%-44s %s\n' "ratio intake / bare (target >= 0.5)" "$ratio"
  printf '%-44s %s\n' "end to end at $e2e_rate/s for ${E2E_SECONDS}s, p50/p99 ms" "$e2e_p50 / $e2e_p99 (probes $e2e_count; target p99 < 500)"
  for row in "${e2e_cpu[@]}"; do echo "end to end: $row"; done
  printf '%-44s %s\n' "lag moderation-service (first max last)" "$lag_mod"
  printf '%-44s %s\n' "lag comment-service (first max last)" "$lag_cmt"
  printf '%-44s %s\n' "readers, max GET/s with p99 < ${P99_MAX} ms" "$read_max (p99 $read_p99 ms)"
  printf '%-44s %s\n' "moderation drain of $BACKLOG, decided/s" "$drain_rate"
  printf '%-44s %s\n' "kafka-consumer-perf-test, records/s" "$perf_rate (fetch only: $perf_fetch_rate)"
  printf '%-44s %s\n' "ratio drain / perf-test" "$drain_ratio"
  printf '%-44s %s\n' "notification-service, $MAILS mails, sent/s" "$mail_rate (target >= 300)"
  printf '%-44s %s\n' "burst of $BURST (targets: p99 < 100 ms," "decided 15 s, visible 20 s, mailed 60 s)"
  echo "  $burst_result"
  for row in "${burst_cpu[@]}"; do echo "burst: $row"; done
  for row in "${mem_rows[@]}"; do echo "memory: $row"; done
  echo
  echo "details: $out"
} | tee "$summary"
