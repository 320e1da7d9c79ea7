#!/usr/bin/env bash
# Simulator benchmark: how much the simulator can emit, and whether it keeps its configured inter-token latency
# with 1,000 concurrent streams. Loopback only, bounded in time.
#   1. --itl 0: the most completions/s and tokens/s (streamed: SseLoad, a one-thread NIO client; non-streamed: hey).
#   2. --itl 20ms: 1,000 concurrent streams of 100 tokens; client-side ITL vs configured (goal: within 10%).
# The peer (llm-d's inference simulator) needs Go and libzmq, which this machine does not have; the figures are
# absolute, with the ratio to the configured latency as the check.
# Usage: bench/sim.sh [SECONDS_PER_RUN]   (default 15)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SECONDS_PER_RUN="${1:-15}"
JAR=cli/target/chatbotctl.jar
[ -f "$JAR" ] && [ -f cli/target/test-classes/io/chatbotctl/sim/SseLoad.class ] || mvn -q -B -o -DskipTests package
LOAD=(java -cp "cli/target/test-classes:$JAR" io.chatbotctl.sim.SseLoad)
HEY=/usr/bin/hey
[ -x "$HEY" ] || { echo "bench/sim.sh: $HEY is missing: apt-get install -y hey" >&2; exit 1; }
PORT=18787
URL="http://127.0.0.1:$PORT/v1"
SIM_PID=""

start_sim() {
  java -Xmx1g -jar "$JAR" sim --port "$PORT" "$@" >/dev/null 2>&1 &
  SIM_PID=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "bench/sim.sh: the simulator did not start" >&2
  exit 1
}
stop_sim() {
  [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null || true
  SIM_PID=""
}
trap stop_sim EXIT
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
field() { /usr/bin/python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

echo "machine: $(nproc) cores, $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"

echo "== 1. --itl 0 --prefill-per-1k-tokens 0: maximum output"
start_sim --itl 0 --prefill-per-1k-tokens 0 --max-num-seqs 1024
"${LOAD[@]}" "$URL" 64 10 64 >/dev/null   # warm-up (JIT)
t0=$(cpu_ticks "$SIM_PID")
stream=$("${LOAD[@]}" "$URL" 64 "$SECONDS_PER_RUN" 64)
t1=$(cpu_ticks "$SIM_PID")
echo "streamed, 64 connections, 64 tokens each: $stream"
echo "simulator CPU: $(( (t1 - t0) * 10 )) ms for $(field "$stream" completions) completions"
body='{"messages":[{"role":"user","content":"Where is my order?"}],"max_tokens":64}'
hey_out=$("$HEY" -z "${SECONDS_PER_RUN}s" -c 64 -m POST -T application/json -d "$body" "$URL/chat/completions")
echo "non-streamed (hey, 64 connections, 64 tokens each): $(grep -E 'Requests/sec' <<<"$hey_out" | xargs), $(grep -E '\[200\]' <<<"$hey_out" | xargs)"
stop_sim

echo "== 2. --itl 20ms: 1,000 concurrent streams of 100 tokens"
start_sim --itl 20ms --prefill-per-1k-tokens 0 --max-num-seqs 1024
"${LOAD[@]}" "$URL" 400 10 20 >/dev/null   # warm-up (JIT)
t0=$(cpu_ticks "$SIM_PID")
held=$("${LOAD[@]}" "$URL" 1000 "$((SECONDS_PER_RUN + 5))" 100)
t1=$(cpu_ticks "$SIM_PID")
echo "1,000 streams: $held"
echo "simulator CPU: $(( (t1 - t0) * 10 )) ms over the run"
# Individual gaps as the simulator emitted them (its vllm:inter_token_latency_seconds histogram, warm-up included).
curl -s "http://127.0.0.1:$PORT/metrics" > /tmp/sim-bench-metrics.txt
/usr/bin/python3 - /tmp/sim-bench-metrics.txt <<'PY'
import re, sys
text = open(sys.argv[1]).read()
b = {m.group(1): float(m.group(2)) for m in
     re.finditer(r'^vllm:inter_token_latency_seconds_bucket\{.*le="([^"]+)"\} (\S+)$', text, re.M)}
n = b["+Inf"]
le10, le25, le50 = b["0.01"] / n, b["0.025"] / n, b["0.05"] / n
print(f"server-side gaps: {n:.0f}; <= 10 ms (bunched after a delay) {le10:.1%}; <= 25 ms {le25:.1%}; <= 50 ms {le50:.1%}")
PY
/usr/bin/python3 - "$held" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
ratio = r["itl_mean_ms"] / 20.0
print(f"ITL mean {r['itl_mean_ms']:.2f} ms / configured 20 ms = {ratio:.3f} "
      f"({'within' if abs(ratio - 1) <= 0.10 else 'OUTSIDE'} 10%); p50 {r['itl_p50_ms']:.2f} ms, p99 {r['itl_p99_ms']:.2f} ms; "
      f"errors {r['errors']}")
PY
