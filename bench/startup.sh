#!/usr/bin/env bash
# Start-up time of the CLI: median of 10 runs each of `chatbotctl --help` and `chatbotctl version`, beside the peer
# `kubectl version --client`. Goal: --help at most 0.35 s median on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
runs=${RUNS:-10}
./chatbotctl version >/dev/null   # builds the jar and the CDS archive when needed; not timed

help=$(median_of "$runs" ./chatbotctl --help)
version=$(median_of "$runs" ./chatbotctl version)
nocds=$(median_of "$runs" java -jar cli/target/chatbotctl.jar --help)
kubectl=$(median_of "$runs" kubectl version --client)

echo "machine: $(machine)"
printf '%-38s %8s %10s\n' "command (median of $runs)" "seconds" "vs kubectl"
printf '%-38s %8s %10s\n' "chatbotctl --help" "$help" "$(ratio "$help" "$kubectl")x"
printf '%-38s %8s %10s\n' "chatbotctl version" "$version" "$(ratio "$version" "$kubectl")x"
printf '%-38s %8s %10s\n' "java -jar chatbotctl.jar --help (no CDS)" "$nocds" "$(ratio "$nocds" "$kubectl")x"
printf '%-38s %8s %10s\n' "kubectl version --client" "$kubectl" "1.00x"
awk -v h="$help" 'BEGIN { if (h <= 0.35) print "goal --help <= 0.35 s: met"; else print "goal --help <= 0.35 s: NOT met" }'
