#!/usr/bin/env bash
# Proxy benchmark, in one run on loopback: the simulator (a separate process) reached
#   direct | through `chatbotctl proxy` (keys, limits, policy, access log) | through Debian's haproxy (plain HTTP
#   pass-through: the floor of one more hop).
#  (a) open loop at RATE req/s (chatbotctl loadtest, streamed): TTFT and E2E p50/p99 each way; the added time is
#      the difference to direct, the median of RUNS rounds (the three ways interleaved in each round);
#  (b) the proxy's and haproxy's CPU per request during (a), from /proc/PID/stat, and the proxy's own added time
#      (its access log's proxyMillis: from the request to its upstream call, plus the answer's head) during (a);
#  (c) the highest streamed request rate (closed loop, CONCURRENCY streams, simulator at --itl 0) through the proxy
#      as a ratio of the direct one, in the same run.
# Needs /usr/sbin/haproxy (apt-get install -y haproxy).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. bench/lib.sh

RUNS=${RUNS:-3}
RATE=${RATE:-1000}
SECONDS_A=${SECONDS_A:-10}
SECONDS_C=${SECONDS_C:-10}
CONCURRENCY=${CONCURRENCY:-64}
MAX_TOKENS=${MAX_TOKENS:-8}
PY=/usr/bin/python3
JAR=${JAR:-cli/target/chatbotctl.jar}
HAPROXY=/usr/sbin/haproxy
[ -x "$HAPROXY" ] || { echo "bench/proxy.sh: needs haproxy (apt-get install -y haproxy)" >&2; exit 1; }
[ -f "$JAR" ] || mvn -q -B -o -DskipTests package
TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { # URL NAME
  for _ in $(seq 1 150); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "bench/proxy.sh: $2 did not start" >&2; cat "$TMP"/*.log >&2; exit 1
}
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
json() { $PY -c "import json,sys; d=json.load(open('$1')); print(d$2)"; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

SIM_PORT=$(free_port); PROXY_PORT=$(free_port); METRICS_PORT=$(free_port); HA_PORT=$(free_port)
start_sim() { # ARGS...
  java -jar "$JAR" sim --port "$SIM_PORT" "$@" >"$TMP/sim.log" 2>&1 &
  SIM_PID=$!; PIDS+=("$SIM_PID")
  wait_http "http://127.0.0.1:$SIM_PORT/health" simulator
}
stop_sim() { kill "$SIM_PID" 2>/dev/null; wait "$SIM_PID" 2>/dev/null || true; }

KEY=$(java -jar "$JAR" -o json proxy keys create bench --keys "$TMP/keys.yaml" 2>/dev/null | json /dev/stdin "['key']")
java -jar "$JAR" proxy --upstream "http://127.0.0.1:$SIM_PORT" --listen "127.0.0.1:$PROXY_PORT" \
  --metrics-listen "127.0.0.1:$METRICS_PORT" --keys "$TMP/keys.yaml" >"$TMP/access.log" 2>"$TMP/proxy.log" &
PROXY_PID=$!; PIDS+=("$PROXY_PID")
cat >"$TMP/haproxy.cfg" <<CFG
global
  maxconn 8000
  nbthread 2
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  option http-keep-alive
  option http-no-delay
frontend in
  bind 127.0.0.1:$HA_PORT
  default_backend sim
backend sim
  http-reuse always
  server sim 127.0.0.1:$SIM_PORT maxconn 4000
CFG
$HAPROXY -f "$TMP/haproxy.cfg" -db >"$TMP/haproxy.log" 2>&1 &
HA_PID=$!; PIDS+=("$HA_PID")

load() { # NAME URL OUT ARGS...
  local url=$2 out=$3; shift 3
  java -jar "$JAR" loadtest --endpoint "$url" --model llama-3.1-8b-instruct --max-tokens "$MAX_TOKENS" --ignore-eos \
    -H "Authorization: Bearer $KEY" --metrics-url none --out "$out" "$@" >/dev/null 2>"$out.err" || true
  [ -s "$out" ] || { echo "bench/proxy.sh: loadtest against $1 wrote no report:" >&2; cat "$out.err" >&2; exit 1; }
}

echo "machine: $(machine), $(date -u +%FT%TZ)"
echo "(the machine's cores are shared with other work: compare the ratios of one run, not absolute figures across runs)"

echo "== (a) open loop, $RATE req/s, streamed, $MAX_TOKENS tokens, simulator --itl 1ms; median of $RUNS rounds"
start_sim --itl 1ms --prefill-per-1k-tokens 0 --max-num-seqs 1024
wait_http "http://127.0.0.1:$PROXY_PORT/ready" proxy
wait_http "http://127.0.0.1:$HA_PORT/health" haproxy
for url in "http://127.0.0.1:$SIM_PORT/v1" "http://127.0.0.1:$PROXY_PORT/v1" "http://127.0.0.1:$HA_PORT/v1"; do
  load warm-up "$url" "$TMP/warm.json" --rate "$RATE" --duration 10s   # JIT (C2) of all three and of the generator
done
: >"$TMP/a.tsv"
for round in $(seq 1 "$RUNS"); do
  for way in direct proxy haproxy; do
    case $way in
      direct) url="http://127.0.0.1:$SIM_PORT/v1"; pid="";;
      proxy) url="http://127.0.0.1:$PROXY_PORT/v1"; pid=$PROXY_PID;;
      haproxy) url="http://127.0.0.1:$HA_PORT/v1"; pid=$HA_PID;;
    esac
    t0=0; [ -n "$pid" ] && t0=$(cpu_ticks "$pid")
    logged=$(wc -l <"$TMP/access.log")
    out="$TMP/a-$way-$round.json"
    load "$way" "$url" "$out" --rate "$RATE" --duration "${SECONDS_A}s" --warmup 1s
    t1=0; [ -n "$pid" ] && t1=$(cpu_ticks "$pid")
    [ "$way" = proxy ] && { sleep 0.5; tail -n +"$((logged + 1))" "$TMP/access.log" >>"$TMP/a-access.log"; }
    req=$(json "$out" "['results']['requests']")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$way" \
      "$(json "$out" "['results']['latencies']['ttft']['p50Ms']")" "$(json "$out" "['results']['latencies']['ttft']['p99Ms']")" \
      "$(json "$out" "['results']['latencies']['e2e']['p50Ms']")" "$(json "$out" "['results']['latencies']['e2e']['p99Ms']")" \
      "$req" "$(json "$out" "['results']['failed']")" "$(( (t1 - t0) * 10 ))" >>"$TMP/a.tsv"
  done
done
$PY - "$TMP/a.tsv" "$TMP/a-access.log" <<'PY'
import json, sys, statistics as st
rows = [l.split("\t") for l in open(sys.argv[1]).read().split("\n") if l]
by = {}
for r in rows:
    by.setdefault(r[1], []).append(r)
def med(way, i): return st.median(float(r[i]) for r in by[way])
print(f"{'way':8} {'TTFT p50':>9} {'TTFT p99':>9} {'E2E p50':>9} {'E2E p99':>9}  requests failed  (ms, medians of {len(by['direct'])} rounds)")
for way in ("direct", "proxy", "haproxy"):
    print(f"{way:8} {med(way,2):9.3f} {med(way,3):9.3f} {med(way,4):9.3f} {med(way,5):9.3f}  {sum(int(r[6]) for r in by[way]):8d} {sum(int(r[7]) for r in by[way]):6d}")
def added(way, i):  # per round, then the median: the three ways of one round ran back to back
    return st.median(float(p[i]) - float(d[i]) for p, d in zip(by[way], by["direct"]))
for way in ("proxy", "haproxy"):
    print(f"added by {way:8}: TTFT p50 {added(way,2):+.3f} ms, p99 {added(way,3):+.3f} ms; E2E p50 {added(way,4):+.3f} ms, p99 {added(way,5):+.3f} ms")
for way in ("proxy", "haproxy"):
    cpu = sum(float(r[8]) for r in by[way]); n = sum(int(r[6]) for r in by[way])
    print(f"{way} CPU per request: {cpu / n * 1000:.1f} us ({cpu:.0f} ms of CPU for {n} requests, warm-up excluded)")
own = sorted(json.loads(l)["proxyMillis"] for l in open(sys.argv[2]) if l.strip())
if own:
    print(f"the proxy's own added time (its access log's proxyMillis, {len(own)} requests): "
          f"p50 {own[len(own) // 2]:.3f} ms, p99 {own[int(len(own) * 0.99)]:.3f} ms")
PY
stop_sim

echo "== (c) highest streamed rate: closed loop, $CONCURRENCY streams, $MAX_TOKENS tokens, simulator --itl 0"
start_sim --itl 0 --prefill-per-1k-tokens 0 --max-num-seqs 1024
for way in direct proxy direct proxy; do
  [ "$way" = direct ] && url="http://127.0.0.1:$SIM_PORT/v1" || url="http://127.0.0.1:$PROXY_PORT/v1"
  load "$way" "$url" "$TMP/c-$way.json" -c "$CONCURRENCY" --duration "${SECONDS_C}s" --warmup 2s
  json "$TMP/c-$way.json" "['results']['requestsPerSecond']" >>"$TMP/c-$way.txt"
done
d=$(median <"$TMP/c-direct.txt"); p=$(median <"$TMP/c-proxy.txt")
echo "direct $d req/s, through the proxy $p req/s: ratio $(ratio "$p" "$d") (goal >= 0.5); runs interleaved: direct $(paste -sd' ' "$TMP/c-direct.txt"), proxy $(paste -sd' ' "$TMP/c-proxy.txt")"
echo "access-log lines written by the proxy: $(wc -l <"$TMP/access.log")"
