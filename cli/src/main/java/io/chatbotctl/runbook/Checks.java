package io.chatbotctl.runbook;

import java.util.Map;

/** The built-in checks, by the name a runbook's {@code check:} uses. */
final class Checks {
    private Checks() {}

    static final Map<String, Check> ALL = Map.of(
            "pods", new PodCheck(),
            "latency", new LatencyCheck(),
            "hpa", new HpaCheck(),
            "nodes", new NodeCheck(),
            "serving", new ServingCheck(),
            "pdb", new PdbCheck(),
            "autoscaler", new AutoscalerCheck());
}
