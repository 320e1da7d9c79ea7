package io.chatbotctl.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.Map;

/** What a Pod says about itself, read the same way by {@code doctor} and the runbooks. */
public final class PodFacts {
    private PodFacts() {}

    /** Ready condition True and not being deleted. */
    public static boolean ready(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null
                || pod.getStatus().getConditions() == null) {
            return false;
        }
        return pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Holds its node's resources: bound and neither Succeeded nor Failed. */
    public static boolean holdsResources(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return pod.getSpec() != null && pod.getSpec().getNodeName() != null
                && !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    /** The pod's request of {@code resource}, as the scheduler counts it (sum of containers' requests, else limits). */
    public static long request(Pod pod, String resource) {
        long sum = 0;
        for (Container c : pod.getSpec().getContainers()) {
            sum += amount(c.getResources() == null ? null : c.getResources().getRequests(), resource,
                    c.getResources() == null ? null : c.getResources().getLimits());
        }
        return sum;
    }

    private static long amount(Map<String, Quantity> requests, String resource, Map<String, Quantity> limits) {
        Quantity q = requests == null ? null : requests.get(resource);
        if (q == null && limits != null) {
            q = limits.get(resource);
        }
        return q == null ? 0 : Quantity.getAmountInBytes(q).longValue();
    }
}
