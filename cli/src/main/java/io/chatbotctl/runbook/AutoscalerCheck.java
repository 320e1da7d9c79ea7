package io.chatbotctl.runbook;

import io.chatbotctl.kube.ClusterAutoscalerStatus;
import io.fabric8.kubernetes.api.model.Event;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Whether the Cluster Autoscaler (or Karpenter) reacts to the Pending pods: its status ConfigMap and pod events. */
final class AutoscalerCheck implements Check {
    static final Set<String> SCALE_UP = Set.of("TriggeredScaleUp", "Nominated");
    static final Set<String> NO_SCALE_UP = Set.of("NotTriggerScaleUp", "FailedScaleUp");

    @Override
    public List<Finding> run(RunContext context, Map<String, Object> params) {
        List<Finding> findings = new ArrayList<>();
        ClusterAutoscalerStatus.read(context.client).filter(s -> !s.summary().isEmpty())
                .ifPresent(s -> findings.add(Finding.info("autoscaler-status", "configmap",
                        ClusterAutoscalerStatus.NAMESPACE + "/" + ClusterAutoscalerStatus.NAME, s.summary())));
        Set<String> pods = Workload.pods(context, null).stream()
                .map(p -> p.getMetadata().getName()).collect(java.util.stream.Collectors.toSet());
        for (Event e : Events.inNamespace(context)) {
            if (e.getInvolvedObject() == null || !"Pod".equals(e.getInvolvedObject().getKind())
                    || !pods.contains(e.getInvolvedObject().getName())) {
                continue;
            }
            if (SCALE_UP.contains(e.getReason())) {
                findings.add(Finding.info("scale-up-triggered", "pod", e.getInvolvedObject().getName(), e.getMessage()));
            } else if (NO_SCALE_UP.contains(e.getReason())) {
                findings.add(Finding.problem("scale-up-blocked", "pod", e.getInvolvedObject().getName(),
                        "the autoscaler will not add a node", e.getMessage()));
            }
        }
        if (findings.isEmpty()) {
            findings.add(Finding.info("autoscaler-silent", "cluster", "autoscaler",
                    "no autoscaler status or scale-up event: is the Cluster Autoscaler (or Karpenter) installed?"));
        }
        return findings;
    }
}
