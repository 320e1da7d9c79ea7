package io.chatbotctl.runbook;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A {@code kubectl describe pod}-like summary: node, phase, conditions, GPU requests, each container's state. */
final class Describe implements Show {

    @Override
    public List<String> show(RunContext context, Map<String, Object> params, List<Finding> selected) {
        List<String> out = new ArrayList<>();
        for (String name : Shows.pods(context, selected)) {
            Pod pod = Shows.pod(context, name);
            if (pod == null) {
                continue;
            }
            out.add("$ kubectl -n " + context.namespace + " describe pod " + name);
            out.add("Node:        " + (pod.getSpec().getNodeName() == null ? "<none>" : pod.getSpec().getNodeName()));
            out.add("Status:      " + pod.getStatus().getPhase() + (pod.getStatus().getReason() == null ? "" : " (" + pod.getStatus().getReason() + ")"));
            if (pod.getStatus().getConditions() != null) {
                pod.getStatus().getConditions().forEach(c -> out.add("Condition:   " + c.getType() + "=" + c.getStatus()
                        + (c.getReason() == null ? "" : " " + c.getReason())));
            }
            for (Container c : pod.getSpec().getContainers()) {
                var requests = c.getResources() == null || c.getResources().getLimits() == null ? null
                        : c.getResources().getLimits().get("nvidia.com/gpu");
                out.add("Container:   " + c.getName() + " " + c.getImage() + (requests == null ? "" : " nvidia.com/gpu=" + requests));
            }
            List<ContainerStatus> statuses = new ArrayList<>(Workload.initStatuses(pod));
            statuses.addAll(Workload.containerStatuses(pod));
            for (ContainerStatus s : statuses) {
                out.add("  " + s.getName() + ": " + state(s) + ", ready " + s.getReady() + ", restarts " + s.getRestartCount()
                        + (Containers.lastExit(s) == null ? "" : ", " + Containers.lastExit(s)));
            }
        }
        return out;
    }

    private static String state(ContainerStatus s) {
        if (s.getState() == null) {
            return "unknown";
        }
        if (s.getState().getRunning() != null) {
            return "Running";
        }
        if (s.getState().getWaiting() != null) {
            return "Waiting (" + s.getState().getWaiting().getReason() + ")";
        }
        if (s.getState().getTerminated() != null) {
            return "Terminated (" + s.getState().getTerminated().getReason() + ")";
        }
        return "unknown";
    }
}
