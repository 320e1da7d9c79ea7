#!/usr/bin/env bash
# Load-generator accuracy against an independent server (docs/benchmarks.md, "Load test accuracy"):
# bench/loadtest_ttft_server.py (Python asyncio, stdlib only, no code shared with chatbotctl) answers every chat
# completion with a fixed time to first token and logs its own first-token time per request. At each concurrency
# level, chatbotctl loadtest (no --warmup) and the source document's script (bench/loadtest_peer.py) each run
# against a fresh server; the error is the client's TTFT P50/P99 minus the server's own P50/P99 over the same
# requests. Prints the medians of RUNS runs as a Markdown table. Needs /usr/bin/python3 with httpx (python3-httpx).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. bench/lib.sh

RUNS=${RUNS:-3}
LEVELS=${LEVELS:-"1 64 512"}
TTFT_MS=${TTFT_MS:-150}
ITL_MS=${ITL_MS:-50}
MAX_TOKENS=${MAX_TOKENS:-32}
PY=/usr/bin/python3
JAR=${JAR:-cli/target/chatbotctl.jar}
$PY -c 'import httpx' 2>/dev/null || { echo "bench/loadtest_accuracy.sh: needs python3-httpx (apt-get install -y python3-httpx)" >&2; exit 1; }
[ -f "$JAR" ] || mvn -q -B -o -DskipTests package
TMP=$(mktemp -d)
SERVER=
cleanup() { [ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

requests_for() { case $1 in 1) echo 20 ;; 64) echo 256 ;; *) echo $(($1 * 2)) ;; esac; }
start_server() { # LOG
  : >"$TMP/server.out"
  $PY bench/loadtest_ttft_server.py --log "$1" --ttft-ms "$TTFT_MS" --itl-ms "$ITL_MS" >"$TMP/server.out" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do grep -q '^listening' "$TMP/server.out" && break; sleep 0.1; done
  URL="http://127.0.0.1:$(awk '/^listening/ { print $2 }' "$TMP/server.out")/v1"
}
stop_server() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=; }
# the server's own P50 or P99 (nearest rank, as HdrHistogram gives it) over the measured requests (max_tokens)
server_p() { # LOG PERCENTILE
  $PY -c "
import json, math, sys
v = sorted(json.loads(l)['first_token_ms'] for l in open('$1') if json.loads(l)['max_tokens'] == $MAX_TOKENS)
print(round(v[max(0, math.ceil($2 / 100 * len(v)) - 1)], 3))"
}
json() { $PY -c "import json; d=json.load(open('$1')); print(round($2, 3))"; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f\n", a - b }'; }

echo "machine: $(machine)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); server TTFT ${TTFT_MS} ms, ITL ${ITL_MS} ms, max_tokens $MAX_TOKENS; medians of $RUNS runs"
ROWS=()
for c in $LEVELS; do
  n=$(requests_for "$c")
  o50=(); o99=(); p50=(); p99=(); valid=()
  for run in $(seq 1 "$RUNS"); do
    : >"$TMP/ours.jsonl"; start_server "$TMP/ours.jsonl"
    java -jar "$JAR" loadtest --endpoint "$URL" -c "$c" --requests "$n" --max-tokens "$MAX_TOKENS" --metrics-url none \
      --timeout 120s --out "$TMP/ours.json" >/dev/null 2>"$TMP/ours.err" || true
    stop_server
    o50+=("$(sub "$(json "$TMP/ours.json" "d['results']['latencies']['ttft']['p50Ms']")" "$(server_p "$TMP/ours.jsonl" 50)")")
    o99+=("$(sub "$(json "$TMP/ours.json" "d['results']['latencies']['ttft']['p99Ms']")" "$(server_p "$TMP/ours.jsonl" 99)")")
    valid+=("$($PY -c "import json; print(json.load(open('$TMP/ours.json'))['status'])")")
    : >"$TMP/peer.jsonl"; start_server "$TMP/peer.jsonl"
    $PY bench/loadtest_peer.py "$URL" "$c" "$n" "$MAX_TOKENS" >"$TMP/peer.json"
    stop_server
    p50+=("$(sub "$(json "$TMP/peer.json" "d['ttft_p50_ms']")" "$(server_p "$TMP/peer.jsonl" 50)")")
    p99+=("$(sub "$(json "$TMP/peer.json" "d['ttft_p99_ms']")" "$(server_p "$TMP/peer.jsonl" 99)")")
    echo "c=$c run $run: error p50/p99 chatbotctl ${o50[-1]}/${o99[-1]} ms (${valid[-1]}), script ${p50[-1]}/${p99[-1]} ms"
  done
  ROWS+=("| $c | $n | $(printf '%s\n' "${o50[@]}" | median) / $(printf '%s\n' "${o99[@]}" | median) ms | ${valid[*]} | $(printf '%s\n' "${p50[@]}" | median) / $(printf '%s\n' "${p99[@]}" | median) ms |")
done
echo
echo "| concurrency | requests | chatbotctl loadtest, TTFT error P50 / P99 | status | bench/loadtest_peer.py, TTFT error P50 / P99 |"
echo "| ---: | ---: | ---: | --- | ---: |"
printf '%s\n' "${ROWS[@]}"
