#!/usr/bin/env bash
# The canary judge's Hodges–Lehmann estimate: selection in O(n log n) beside all m·n differences sorted (R, Kayenta).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -o -pl cli test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
java -Xmx6g -cp "cli/target/classes:cli/target/test-classes:$(cat cli/target/bench-classpath.txt)" io.chatbotctl.canary.HodgesLehmannBench
