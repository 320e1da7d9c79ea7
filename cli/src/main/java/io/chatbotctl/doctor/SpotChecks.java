package io.chatbotctl.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.kube.NodeFacts;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Spot: when the overlay lets the pods run on spot capacity, an interruption handler that fits how nodes are made.
 * <ul>
 *   <li>EKS Auto Mode handles interruptions itself (nodes labelled {@code eks.amazonaws.com/compute-type=auto}, or
 *   NodePools with an {@code eks.amazonaws.com} NodeClass);</li>
 *   <li>Karpenter handles them when its controller has an interruption queue (Helm {@code settings.interruptionQueue},
 *   the controller's {@code INTERRUPTION_QUEUE} variable: karpenter.sh/docs/reference/settings); Karpenter's docs
 *   advise against running the Node Termination Handler next to it;</li>
 *   <li>otherwise (managed node groups, Cluster Autoscaler) the AWS Node Termination Handler: a DaemonSet (IMDS mode)
 *   or a Deployment (queue mode).</li>
 * </ul>
 * Only the one that fits is demanded.
 */
final class SpotChecks {
    static final String GROUP = "Spot";
    static final String KARPENTER_QUEUE_ENV = "INTERRUPTION_QUEUE";
    static final String NTH = "aws-node-termination-handler";

    private final DoctorContext context;

    SpotChecks(DoctorContext context) {
        this.context = context;
    }

    List<CheckResult> run() {
        JsonNode pod = context.podSpec();
        Optional<String> spot = spotEvidence(pod);
        if (spot.isEmpty()) {
            return List.of(CheckResult.ok(GROUP, "interruption-handler", pod.isMissingNode()
                    ? "no rendered Deployment: spot use unknown" : "the overlay does not use spot capacity: no interruption handler needed"));
        }
        List<JsonNode> pools = Provisioners.nodePools(context);
        boolean autoNodes = context.kube.call("list nodes", () -> context.client().nodes().list().getItems()).stream()
                .anyMatch(n -> "auto".equals(NodeFacts.labels(n).get(GpuChecks.AUTO_MODE_LABEL)));
        if (autoNodes || pools.stream().anyMatch(Provisioners::autoMode)) {
            return List.of(CheckResult.ok(GROUP, "interruption-handler", spot.get() + "; EKS Auto Mode handles spot interruptions itself"));
        }
        List<Handler> nth = nodeTerminationHandlers();
        if (!pools.isEmpty()) {
            return List.of(karpenter(spot.get(), pools, nth));
        }
        List<String> ready = nth.stream().filter(Handler::ready).map(Handler::description).toList();
        if (!ready.isEmpty()) {
            return List.of(CheckResult.ok(GROUP, "interruption-handler", spot.get() + "; " + String.join(", ", ready)));
        }
        if (!nth.isEmpty()) {
            return List.of(CheckResult.fail(GROUP, "interruption-handler", spot.get() + "; "
                            + nth.stream().map(Handler::description).collect(java.util.stream.Collectors.joining(", ")),
                    "the Node Termination Handler is installed but not ready: kubectl describe it"));
        }
        return List.of(CheckResult.fail(GROUP, "interruption-handler", spot.get()
                        + "; no Karpenter NodePool, no EKS Auto Mode and no AWS Node Termination Handler: a spot reclaim kills the pods without draining",
                "install aws-node-termination-handler (Helm chart eks/aws-node-termination-handler; queue mode with an SQS queue is"
                        + " AWS's recommendation), or provision spot nodes with Karpenter and its interruption queue"));
    }

    private CheckResult karpenter(String spot, List<JsonNode> pools, List<Handler> nth) {
        String poolNames = "Karpenter NodePools " + pools.stream().map(p -> p.path("metadata").path("name").asText()).toList();
        List<Deployment> controllers = context.kube.call("list deployments", () -> context.client().apps().deployments()
                .inAnyNamespace().withLabel("app.kubernetes.io/name", "karpenter").list().getItems());
        if (controllers.isEmpty()) {
            return CheckResult.warn(GROUP, "interruption-handler", spot + "; " + poolNames
                    + ", but no Deployment labelled app.kubernetes.io/name=karpenter to read its interruption queue from",
                    "check that the Karpenter controller runs with settings.interruptionQueue set");
        }
        Deployment d = controllers.get(0);
        Optional<String> queue = d.getSpec().getTemplate().getSpec().getContainers().stream()
                .flatMap(c -> queue(c).stream()).findFirst();
        String where = d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
        if (queue.isEmpty()) {
            return CheckResult.fail(GROUP, "interruption-handler", spot + "; " + poolNames + "; controller " + where + " has no "
                    + KARPENTER_QUEUE_ENV + ": Karpenter does not handle spot interruptions",
                    "set the Helm value settings.interruptionQueue to the SQS queue that receives the EC2 interruption events"
                            + " (the Karpenter getting-started CloudFormation creates it)");
        }
        String evidence = spot + "; " + poolNames + "; controller " + where + " reads interruption queue " + queue.get();
        if (!nth.isEmpty()) {
            return CheckResult.warn(GROUP, "interruption-handler", evidence + "; also "
                            + nth.stream().map(Handler::description).collect(java.util.stream.Collectors.joining(", ")),
                    "Karpenter handles interruptions itself: remove the Node Termination Handler (they act on the same events)");
        }
        return CheckResult.ok(GROUP, "interruption-handler", evidence);
    }

    private static Optional<String> queue(Container c) {
        if (c.getEnv() != null) {
            for (EnvVar e : c.getEnv()) {
                if (KARPENTER_QUEUE_ENV.equals(e.getName()) && e.getValue() != null && !e.getValue().isBlank()) {
                    return Optional.of(e.getValue());
                }
            }
        }
        return Optional.empty();
    }

    /** An AWS Node Termination Handler found in the cluster. */
    private record Handler(String description, boolean ready) {
    }

    /** Every NTH DaemonSet or Deployment. */
    private List<Handler> nodeTerminationHandlers() {
        List<Handler> found = new ArrayList<>();
        for (DaemonSet ds : context.kube.call("list daemonsets", () -> context.client().apps().daemonSets().inAnyNamespace().list().getItems())) {
            if (ds.getMetadata().getName().contains(NTH)) {
                int desired = ds.getStatus() == null || ds.getStatus().getDesiredNumberScheduled() == null ? 0 : ds.getStatus().getDesiredNumberScheduled();
                int ready = ds.getStatus() == null || ds.getStatus().getNumberReady() == null ? 0 : ds.getStatus().getNumberReady();
                found.add(new Handler("NTH DaemonSet " + ds.getMetadata().getNamespace() + "/" + ds.getMetadata().getName()
                        + " (IMDS mode, " + ready + " of " + desired + " ready)", ready > 0 && ready >= desired));
            }
        }
        for (Deployment d : context.kube.call("list deployments", () -> context.client().apps().deployments().inAnyNamespace().list().getItems())) {
            if (d.getMetadata().getName().contains(NTH)) {
                int ready = d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
                found.add(new Handler("NTH Deployment " + d.getMetadata().getNamespace() + "/" + d.getMetadata().getName()
                        + " (queue mode, " + ready + " ready replica(s))", ready > 0));
            }
        }
        return found;
    }

    /** Why the overlay uses spot capacity: a toleration, node selector or affinity term on a capacity-type label. */
    static Optional<String> spotEvidence(JsonNode pod) {
        for (JsonNode t : pod.path("tolerations")) {
            if (NodeFacts.CAPACITY_TYPE_LABELS.contains(t.path("key").asText())
                    && ("Exists".equals(t.path("operator").asText()) || "spot".equals(NodeFacts.capacityType(t.path("value").asText())))) {
                return Optional.of("the pods tolerate " + t.path("key").asText() + "=" + t.path("value").asText("*"));
            }
        }
        var selector = pod.path("nodeSelector").fields();
        while (selector.hasNext()) {
            var e = selector.next();
            if (NodeFacts.CAPACITY_TYPE_LABELS.contains(e.getKey()) && "spot".equals(NodeFacts.capacityType(e.getValue().asText()))) {
                return Optional.of("nodeSelector " + e.getKey() + "=" + e.getValue().asText());
            }
        }
        List<JsonNode> expressions = new ArrayList<>();
        JsonNode affinity = pod.path("affinity").path("nodeAffinity");
        affinity.path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms")
                .forEach(t -> t.path("matchExpressions").forEach(expressions::add));
        affinity.path("preferredDuringSchedulingIgnoredDuringExecution")
                .forEach(p -> p.path("preference").path("matchExpressions").forEach(expressions::add));
        for (JsonNode e : expressions) {
            if (NodeFacts.CAPACITY_TYPE_LABELS.contains(e.path("key").asText()) && "In".equals(e.path("operator").asText())) {
                for (JsonNode v : e.path("values")) {
                    if ("spot".equals(NodeFacts.capacityType(v.asText()))) {
                        return Optional.of("node affinity " + e.path("key").asText() + " In " + e.path("values"));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
