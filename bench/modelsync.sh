#!/usr/bin/env bash
# chatbotctl model sync vs `aws s3 sync` vs `rclone copy` against one loopback S3Proxy, plus `cp` as the ceiling.
# Cold = empty destination; warm = everything already there (a no-op resync). Medians of RUNS runs; ratios are
# peer time / chatbotctl time from the same run. The tree (2 GiB+) is generated under /tmp and deleted afterwards.
#
#   bench/modelsync.sh                 # 4 x 512 MiB shards + small JSON files, 3 runs
#   SHARDS=2 SHARD_MIB=256 RUNS=1 bench/modelsync.sh   # a quick look
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SHARDS=${SHARDS:-4}
SHARD_MIB=${SHARD_MIB:-512}
RUNS=${RUNS:-3}
PORT=${PORT:-$((20000 + RANDOM % 20000))}
JAR=cli/target/chatbotctl.jar
AWS=/usr/bin/aws            # the Debian aws CLI v2 (the `aws` on PATH may be an old v1 shim)
RCLONE=/usr/bin/rclone
ENDPOINT=http://127.0.0.1:$PORT

for tool in "$AWS" "$RCLONE"; do
  [ -x "$tool" ] || { echo "missing $tool: apt-get install -y awscli rclone" >&2; exit 1; }
done
./chatbotctl version >/dev/null   # builds the jar when it is stale

WORK=$(mktemp -d /tmp/modelsync-bench.XXXXXX)
# the server's own copies (serve-s3 needs S3Proxy's jar too); do not rebuild the checkout while this runs
cp "$JAR" "${JAR%.jar}-s3proxy.jar" "$WORK/"
JAR=$WORK/chatbotctl.jar
SERVER_PID=
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

unset AWS_CA_BUNDLE  # loopback http; rclone refuses a custom CA bundle with its transport
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret AWS_REGION=us-east-1
export AWS_CONFIG_FILE=$WORK/aws-config AWS_SHARED_CREDENTIALS_FILE=/dev/null RCLONE_CONFIG=/dev/null
: > "$AWS_CONFIG_FILE"

echo "generating ${SHARDS} x ${SHARD_MIB} MiB shards + JSON files in $WORK/src" >&2
mkdir -p "$WORK/src"
for i in $(seq 1 "$SHARDS"); do
  head -c $((SHARD_MIB * 1024 * 1024)) /dev/urandom > "$WORK/src/model-$(printf %05d "$i")-of-$(printf %05d "$SHARDS").safetensors"
done
head -c $((9 * 1024 * 1024)) /dev/urandom | base64 > "$WORK/src/tokenizer.json"
for f in config.json generation_config.json tokenizer_config.json special_tokens_map.json model.safetensors.index.json; do
  head -c 2048 /dev/urandom | base64 > "$WORK/src/$f"
done
BYTES=$(du -sb "$WORK/src" | cut -f1)

java -cp "$JAR:${JAR%.jar}-s3proxy.jar" io.chatbotctl.cli.Main model serve-s3 --dir "$WORK/blobs" --port "$PORT" --bucket models \
  --access-key "$AWS_ACCESS_KEY_ID" --secret-key "$AWS_SECRET_ACCESS_KEY" 2>"$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 1 300); do curl -s -o /dev/null "$ENDPOINT" && break; sleep 0.2; done

