#!/usr/bin/env bash
# Rendering the production overlay: median of N runs of `chatbotctl render --env production` beside its peer
# `kubectl kustomize manifests/overlays/production` (kustomize v5 inside kubectl), in the same run; checks first
# that both print the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
runs=${RUNS:-15}
overlay=manifests/overlays/production
./chatbotctl version >/dev/null   # builds the jar and the CDS archive when needed; not timed

if cmp -s <(./chatbotctl render --env production) <(kubectl kustomize "$overlay" 2>/dev/null); then
  same="identical bytes"
else
  same="OUTPUT DIFFERS"
fi

ours=$(median_of "$runs" ./chatbotctl render --env production)
lint=$(median_of "$runs" ./chatbotctl lint --env production)
peer=$(median_of "$runs" kubectl kustomize "$overlay")

read -r first warm < <(java -cp cli/target/chatbotctl.jar bench/RenderWarm.java "$overlay" 200)

echo "machine: $(machine)"
echo "output: $same"
printf '%-48s %8s %12s\n' "command (median of $runs)" "seconds" "vs kubectl"
printf '%-48s %8s %12s\n' "chatbotctl render --env production" "$ours" "$(ratio "$ours" "$peer")x"
printf '%-48s %8s %12s\n' "chatbotctl lint --env production (render+lint)" "$lint" "$(ratio "$lint" "$peer")x"
printf '%-48s %8s %12s\n' "kubectl kustomize $overlay" "$peer" "1.00x"
echo "inside one JVM: first render ${first} ms, warm render median ${warm} ms (200 renders)"
