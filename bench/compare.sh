#!/usr/bin/env bash
# Side-by-side benchmark: the same scenarios against three Mosquitto brokers directly, through
# Bastion and through HAProxy 2.6 (TCP mode, hashing on the MQTT client id), alternating targets
# within one run. Samples each proxy's CPU time and resident memory from /proc around every run
# and writes a markdown table, JSON and an SVG chart. Everything runs on loopback; every process
# started here is stopped on exit.
#
#   bench/compare.sh [--quick] [--out DIR] [--keep]
#
# Sizes and durations can be overridden through the environment (defaults: ~5 minutes on 2 cores;
# --quick: ~1 minute): CONNECTIONS HOLD TP_CLIENTS TP_PAYLOAD TP_QOS TP_WARMUP TP_DURATION
# LAT_CLIENTS LAT_RATE LAT_WARMUP LAT_DURATION TLS_CONCURRENCY TLS_DURATION SOURCE_ADDRESSES
# PORT_BASE BASTION_JAVA_OPTS LOADGEN_JAVA_OPTS SCENARIOS (default "connect throughput latency tls")
# WARMUP (1: an unmeasured connect and throughput round against each proxy first; 0: none).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
COMMAND="bench/compare.sh $*"
COMMAND="${COMMAND% }"
QUICK=0
KEEP=0
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --keep) KEEP=1 ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 64 ;;
  esac
  shift
done

if [ "$QUICK" = 1 ]; then
  : "${CONNECTIONS:=1000}" "${HOLD:=3s}" "${TP_WARMUP:=1s}" "${TP_DURATION:=5s}"
  : "${LAT_WARMUP:=1s}" "${LAT_DURATION:=5s}" "${TLS_DURATION:=4s}"
fi
: "${CONNECTIONS:=5000}" "${HOLD:=10s}" "${CONCURRENCY:=100}"
: "${TP_CLIENTS:=20}" "${TP_PAYLOAD:=64}" "${TP_QOS:=0}" "${TP_WINDOW:=16}" "${TP_WARMUP:=3s}" "${TP_DURATION:=15s}"
: "${LAT_CLIENTS:=10}" "${LAT_RATE:=5000}" "${LAT_WARMUP:=3s}" "${LAT_DURATION:=15s}"
: "${TLS_CONCURRENCY:=16}" "${TLS_DURATION:=10s}"
: "${SOURCE_ADDRESSES:=16}" "${PORT_BASE:=21880}"
: "${BASTION_JAVA_OPTS:=-Xmx1g}" "${LOADGEN_JAVA_OPTS:=-Xmx1g}"
: "${SCENARIOS:=connect throughput latency tls}"

OUT="${OUT:-$ROOT/bench/results/$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"
WORK="$(mktemp -d /tmp/bastion-compare.XXXXXX)"
BASTION_JAR="$ROOT/bastion-server/target/bastion.jar"
BENCH_JAR="$ROOT/bastion-bench/target/bastion-bench.jar"
CLK_TCK="$(getconf CLK_TCK)"

B_PORTS=($((PORT_BASE + 1)) $((PORT_BASE + 2)) $((PORT_BASE + 3)))
MOSQ_TLS_PORT=$((PORT_BASE + 4))
BASTION_PORT=$((PORT_BASE + 10))
BASTION_TLS_PORT=$((PORT_BASE + 11))
HAPROXY_PORT=$((PORT_BASE + 20))
HAPROXY_TLS_PORT=$((PORT_BASE + 21))