echo "uploading with chatbotctl model push" >&2
java -jar "$JAR" model push "$WORK/src" s3://models/bench/ --endpoint-url "$ENDPOINT" >/dev/null 2>"$WORK/push.log" \
  || { cat "$WORK/push.log" >&2; exit 1; }

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Through the launcher, as users run it: C1 + Serial GC for `model` commands and the class-data-sharing archive.
run_chatbotctl() { ./chatbotctl model sync s3://models/bench/ "$1" --endpoint-url "$ENDPOINT" >/dev/null 2>>"$WORK/chatbotctl.log"; }
run_chatbotctl_nofsync() { ./chatbotctl model sync s3://models/bench/ "$1" --endpoint-url "$ENDPOINT" --no-fsync >/dev/null 2>>"$WORK/chatbotctl.log"; }
run_aws() { "$AWS" s3 sync s3://models/bench/ "$1" --endpoint-url "$ENDPOINT" --only-show-errors; }
run_rclone() {
  "$RCLONE" copy :s3:models/bench "$1" --s3-provider Other --s3-endpoint "$ENDPOINT" --s3-force-path-style=true \
    --s3-access-key-id "$AWS_ACCESS_KEY_ID" --s3-secret-access-key "$AWS_SECRET_ACCESS_KEY" --s3-region us-east-1
}
run_rclone_sync() { run_rclone "$1" && sync -f "$1"; }   # rclone made durable: like chatbotctl's default fsync
run_cp() { cp -r "$WORK/src" "$1"; sync -f "$1" 2>/dev/null || true; }   # with the flush to disk: the durable ceiling

TOOLS=(chatbotctl chatbotctl-nofsync aws rclone rclone-sync cp)
declare -A COLD_RUNS WARM_RUNS COLD WARM
# One untimed pass of each client first: S3Proxy's JIT warms up on it, not on whichever tool happens to run first.
for tool in chatbotctl aws rclone; do "run_$tool" "$WORK/warm-up"; rm -rf "$WORK/warm-up"; done
sync   # let the generated tree and the upload reach the disk before anything is timed
# Runs are interleaved (run 1 of every tool, then run 2, ...) so background load and writeback hit all tools alike.
# The order rotates from run to run, so no tool always runs right after the same neighbour (cp's write-back, say).
for r in $(seq 1 "$RUNS"); do
  n=${#TOOLS[@]}
  for k in $(seq 0 $((n - 1))); do
    tool=${TOOLS[$(( (k + r - 1) % n ))]}
    dest="$WORK/dest-$tool"
    rm -rf "$dest"
    t0=$(now); "run_${tool//-/_}" "$dest"; t1=$(now)
    COLD_RUNS[$tool]+="$(echo "$t1 - $t0" | bc -l) "
    if [ "$tool" != cp ]; then
      t0=$(now); "run_${tool//-/_}" "$dest"; t1=$(now)
      WARM_RUNS[$tool]+="$(echo "$t1 - $t0" | bc -l) "
    fi
    if [ "$tool" != cp ] && [ "$r" = 1 ]; then
      (cd "$WORK/src" && find . -type f -exec sha256sum {} + | sort -k2) > "$WORK/src.sha"
      (cd "$dest" && find . -path ./.chatbotctl -prune -o -type f ! -name .chatbotctl-manifest.json -exec sha256sum {} + | sort -k2) > "$WORK/dest.sha"
      diff -q "$WORK/src.sha" "$WORK/dest.sha" >/dev/null || { echo "$tool: content differs from the source" >&2; exit 1; }
    fi
    rm -rf "$dest"
    sync
  done
done
for tool in "${TOOLS[@]}"; do
  COLD[$tool]=$(printf '%s\n' ${COLD_RUNS[$tool]} | median)
  [ "$tool" != cp ] && WARM[$tool]=$(printf '%s\n' ${WARM_RUNS[$tool]} | median)
  echo "$tool cold: ${COLD_RUNS[$tool]} warm: ${WARM_RUNS[$tool]:-}" >&2
done

mib() { echo "$BYTES / 1048576 / $1" | bc -l; }
echo
echo "model sync benchmark: $(echo "$BYTES / 1048576" | bc) MiB in $((SHARDS + 6)) files, S3Proxy on loopback, medians of $RUNS ($(date -u +%F), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-20s %10s %10s %12s %14s\n' tool "cold s" "MiB/s" "warm s" "cold time/ours"
for tool in "${TOOLS[@]}"; do
  printf '%-20s %10.2f %10.0f %12s %13.2fx\n' "$tool" "${COLD[$tool]}" "$(mib "${COLD[$tool]}")" \
    "$( [ "$tool" = cp ] && echo - || printf '%.2f' "${WARM[$tool]}")" "$(echo "${COLD[$tool]} / ${COLD[chatbotctl]}" | bc -l)"
done
printf 'warm (no-op) time / ours: aws %.2fx, rclone %.2fx; chatbotctl no-op %.2f s (goal < 1 s)\n' \
  "$(echo "${WARM[aws]} / ${WARM[chatbotctl]}" | bc -l)" "$(echo "${WARM[rclone]} / ${WARM[chatbotctl]}" | bc -l)" "${WARM[chatbotctl]}"
printf 'like for like, peer time / ours: durable (data on disk before it counts as done): chatbotctl %.2f s, rclone + sync %.2f s (%.2fx); without fsync: chatbotctl --no-fsync %.2f s, rclone %.2f s (%.2fx), aws %.2f s (%.2fx)\n' \
  "${COLD[chatbotctl]}" "${COLD[rclone-sync]}" "$(echo "${COLD[rclone-sync]} / ${COLD[chatbotctl]}" | bc -l)" \
  "${COLD[chatbotctl-nofsync]}" "${COLD[rclone]}" "$(echo "${COLD[rclone]} / ${COLD[chatbotctl-nofsync]}" | bc -l)" \
  "${COLD[aws]}" "$(echo "${COLD[aws]} / ${COLD[chatbotctl-nofsync]}" | bc -l)"
