package io.chatbotctl.runbook;

import io.chatbotctl.kube.NodeFacts;
import io.chatbotctl.kube.PodFacts;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Who serves right now: evicted and pending pods, pods on affected nodes, ready pods on on-demand nodes. */
final class ServingCheck implements Check {

    @Override
    public List<Finding> run(RunContext context, Map<String, Object> params) {
        Map<String, Node> nodes = context.client.nodes().list().getItems().stream()
                .collect(Collectors.toMap(n -> n.getMetadata().getName(), Function.identity()));
        List<Pod> pods = Workload.pods(context, context.options.pod());
        List<Finding> findings = new ArrayList<>();
        int onDemandReady = 0;
        int ready = 0;
        for (Pod pod : pods) {
            String name = pod.getMetadata().getName();
            String nodeName = pod.getSpec().getNodeName();
            Node node = nodeName == null ? null : nodes.get(nodeName);
            if (Workload.evicted(pod)) {
                findings.add(Finding.problem("evicted", "pod", name, "evicted from " + nodeName, pod.getStatus().getMessage()));
                continue;
            }
            if ("Pending".equals(pod.getStatus().getPhase())) {
                String why = pendingMessage(pod);
                findings.add(Finding.problem(why.contains("nvidia.com/gpu") ? "pending-gpu" : "pending", "pod", name,
                        "Pending" + (why.isEmpty() ? "" : ": " + why), why));
                continue;
            }
            if (node != null && Nodes.affected(node)) {
                findings.add(Finding.problem("on-affected-node", "pod", name, "still on " + NodeFacts.capacityType(node)
                        + " node " + nodeName + " which is going away", null));
            }
            if (PodFacts.ready(pod)) {
                ready++;
                if (node != null && "on-demand".equals(NodeFacts.capacityType(node)) && !Nodes.affected(node)) {
                    onDemandReady++;
                    findings.add(Finding.info("on-demand-serving", "pod", name, "Ready on on-demand node " + nodeName));
                }
            }
        }
        if (ready == 0) {
            findings.add(Finding.problem("no-ready-pods", "deployment", context.names.deployment(), "no vllm-chatbot pod is Ready: the service is down", null));
        } else if (onDemandReady == 0) {
            findings.add(Finding.info("no-on-demand-serving", "deployment", context.names.deployment(),
                    "no Ready pod on an on-demand node: serving depends on spot capacity"));
        }
        findings.add(Finding.info("ready-pods", "deployment", context.names.deployment(), ready + " pods Ready"));
        return findings;
    }

    private static String pendingMessage(Pod pod) {
        if (pod.getStatus().getConditions() == null) {
            return "";
        }
        return pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
                .map(c -> c.getMessage() == null ? "" : c.getMessage()).findFirst().orElse("");
    }
}