log() { printf '[compare %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$KEEP" = 1 ]; then log "work files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- what we need -----------------------------------------------------------------------------
need=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # the packages may start system services; ours run on their own ports and do not need them
  if command -v service >/dev/null 2>&1; then
    service mosquitto stop >/dev/null 2>&1 || true
    service haproxy stop >/dev/null 2>&1 || true
  fi
fi
export PATH="$PATH:/usr/sbin"
if [ ! -f "$BASTION_JAR" ] || [ ! -f "$BENCH_JAR" ]; then
  log "building bastion.jar and bastion-bench.jar"
  (cd "$ROOT" && mvn -B -q package -DskipTests)
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

wait_port() { # host port seconds
  local i
  for i in $(seq 1 $(( $3 * 10 ))); do
    if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  log "nothing listens on $1:$2 after $3 s"; return 1
}

# --- brokers ----------------------------------------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj "/CN=localhost" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
cat "$WORK/cert.pem" "$WORK/key.pem" > "$WORK/haproxy.pem"
# mosquitto started as root drops to its own user, which must read its config and the throwaway key
chmod 755 "$WORK"
chmod 644 "$WORK"/*.pem

for i in 0 1 2; do
  conf="$WORK/mosquitto-$((i + 1)).conf"
  {
    echo "listener ${B_PORTS[$i]} 127.0.0.1"
    echo "allow_anonymous true"
    echo "persistence false"
    echo "set_tcp_nodelay true"   # without it Nagle holds deliveries for the next ACK
    echo "max_queued_messages 10000"
    if [ "$i" = 0 ]; then
      echo "listener $MOSQ_TLS_PORT 127.0.0.1"
      echo "certfile $WORK/cert.pem"
      echo "keyfile $WORK/key.pem"
    fi
  } > "$conf"
  mosquitto -c "$conf" > "$WORK/mosquitto-$((i + 1)).log" 2>&1 &
  PIDS+=($!)
done
for p in "${B_PORTS[@]}"; do wait_port 127.0.0.1 "$p" 10; done
log "mosquitto $(mosquitto -h 2>/dev/null | head -1 | awk '{print $3}') on ${B_PORTS[*]} (TLS on $MOSQ_TLS_PORT)"

# --- Bastion ----------------------------------------------------------------------------------
cat > "$WORK/bastion.yaml" <<YAML
listeners:
  - name: mqtt
    bind: 127.0.0.1
    port: $BASTION_PORT
  - name: mqtts
    bind: 127.0.0.1
    port: $BASTION_TLS_PORT
    protocol: tls
    tls:
      certificates:
        - cert: $WORK/cert.pem
          key: $WORK/key.pem
pools:
  - name: brokers
    strategy: client-id-hash
    brokers:
      - { id: broker-1, host: 127.0.0.1, port: ${B_PORTS[0]} }
      - { id: broker-2, host: 127.0.0.1, port: ${B_PORTS[1]} }
      - { id: broker-3, host: 127.0.0.1, port: ${B_PORTS[2]} }
shutdown:
  drain-deadline: 1s
admin:
  port: 0
YAML
java -jar "$BASTION_JAR" check-config "$WORK/bastion.yaml" > "$WORK/check-config.log" 2>&1 \
  || { cat "$WORK/check-config.log"; log "bastion.yaml is invalid"; exit 1; }
BASTION_HOW="bastion.jar run --config bastion.yaml"
# shellcheck disable=SC2086
java $BASTION_JAVA_OPTS -jar "$BASTION_JAR" run --config "$WORK/bastion.yaml" > "$WORK/bastion.log" 2>&1 &
BASTION_PID=$!
PIDS+=("$BASTION_PID")
wait_port 127.0.0.1 "$BASTION_PORT" 60
log "bastion pid $BASTION_PID on $BASTION_PORT ($BASTION_HOW)"
BASTION_TLS=1

# --- HAProxy ----------------------------------------------------------------------------------
MAXCONN=$(( ($(ulimit -n) - 100) / 2 ))
cat > "$WORK/haproxy.cfg" <<CFG
global
  maxconn $MAXCONN
  log stderr format short local0 err

defaults
  mode tcp
  timeout connect 5s
  timeout client 10m
  timeout server 10m
  maxconn $MAXCONN

frontend mqtt
  bind 127.0.0.1:$HAPROXY_PORT
  tcp-request inspect-delay 10s
  tcp-request content accept if { req.payload(0,0),mqtt_is_valid }
  tcp-request content reject
  default_backend brokers

frontend mqtts
  bind 127.0.0.1:$HAPROXY_TLS_PORT ssl crt $WORK/haproxy.pem
  tcp-request inspect-delay 10s
  tcp-request content accept if { req.payload(0,0),mqtt_is_valid }
  tcp-request content reject
  default_backend brokers

backend brokers
  balance hash req.payload(0,0),mqtt_field_value(connect,client_identifier)
  hash-type consistent
  server broker-1 127.0.0.1:${B_PORTS[0]}
  server broker-2 127.0.0.1:${B_PORTS[1]}
  server broker-3 127.0.0.1:${B_PORTS[2]}
CFG
haproxy -c -q -f "$WORK/haproxy.cfg"
haproxy -db -f "$WORK/haproxy.cfg" > "$WORK/haproxy.log" 2>&1 &
HAPROXY_PID=$!
PIDS+=("$HAPROXY_PID")
wait_port 127.0.0.1 "$HAPROXY_PORT" 10
log "$(haproxy -v | head -1 | cut -d' ' -f1-3) pid $HAPROXY_PID on $HAPROXY_PORT (TLS on $HAPROXY_TLS_PORT)"

# --- measuring --------------------------------------------------------------------------------
cpu_ticks() { # "utime stime" of a process; the name field may hold spaces, so cut after ')'
  awk '{ s = $0; sub(/^.*\) /, "", s); split(s, f, " "); print f[12], f[13] }' "/proc/$1/stat"
}
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

target_of() {
  case "$1" in
    direct) echo "127.0.0.1:${B_PORTS[0]},127.0.0.1:${B_PORTS[1]},127.0.0.1:${B_PORTS[2]}" ;;
    bastion) echo "127.0.0.1:$BASTION_PORT" ;;
    haproxy) echo "127.0.0.1:$HAPROXY_PORT" ;;
  esac
}
pid_of() {
  case "$1" in
    bastion) echo "$BASTION_PID" ;;
    haproxy) echo "$HAPROXY_PID" ;;
    *) echo "" ;;
  esac
}

# run_case SCENARIO LABEL TARGET PID [loadgen options…]
run_case() {
  local scenario="$1" label="$2" target="$3" pid="$4"
  shift 4
  local base="$OUT/$scenario-$label" c0="" c1="" u0="" u1="" r0="" r1="" rh="" lg
  log "$scenario against $label"
  [ -n "$pid" ] && { read -r u0 c0 < <(cpu_ticks "$pid"); r0=$(rss_kib "$pid"); }
  rm -f "$WORK/ready"
  # shellcheck disable=SC2086
  java $LOADGEN_JAVA_OPTS -jar "$BENCH_JAR" "$scenario" --label "$label" --target "$target" \
    --source-addresses "$SOURCE_ADDRESSES" --json "$base.json" "$@" > "$base.txt" 2>&1 &
  lg=$!
  if [ "$scenario" = connect ]; then
    while [ ! -f "$WORK/ready" ] && kill -0 "$lg" 2>/dev/null; do sleep 0.2; done
    sleep 2 # the sessions are established and idle
    [ -n "$pid" ] && rh=$(rss_kib "$pid")
  fi
  wait "$lg" || log "$scenario against $label reported failures (see $base.txt)"
  [ -n "$pid" ] && { read -r u1 c1 < <(cpu_ticks "$pid"); r1=$(rss_kib "$pid"); }
  # c = system (kernel) ticks, u = user ticks
  printf '{"pid": %s, "clk_tck": %s, "user_ticks_before": %s, "user_ticks_after": %s, "sys_ticks_before": %s, "sys_ticks_after": %s, "rss_kib_before": %s, "rss_kib_hold": %s, "rss_kib_after": %s}\n' \
    "${pid:-null}" "$CLK_TCK" "${u0:-null}" "${u1:-null}" "${c0:-null}" "${c1:-null}" "${r0:-null}" "${rh:-null}" "${r1:-null}" > "$base.proc.json"
  sed 's/^/    /' "$base.txt" >&2
  sleep 1
}

# Warm-up, unmeasured: a JVM compiles its hot path during the first seconds of load, which no
# long-running proxy pays again; both proxies get the same treatment.
if [ "${WARMUP:-1}" = 1 ]; then
  for label in bastion haproxy; do
    log "warm-up against $label"
    # shellcheck disable=SC2086
    java $LOADGEN_JAVA_OPTS -jar "$BENCH_JAR" connect --label "warmup-$label" --target "$(target_of "$label")" \
      --source-addresses "$SOURCE_ADDRESSES" --connections 2000 --concurrency "$CONCURRENCY" --hold 1s \
      > "$WORK/warmup-connect-$label.txt" 2>&1 || log "warm-up connect against $label reported failures"
    # shellcheck disable=SC2086
    java $LOADGEN_JAVA_OPTS -jar "$BENCH_JAR" throughput --label "warmup-$label" --target "$(target_of "$label")" \
      --source-addresses "$SOURCE_ADDRESSES" --clients "$TP_CLIENTS" --qos 1 --payload "$TP_PAYLOAD" \
      --window "$TP_WINDOW" --warmup 1s --duration 5s \
      > "$WORK/warmup-throughput-$label.txt" 2>&1 || log "warm-up throughput against $label reported failures"
  done
  for target in "bastion 127.0.0.1:$BASTION_TLS_PORT" "haproxy 127.0.0.1:$HAPROXY_TLS_PORT"; do
    set -- $target
    # shellcheck disable=SC2086
    java $LOADGEN_JAVA_OPTS -jar "$BENCH_JAR" tls --label "warmup-$1" --target "$2" \
      --concurrency "$TLS_CONCURRENCY" --duration 3s > "$WORK/warmup-tls-$1.txt" 2>&1 \
      || log "warm-up tls against $1 reported failures"
  done
fi

for scenario in $SCENARIOS; do
  case "$scenario" in
    connect)
      for label in direct bastion haproxy; do
        run_case connect "$label" "$(target_of "$label")" "$(pid_of "$label")" \
          --connections "$CONNECTIONS" --concurrency "$CONCURRENCY" --hold "$HOLD" \
          --ready-file "$WORK/ready"
      done ;;
    throughput)
      for label in direct bastion haproxy; do
        run_case throughput "$label" "$(target_of "$label")" "$(pid_of "$label")" \
          --clients "$TP_CLIENTS" --qos "$TP_QOS" --payload "$TP_PAYLOAD" --window "$TP_WINDOW" \
          --warmup "$TP_WARMUP" --duration "$TP_DURATION"
      done ;;
    latency)
      for label in direct bastion haproxy; do
        run_case latency "$label" "$(target_of "$label")" "$(pid_of "$label")" \
          --clients "$LAT_CLIENTS" --rate "$LAT_RATE" --warmup "$LAT_WARMUP" --duration "$LAT_DURATION"
      done ;;
    tls)
      run_case tls direct "127.0.0.1:$MOSQ_TLS_PORT" "" --concurrency "$TLS_CONCURRENCY" --duration "$TLS_DURATION"
      run_case tls bastion "127.0.0.1:$BASTION_TLS_PORT" "$BASTION_PID" --concurrency "$TLS_CONCURRENCY" --duration "$TLS_DURATION"
      run_case tls haproxy "127.0.0.1:$HAPROXY_TLS_PORT" "$HAPROXY_PID" --concurrency "$TLS_CONCURRENCY" --duration "$TLS_DURATION" ;;
    *) log "unknown scenario $scenario"; exit 64 ;;
  esac
done

# --- report -----------------------------------------------------------------------------------
{
  printf '{"command": "%s", "quick": %s, "bastion": "%s", ' "$COMMAND" \
    "$([ "$QUICK" = 1 ] && echo true || echo false)" "$BASTION_HOW"
  printf '"haproxy": "%s", "mosquitto": "%s", ' "$(haproxy -v | head -1 | awk '{print $3}')" \
    "$(mosquitto -h 2>/dev/null | head -1 | awk '{print $3}')"
  printf '"java": "%s", "nproc": %s, "cpu": "%s", "mem_kib": %s, ' \
    "$(java -version 2>&1 | head -1 | sed 's/"//g')" "$(nproc)" \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')" \
    "$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
  printf '"bastion_tls": %s, "params": {"connections": %s, "hold": "%s", "tp_clients": %s, "tp_qos": %s, "tp_payload": %s, "tp_duration": "%s", "lat_clients": %s, "lat_rate": %s, "lat_duration": "%s", "tls_concurrency": %s, "tls_duration": "%s"}}\n' \
    "$([ "$BASTION_TLS" = 1 ] && echo true || echo false)" "$CONNECTIONS" "$HOLD" "$TP_CLIENTS" "$TP_QOS" \
    "$TP_PAYLOAD" "$TP_DURATION" "$LAT_CLIENTS" "$LAT_RATE" "$LAT_DURATION" "$TLS_CONCURRENCY" "$TLS_DURATION"
} > "$OUT/run.json"
python3 "$ROOT/bench/report.py" "$OUT"
log "results in $OUT (summary.md, summary.json, chart.svg)"
