package io.chatbotctl.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.kube.KubeConnection;
import io.chatbotctl.core.Json;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricValueStatus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Reads an environment's Deployment, pods, HPA and release ({@code status}), and sets its replicas ({@code scale}). */
public final class StatusService {
    /** The chatbot's Deployment (design: names used across commands). */

    private final DeployTarget target;

    public StatusService(DeployTarget target) {
        this.target = target;
    }

    public StatusResult status(String deploymentName) {
        try (KubeConnection kube = KubeConnection.open(target.kube())) {
            Deployment d = deployment(kube, deploymentName);
            RolloutState state = RolloutState.of(d);
            List<PodState> pods = new ArrayList<>();
            if (d.getSpec().getSelector() != null && d.getSpec().getSelector().getMatchLabels() != null) {
                for (Pod pod : kube.call("list pods of " + deploymentName, () -> kube.client().pods().inNamespace(kube.namespace())
                        .withLabels(d.getSpec().getSelector().getMatchLabels()).list().getItems())) {
                    pods.add(PodState.of(pod));
                }
            }
            pods.sort(Comparator.comparing(PodState::name));
            var status = d.getStatus();
            Release release = new ReleaseStore(new ClusterObjects(kube), target.environment()).current();
            return new StatusResult(target.environment(), kube.namespace(), deploymentName, image(d), state.phase().name(),
                    state.message(), d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas(),
                    status == null ? 0 : value(status.getUpdatedReplicas()), status == null ? 0 : value(status.getReadyReplicas()),
                    status == null ? 0 : value(status.getAvailableReplicas()), hpa(kube, deploymentName), release, pods);
        }
    }

    public ScaleResult scale(String deploymentName, int replicas, boolean force) {
        if (replicas < 0) {
            throw new InvalidInputException("--replicas must be 0 or more, not " + replicas);
        }
        try (KubeConnection kube = KubeConnection.open(target.kube())) {
            Deployment d = deployment(kube, deploymentName);
            int before = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            HpaState hpa = hpa(kube, deploymentName);
            boolean outside = hpa != null && (replicas < hpa.minReplicas() || replicas > hpa.maxReplicas());
            if (outside && !force) {
                throw new InvalidInputException("--replicas " + replicas + " is outside the bounds " + hpa.minReplicas() + "-"
                        + hpa.maxReplicas() + " of HPA " + hpa.name() + ", which would undo it",
                        "pass --force to scale anyway, or change minReplicas/maxReplicas in the overlay and deploy");
            }
            ObjectNode patch = Json.mapper().createObjectNode();
            patch.putObject("spec").put("replicas", replicas);
            new ClusterObjects(kube).mergePatch(new ObjectRef("apps/v1", "Deployment", kube.namespace(), deploymentName), patch);
            String note = null;
            if (outside) {
                note = replicas == 0
                        ? "HPA " + hpa.name() + " pauses while the Deployment has 0 replicas; scale back up to resume autoscaling"
                        : "HPA " + hpa.name() + " keeps replicas within " + hpa.minReplicas() + "-" + hpa.maxReplicas()
                        + " and will scale back at its next sync; change its bounds in the overlay to keep " + replicas;
            } else if (hpa != null) {
                note = "HPA " + hpa.name() + " may change this at its next sync, following " + hpa.metric();
            }
            return new ScaleResult(target.environment(), kube.namespace(), deploymentName, before, replicas,
                    hpa == null ? null : hpa.minReplicas(), hpa == null ? null : hpa.maxReplicas(), outside, note);
        }
    }

    private Deployment deployment(KubeConnection kube, String name) {
        Deployment d = kube.call("read deployment " + name,
                () -> kube.client().apps().deployments().inNamespace(kube.namespace()).withName(name).get());
        if (d == null) {
            throw new ExternalSystemException("deployment " + name + " does not exist in namespace " + kube.namespace()
                    + " of " + kube.server(), "deploy it first: chatbotctl deploy --env " + target.environment());
        }
        return d;
    }

    private static HpaState hpa(KubeConnection kube, String deploymentName) {
        List<HorizontalPodAutoscaler> all = kube.call("list horizontalpodautoscalers",
                () -> kube.client().autoscaling().v2().horizontalPodAutoscalers().inNamespace(kube.namespace()).list().getItems());
        for (HorizontalPodAutoscaler h : all) {
            var ref = h.getSpec().getScaleTargetRef();
            if (ref != null && "Deployment".equals(ref.getKind()) && deploymentName.equals(ref.getName())) {
                String metric = "-", current = "<unknown>", targetValue = "-";
                if (h.getSpec().getMetrics() != null && !h.getSpec().getMetrics().isEmpty()) {
                    MetricSpec spec = h.getSpec().getMetrics().get(0);
                    metric = metricName(spec);
                    targetValue = target(spec);
                    if (h.getStatus() != null && h.getStatus().getCurrentMetrics() != null && !h.getStatus().getCurrentMetrics().isEmpty()) {
                        current = current(h.getStatus().getCurrentMetrics().get(0));
                    }
                }
                var status = h.getStatus();
                return new HpaState(h.getMetadata().getName(), h.getSpec().getMinReplicas() == null ? 1 : h.getSpec().getMinReplicas(),
                        h.getSpec().getMaxReplicas(), status == null ? 0 : value(status.getCurrentReplicas()),
                        status == null ? 0 : value(status.getDesiredReplicas()), metric, current, targetValue);
            }
        }
        return null;
    }

    private static String metricName(MetricSpec spec) {
        return switch (spec.getType()) {
            case "Pods" -> spec.getPods().getMetric().getName();
            case "Object" -> spec.getObject().getMetric().getName();
            case "External" -> spec.getExternal().getMetric().getName();
            case "Resource" -> spec.getResource().getName();
            case "ContainerResource" -> spec.getContainerResource().getName();
            default -> spec.getType();
        };
    }

    private static String target(MetricSpec spec) {
        MetricTarget t = switch (spec.getType()) {
            case "Pods" -> spec.getPods().getTarget();
            case "Object" -> spec.getObject().getTarget();
            case "External" -> spec.getExternal().getTarget();
            case "Resource" -> spec.getResource().getTarget();
            case "ContainerResource" -> spec.getContainerResource().getTarget();
            default -> null;
        };
        return t == null ? "-" : describe(t.getAverageValue(), t.getValue(), t.getAverageUtilization());
    }

    private static String current(MetricStatus status) {
        MetricValueStatus v = switch (status.getType()) {
            case "Pods" -> status.getPods().getCurrent();
            case "Object" -> status.getObject().getCurrent();
            case "External" -> status.getExternal().getCurrent();
            case "Resource" -> status.getResource().getCurrent();
            case "ContainerResource" -> status.getContainerResource().getCurrent();
            default -> null;
        };
        return v == null ? "<unknown>" : describe(v.getAverageValue(), v.getValue(), v.getAverageUtilization());
    }

    private static String describe(Quantity average, Quantity value, Integer utilization) {
        if (average != null) {
            return average.toString();
        }
        if (value != null) {
            return value.toString();
        }
        return utilization == null ? "-" : utilization + "%";
    }

    private static String image(Deployment d) {
        var containers = d.getSpec().getTemplate().getSpec().getContainers();
        return containers.stream().filter(c -> "vllm".equals(c.getName())).findFirst().orElse(containers.get(0)).getImage();
    }

    private static int value(Integer i) {
        return i == null ? 0 : i;
    }
}
