#!/usr/bin/env bash
# `chatbotctl eval run` beside `promptfoo eval` on the same 66 cases, against one simulator answering from
# evals/responses/good-model.yaml, both at concurrency 8 without cache. Prints median wall time and peak RSS of each
# over RUNS alternating runs, the ratios, and how many cases each passed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUNS=${RUNS:-5}
PORT=${PORT:-18977}
JAR=cli/target/chatbotctl.jar
PROMPTFOO_VERSION=0.118.0  # the last line that runs on Node 20 (0.123 needs Node >= 22.22)
NODE_DIR=${NODE_DIR:-.tools/node}
[ -f "$JAR" ] || mvn -q -B -o -DskipTests package
if [ ! -x "$NODE_DIR/node_modules/.bin/promptfoo" ]; then
  mkdir -p "$NODE_DIR"
  # Install scripts would download a browser (no network for that here): skip them, then build the one native
  # module promptfoo needs (better-sqlite3) from source against the installed Node headers.
  npm install --prefix "$NODE_DIR" --ignore-scripts --omit=optional --no-audit --no-fund --silent \
    "promptfoo@$PROMPTFOO_VERSION" >/dev/null
  NODE_PREFIX=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
  NODE_GYP=$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js
  (cd "$NODE_DIR/node_modules/better-sqlite3" && node "$NODE_GYP" rebuild --release --nodedir="$NODE_PREFIX" >/dev/null 2>&1)
fi
PROMPTFOO="$NODE_DIR/node_modules/.bin/promptfoo"

WORK=$(mktemp -d)
java -jar "$JAR" sim --port "$PORT" --profile fast --responses evals/responses/good-model.yaml >"$WORK/sim.log" 2>&1 &
SIM=$!
trap 'kill "$SIM" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
URL="http://127.0.0.1:$PORT/v1"
for _ in $(seq 100); do
  python3 -c "import urllib.request; urllib.request.urlopen('$URL/models', timeout=1)" 2>/dev/null && break
  sleep 0.1
done
MODEL=$(python3 -c "import json, urllib.request; print(json.load(urllib.request.urlopen('$URL/models'))['data'][0]['id'])")
python3 bench/eval_to_promptfoo.py "$URL" "$MODEL" "$WORK/promptfoo.yaml" evals/datasets/*.jsonl

export PROMPTFOO_DISABLE_TELEMETRY=1 PROMPTFOO_DISABLE_UPDATE=1 PROMPTFOO_CONFIG_DIR="$WORK/promptfoo-home"
: >"$WORK/chatbotctl.times"
: >"$WORK/promptfoo.times"
for i in $(seq "$RUNS"); do
  /usr/bin/time -f "%e %M" -a -o "$WORK/chatbotctl.times" java -jar "$JAR" eval run --endpoint "$URL" --no-cache \
    --concurrency 8 --out "$WORK/chatbotctl.json" >/dev/null 2>&1
  /usr/bin/time -f "%e %M" -a -o "$WORK/promptfoo.times" "$PROMPTFOO" eval -c "$WORK/promptfoo.yaml" --no-cache \
    -j 8 -o "$WORK/promptfoo.json" --no-table --no-progress-bar >>"$WORK/promptfoo.log" 2>&1 || true
done

python3 - "$WORK" <<'PY'
import json, statistics, sys
work = sys.argv[1]
def load(name):
    rows = [line.split() for line in open(f"{work}/{name}.times") if line.strip() and line[0].isdigit()]
    return statistics.median(float(r[0]) for r in rows), statistics.median(int(r[1]) for r in rows) / 1024, len(rows)
c_time, c_rss, n = load("chatbotctl")
p_time, p_rss, _ = load("promptfoo")
c = json.load(open(f"{work}/chatbotctl.json"))["summary"]
p = json.load(open(f"{work}/promptfoo.json"))["results"]["stats"]
print(f"runs: {n} each, 66 cases, concurrency 8, no cache")
print(f"chatbotctl eval run : median {c_time:.2f} s, peak RSS {c_rss:.0f} MiB, passed {c['passed']}/{c['cases']}")
print(f"promptfoo eval      : median {p_time:.2f} s, peak RSS {p_rss:.0f} MiB, passed {p['successes']}/{p['successes'] + p['failures'] + p.get('errors', 0)}")
print(f"ratio promptfoo/chatbotctl: time {p_time / c_time:.2f}x, memory {p_rss / c_rss:.2f}x")
PY
