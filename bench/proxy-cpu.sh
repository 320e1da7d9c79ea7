#!/usr/bin/env bash
# The proxy's CPU per request, two builds side by side (or one alone), robust to a busy machine:
#   bench/proxy-cpu.sh OLD.jar [NEW.jar]
# One simulator (its own process, --itl 1ms as in bench/proxy.sh (a)); each build's `chatbotctl proxy` in front of it
# (one key without limits, local counters, access log to a file); each proxy warmed up (WARM, at RATE); then ROUNDS
# rounds, the builds alternating, of an open loop at RATE req/s for SECONDS (chatbotctl loadtest, streamed, 8 tokens).
# CPU per request of a round = the proxy process's utime+stime (/proc/PID/stat) over the round / the access-log lines
# it wrote in the round. CPU time depends far less on the machine's load than latency does, but not on nothing (a
# busier machine batches more events per wake-up): compare the builds' rounds of one run, pair by pair.
# Prints each round, the medians, the median of the pairwise ratios NEW/OLD, and each build's CPU by thread over the
# rounds (event loops, access-log writer, JIT compilers, ...).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. bench/lib.sh
OLD=${1:?usage: bench/proxy-cpu.sh OLD.jar [NEW.jar]}
NEW=${2:-}
ROUNDS=${ROUNDS:-7}
RATE=${RATE:-500}
SECONDS_R=${SECONDS_R:-10}
WARM=${WARM:-60s}
GEN=${JAR:-cli/target/chatbotctl.jar}
PY=/usr/bin/python3
TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 150); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done; echo "bench/proxy-cpu.sh: $1 did not answer" >&2; exit 1; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
# utime+stime of the event loops (threads proxy-io-*), which the JIT compiler's catching up does not touch
loop_ticks() {
  for t in /proc/"$1"/task/*; do
    if grep -q '^proxy-io' "$t/comm" 2>/dev/null; then sed -E 's/^.*\) [A-Z] //' "$t/stat"; fi
  done | awk '{ n += $11 + $12 } END { print n + 0 }'
}
# user and system ticks by thread name (digits dropped: proxy-io-3-1 and proxy-io-3-2 are one row)
threads() {
  for f in /proc/"$1"/task/*/stat; do sed -E 's/^[0-9]+ \((.*)\) [A-Z] (.*)$/\1|\2/' "$f"; done |
    awk -F'|' '{split($2, a, " "); n = $1; gsub(/ /, "_", n); gsub(/[-#]?[0-9]+(-[0-9]+)?$/, "", n); u[n] += a[11]; s[n] += a[12]}
               END {for (k in u) print k, u[k], s[k]}' | sort
}

SIM_PORT=$(free_port)
java -jar "$GEN" sim --port "$SIM_PORT" --itl 1ms --prefill-per-1k-tokens 0 --max-num-seqs 1024 >"$TMP/sim.log" 2>&1 &
PIDS+=($!)
KEY=$(java -jar "$GEN" -o json proxy keys create bench --keys "$TMP/keys.yaml" 2>/dev/null | $PY -c 'import json,sys; print(json.load(sys.stdin)["key"])')
declare -A PORT PID
builds=(old); [ -n "$NEW" ] && builds+=(new)
for b in "${builds[@]}"; do
  jar=$OLD; [ "$b" = new ] && jar=$NEW
  PORT[$b]=$(free_port)
  java -jar "$jar" proxy --upstream "http://127.0.0.1:$SIM_PORT" --listen "127.0.0.1:${PORT[$b]}" \
    --metrics-listen "127.0.0.1:$(free_port)" --keys "$TMP/keys.yaml" >"$TMP/access-$b.log" 2>"$TMP/proxy-$b.log" &
  PID[$b]=$!; PIDS+=($!)
done
wait_http "http://127.0.0.1:$SIM_PORT/health"
for b in "${builds[@]}"; do wait_http "http://127.0.0.1:${PORT[$b]}/ready"; done
load() { # PORT DURATION
  java -jar "$GEN" loadtest --endpoint "http://127.0.0.1:$1/v1" --model llama-3.1-8b-instruct --max-tokens 8 --ignore-eos \
    -H "Authorization: Bearer $KEY" --metrics-url none --rate "$RATE" --duration "$2" --warmup 1s --out "$TMP/load.json" \
    >/dev/null 2>"$TMP/load.err" || true
}

echo "machine: $(machine), $(date -u +%FT%TZ)"
echo "old: $OLD${NEW:+; new: $NEW}; $RATE req/s streamed, $ROUNDS rounds of ${SECONDS_R}s after $WARM of warm-up each"
for b in "${builds[@]}"; do load "${PORT[$b]}" "$WARM"; done
for b in "${builds[@]}"; do threads "${PID[$b]}" >"$TMP/threads0-$b"; done
for round in $(seq 1 "$ROUNDS"); do
  for b in "${builds[@]}"; do
    t0=$(cpu_ticks "${PID[$b]}"); e0=$(loop_ticks "${PID[$b]}"); l0=$(wc -l <"$TMP/access-$b.log")
    load "${PORT[$b]}" "${SECONDS_R}s"
    sleep 0.3 # the access log's last batch
    t1=$(cpu_ticks "${PID[$b]}"); e1=$(loop_ticks "${PID[$b]}"); l1=$(wc -l <"$TMP/access-$b.log")
    echo "round $round $b: $(( (t1 - t0) * 10000 / (l1 - l0) )) us/request ($((l1 - l0)) requests, load $(cut -d' ' -f1 /proc/loadavg)), event loops $(( (e1 - e0) * 10000 / (l1 - l0) )) us/request"
  done
done | tee "$TMP/rounds"
$PY - "$TMP/rounds" <<'PY'
import sys, statistics as st
by, loops = {}, {}
for line in open(sys.argv[1]):
    p = line.split(); by.setdefault(p[2].rstrip(":"), []).append(int(p[3])); loops.setdefault(p[2].rstrip(":"), []).append(int(p[-2]))
for b in by:
    print(f"{b}: median {st.median(by[b])} us/request, event loops {st.median(loops[b])} "
          f"(rounds {' '.join(map(str, by[b]))}; event loops {' '.join(map(str, loops[b]))})")
if "new" in by:
    ratio = lambda m: st.median(n / o for n, o in zip(m["new"], m["old"]))
    print(f"new/old, median of the pairwise ratios: {ratio(by):.2f} (process), {ratio(loops):.2f} (event loops)")
PY
for b in "${builds[@]}"; do
  requests=$(awk -v b="$b:" '$3 == b { gsub(/\(/, "", $6); n += $6 } END { print n }' "$TMP/rounds")
  threads "${PID[$b]}" >"$TMP/threads1-$b"
  echo "$b: CPU by thread over the rounds, us/request (user + system):"
  join "$TMP/threads1-$b" "$TMP/threads0-$b" | awk -v n="$requests" '{ u = ($2 - $4) * 10000 / n; s = ($3 - $5) * 10000 / n
    if (u + s >= 1) printf "  %-18s %5.0f + %3.0f\n", $1, u, s }'
done
