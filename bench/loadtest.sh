#!/usr/bin/env bash
# Load generator benchmark, all on loopback against `chatbotctl sim` (a separate process), in one run:
#  (a) the most streaming requests/s and tokens/s each generator sustains with the simulator at --itl 0:
#      chatbotctl loadtest vs the Python asyncio peer (bench/loadtest_peer.py, written like the original script)
#      vs hey (/usr/bin/hey) on the non-streaming endpoint;
#  (b) TTFT error at 1,000 concurrent streams (measured minus the simulator's configured TTFT), ours vs the peer.
# Prints medians of RUNS runs and the ratios. Needs: /usr/bin/python3 with httpx (python3-httpx), /usr/bin/hey.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. bench/lib.sh

RUNS=${RUNS:-3}
SECONDS_A=${SECONDS_A:-10}
CONCURRENCY_A=${CONCURRENCY_A:-128}
MAX_TOKENS=${MAX_TOKENS:-32}
STREAMS_B=${STREAMS_B:-1000}
PY=/usr/bin/python3
JAR=${JAR:-cli/target/chatbotctl.jar}  # JAR=other.jar compares another build on the same machine
[ -x /usr/bin/hey ] || { echo "bench/loadtest.sh: needs hey (apt-get install -y hey)" >&2; exit 1; }
$PY -c 'import httpx' 2>/dev/null || { echo "bench/loadtest.sh: needs python3-httpx (apt-get install -y python3-httpx)" >&2; exit 1; }
[ -f "$JAR" ] || mvn -q -B -o -DskipTests package
TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start_sim() { # PORT ARGS...
  local port=$1; shift
  java -jar "$JAR" sim --port "$port" "$@" >"$TMP/sim-$port.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && return 0; sleep 0.2; done
  echo "simulator on $port did not start:" >&2; cat "$TMP/sim-$port.log" >&2; exit 1
}
json() { $PY -c "import json,sys; d=json.load(open('$1')); v=$2; print(round(v, 3) if isinstance(v, float) else v)"; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

PROMPT='주문한 상품이 아직 도착하지 않았어요. 배송 상태를 알려주세요.'
printf '{"prompt": "%s"}\n' "$PROMPT" >"$TMP/prompt.jsonl"
BODY=$(printf '{"model":"llama-3.1-8b-instruct","messages":[{"role":"user","content":"%s"}],"max_tokens":%d,"ignore_eos":true,"stream":false}' "$PROMPT" "$MAX_TOKENS")

echo "machine: $(machine)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"

# (a) capacity: the simulator answers as fast as it can
PORT_A=$(free_port)
start_sim "$PORT_A" --profile fast --itl 0 --prefill-per-1k-tokens 0 --max-num-seqs 4096
URL_A="http://127.0.0.1:$PORT_A/v1"
ours_rps=(); ours_tps=(); peer_rps=(); peer_tps=(); hey_rps=(); last_peer_rps=300
for run in $(seq 1 "$RUNS"); do
  java -jar "$JAR" loadtest --endpoint "$URL_A" --prompts "$TMP/prompt.jsonl" -c "$CONCURRENCY_A" --duration "${SECONDS_A}s" \
    --warmup 2s --max-tokens "$MAX_TOKENS" --ignore-eos --metrics-url none --out "$TMP/ours-a.json" >/dev/null 2>"$TMP/ours-a.err" || true
  ours_rps+=("$(json "$TMP/ours-a.json" "d['results']['requestsPerSecond']")")
  ours_tps+=("$(json "$TMP/ours-a.json" "d['results']['outputTokensPerSecond']")")
  # the peer gets a request count that takes it about as long as ours ran
  n=$($PY -c "print(max(500, int($last_peer_rps * $SECONDS_A)))")
  $PY bench/loadtest_peer.py "$URL_A" "$CONCURRENCY_A" "$n" "$MAX_TOKENS" >"$TMP/peer-a.json"
  peer_rps+=("$(json "$TMP/peer-a.json" "d['requests_per_second']")")
  peer_tps+=("$(json "$TMP/peer-a.json" "d['tokens_per_second']")")
  last_peer_rps=${peer_rps[-1]}
  hey -z "${SECONDS_A}s" -c "$CONCURRENCY_A" -m POST -T application/json -d "$BODY" "$URL_A/chat/completions" >"$TMP/hey.txt"
  hey_rps+=("$(awk '/Requests\/sec:/ { print $2 }' "$TMP/hey.txt")")
  echo "run $run: ours ${ours_rps[-1]} req/s ${ours_tps[-1]} tok/s; peer ${peer_rps[-1]} req/s ${peer_tps[-1]} tok/s; hey ${hey_rps[-1]} req/s (non-streaming)"
done
kill "${PIDS[0]}" 2>/dev/null || true
O_RPS=$(printf '%s\n' "${ours_rps[@]}" | median); O_TPS=$(printf '%s\n' "${ours_tps[@]}" | median)
P_RPS=$(printf '%s\n' "${peer_rps[@]}" | median); P_TPS=$(printf '%s\n' "${peer_tps[@]}" | median)
H_RPS=$(printf '%s\n' "${hey_rps[@]}" | median)

# (b) TTFT error at 1,000 streams: TTFT = 2 s per 1k prompt tokens, 20 ms per token, more slots than streams
PORT_B=$(free_port)
start_sim "$PORT_B" --prefill-per-1k-tokens 2s --itl 20ms --itl-jitter 0 --batch-slowdown 0 --max-num-seqs 4096
URL_B="http://127.0.0.1:$PORT_B/v1"
ours_e50=(); ours_e99=(); peer_e50=(); peer_e99=()
for run in $(seq 1 "$RUNS"); do
  java -jar "$JAR" loadtest --endpoint "$URL_B" --prompts "$TMP/prompt.jsonl" -c "$STREAMS_B" --requests $((STREAMS_B * 3)) \
    --warmup "$STREAMS_B" --max-tokens 16 --ignore-eos --metrics-url none --timeout 120s --out "$TMP/ours-b.json" >/dev/null 2>"$TMP/ours-b.err" || true
  prompt_tokens=$(json "$TMP/ours-b.json" "d['results']['promptTokens'] / max(1, d['results']['succeeded'])")
  configured=$($PY -c "print(2.0 * $prompt_tokens)")
  ours_e50+=("$(json "$TMP/ours-b.json" "d['results']['latencies']['ttft']['p50Ms'] - $configured")")
  ours_e99+=("$(json "$TMP/ours-b.json" "d['results']['latencies']['ttft']['p99Ms'] - $configured")")
  $PY bench/loadtest_peer.py "$URL_B" "$STREAMS_B" $((STREAMS_B * 3)) 16 >"$TMP/peer-b.json"
  peer_e50+=("$(json "$TMP/peer-b.json" "d['ttft_p50_ms'] - $configured")")
  peer_e99+=("$(json "$TMP/peer-b.json" "d['ttft_p99_ms'] - $configured")")
  echo "run $run: configured TTFT $configured ms; error p50/p99: ours ${ours_e50[-1]}/${ours_e99[-1]} ms, peer ${peer_e50[-1]}/${peer_e99[-1]} ms"
done
OE50=$(printf '%s\n' "${ours_e50[@]}" | median); OE99=$(printf '%s\n' "${ours_e99[@]}" | median)
PE50=$(printf '%s\n' "${peer_e50[@]}" | median); PE99=$(printf '%s\n' "${peer_e99[@]}" | median)

echo
echo "(a) streaming capacity, concurrency $CONCURRENCY_A, max_tokens $MAX_TOKENS, simulator --itl 0 (medians of $RUNS)"
printf '  %-34s %10s req/s %10s tokens/s\n' "chatbotctl loadtest (streaming)" "$O_RPS" "$O_TPS"
printf '  %-34s %10s req/s %10s tokens/s\n' "Python asyncio+httpx (streaming)" "$P_RPS" "$P_TPS"
printf '  %-34s %10s req/s\n' "hey (non-streaming)" "$H_RPS"
echo "  ratio ours/python: $(ratio "$O_RPS" "$P_RPS")x req/s, $(ratio "$O_TPS" "$P_TPS")x tokens/s; ours/hey: $(ratio "$O_RPS" "$H_RPS")x"
echo "(b) TTFT error at $STREAMS_B concurrent streams (measured - configured, medians of $RUNS)"
echo "  chatbotctl loadtest: p50 ${OE50} ms, p99 ${OE99} ms"
echo "  Python asyncio peer: p50 ${PE50} ms, p99 ${PE99} ms"
