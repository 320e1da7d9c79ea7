package io.chatbotctl.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.kube.NodeFacts;
import io.chatbotctl.kube.PodFacts;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * GPU capacity: nodes the rendered Deployment's nodeSelector, required affinity and tolerations admit (or a
 * provisioner that makes them), their allocatable {@code nvidia.com/gpu}, the NVIDIA device plugin ready on them, and
 * room for the rollout's surge pod.
 */
final class GpuChecks {
    static final String GROUP = "GPU capacity";
    /** EKS Auto Mode nodes carry this label; their GPU device plugin is part of the node, not a DaemonSet. */
    static final String AUTO_MODE_LABEL = "eks.amazonaws.com/compute-type";

    private final DoctorContext context;
    private final JsonNode pod;
    private final List<Node> nodes;
    private final List<Node> admitted;
    private final List<Provisioner> provisioners;

    private record Provisioner(String describe, boolean certain) {
    }

    GpuChecks(DoctorContext context) {
        this.context = context;
        this.pod = context.podSpec();
        this.nodes = context.kube.call("list nodes", () -> context.client().nodes().list().getItems());
        this.admitted = pod.isMissingNode() ? List.of()
                : nodes.stream().filter(n -> Scheduling.refusal(pod, n) == null).toList();
        this.provisioners = pod.isMissingNode() ? List.of()
                : Provisioners.forPod(context, pod, admitted).stream()
                .map(p -> new Provisioner(p.describe(), p.certain())).toList();
    }

    List<CheckResult> run() {
        if (pod.isMissingNode()) {
            CheckResult r = CheckResult.warn(GROUP, "gpu-nodes", "no rendered Deployment " + context.request.names().deployment()
                    + ": cannot tell which nodes the pods need", "set the environment's overlay in chatbotctl.yaml");
            return List.of(r);
        }
        return List.of(nodesCheck(), allocatable(), devicePlugin(), surge());
    }

    int gpusPerPod() {
        int gpus = 0;
        for (JsonNode c : pod.path("containers")) {
            JsonNode resources = c.path("resources");
            gpus += resources.path("limits").path(NodeFacts.GPU).asInt(resources.path("requests").path(NodeFacts.GPU).asInt(0));
        }
        return gpus;
    }

    private List<Node> ready() {
        return admitted.stream().filter(NodeFacts::schedulable).toList();
    }

    private String selectorText() {
        List<String> parts = new ArrayList<>();
        pod.path("nodeSelector").fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + e.getValue().asText()));
        List<String> tolerations = new ArrayList<>();
        pod.path("tolerations").forEach(t -> tolerations.add(t.path("key").asText("*") + ":" + t.path("effect").asText("*")));
        return "nodeSelector " + (parts.isEmpty() ? "none" : String.join(",", parts)) + ", tolerations " + tolerations;
    }

    private static String names(List<Node> list) {
        return list.stream().map(n -> n.getMetadata().getName() + " (" + NodeFacts.capacityType(n) + ")")
                .collect(Collectors.joining(", "));
    }

    private CheckResult nodesCheck() {
        List<Node> ready = ready();
        if (!ready.isEmpty()) {
            return CheckResult.ok(GROUP, "gpu-nodes", ready.size() + " Ready node(s) admitted by the rendered Deployment's "
                    + selectorText() + ": " + names(ready));
        }
        String why = nodes.isEmpty() ? "the cluster has no nodes" : "no Ready, schedulable node admits the pod ("
                + selectorText() + "); " + refusals();
        var certain = provisioners.stream().filter(Provisioner::certain).toList();
        if (!certain.isEmpty()) {
            return CheckResult.ok(GROUP, "gpu-nodes", why + "; a provisioner can create one: "
                    + certain.stream().map(Provisioner::describe).collect(Collectors.joining("; ")));
        }
        if (!provisioners.isEmpty()) {
            return CheckResult.warn(GROUP, "gpu-nodes", why + "; " + provisioners.get(0).describe(),
                    "make sure a node group makes the instance type the nodeSelector names, with its labels and taints");
        }
        return CheckResult.fail(GROUP, "gpu-nodes", why + "; no Karpenter NodePool admits it and no Cluster Autoscaler runs",
                "add a GPU node group (or a Karpenter NodePool) whose nodes carry the nodeSelector's labels and whose taints the pod tolerates");
    }

    private String refusals() {
        return nodes.stream().limit(3).map(n -> {
            String r = Scheduling.refusal(pod, n);
            return n.getMetadata().getName() + ": " + (r != null ? r : !NodeFacts.ready(n) ? "NotReady"
                    : NodeFacts.cordoned(n) ? "cordoned" : "tainted for interruption");
        }).collect(Collectors.joining("; ")) + (nodes.size() > 3 ? "; ..." : "");
    }

    private CheckResult allocatable() {
        int need = gpusPerPod();
        if (ready().isEmpty()) {
            return CheckResult.warn(GROUP, "gpu-allocatable", "no admitted node to read allocatable " + NodeFacts.GPU + " from",
                    "run doctor again once a GPU node exists");
        }
        List<String> short_ = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (Node n : ready()) {
            long gpus = NodeFacts.allocatableGpus(n);
            all.add(n.getMetadata().getName() + "=" + gpus);
            if (gpus < need) {
                short_.add(n.getMetadata().getName() + " has " + gpus);
            }
        }
        if (short_.isEmpty()) {
            return CheckResult.ok(GROUP, "gpu-allocatable", "allocatable " + NodeFacts.GPU + " " + String.join(", ", all)
                    + "; the pod needs " + need);
        }
        return CheckResult.fail(GROUP, "gpu-allocatable", "the pod needs " + need + " " + NodeFacts.GPU + " but "
                + String.join(", ", short_), "the NVIDIA device plugin advertises the GPUs: check it runs on these nodes"
                + " and the driver is loaded (kubectl describe node)");
    }

    private CheckResult devicePlugin() {
        List<Node> ready = ready();
        if (!ready.isEmpty() && ready.stream().allMatch(n -> "auto".equals(NodeFacts.labels(n).get(AUTO_MODE_LABEL)))) {
            return CheckResult.ok(GROUP, "device-plugin", "EKS Auto Mode nodes (" + AUTO_MODE_LABEL
                    + "=auto) run the GPU device plugin themselves");
        }
        List<DaemonSet> plugins = context.kube.call("list daemonsets", () -> context.client().apps().daemonSets()
                .inAnyNamespace().list().getItems()).stream().filter(GpuChecks::isDevicePlugin).toList();
        if (plugins.isEmpty()) {
            return CheckResult.fail(GROUP, "device-plugin", "no NVIDIA device plugin DaemonSet (image k8s-device-plugin) in any namespace",
                    "install it: helm install nvdp nvdp/nvidia-device-plugin -n nvidia-device-plugin, or the NVIDIA GPU Operator");
        }
        DaemonSet ds = plugins.get(0);
        String what = "DaemonSet " + ds.getMetadata().getNamespace() + "/" + ds.getMetadata().getName() + " (desired "
                + number(ds.getStatus() == null ? null : ds.getStatus().getDesiredNumberScheduled()) + ", ready "
                + number(ds.getStatus() == null ? null : ds.getStatus().getNumberReady()) + ")";
        if (ready.isEmpty()) {
            return CheckResult.warn(GROUP, "device-plugin", what + "; no admitted GPU node yet to run on",
                    "run doctor again once a GPU node exists");
        }
        Map<String, String> selector = ds.getSpec().getSelector().getMatchLabels();
        List<Pod> pods = context.kube.call("list device plugin pods", () -> context.client().pods()
                .inNamespace(ds.getMetadata().getNamespace()).withLabels(selector).list().getItems());
        Map<String, Boolean> readyOn = new HashMap<>();
        pods.forEach(p -> {
            if (p.getSpec().getNodeName() != null) {
                readyOn.merge(p.getSpec().getNodeName(), PodFacts.ready(p), Boolean::logicalOr);
            }
        });
        List<String> missing = ready.stream().map(n -> n.getMetadata().getName())
                .filter(n -> !readyOn.getOrDefault(n, false)).toList();
        if (missing.isEmpty()) {
            return CheckResult.ok(GROUP, "device-plugin", what + ": a Ready pod on each of " + ready.size() + " admitted node(s)");
        }
        return CheckResult.fail(GROUP, "device-plugin", what + ": no Ready plugin pod on " + String.join(", ", missing),
                "the DaemonSet's nodeSelector and tolerations must admit the GPU nodes (e.g. tolerate nvidia.com/gpu:NoSchedule);"
                        + " kubectl -n " + ds.getMetadata().getNamespace() + " describe daemonset " + ds.getMetadata().getName());
    }

    static boolean isDevicePlugin(DaemonSet ds) {
        return ds.getMetadata().getName().contains("nvidia-device-plugin") || ds.getSpec().getTemplate().getSpec()
                .getContainers().stream().anyMatch(c -> c.getImage() != null && c.getImage().contains("k8s-device-plugin"));
    }

    private static String number(Integer n) {
        return n == null ? "0" : n.toString();
    }

    private CheckResult surge() {
        int surge = pod.isMissingNode() ? 0 : context.deployment().map(d -> d.path("spec").path("strategy")
                .path("rollingUpdate").path("maxSurge").asInt(0)).orElse(0);
        int need = gpusPerPod();
        if (surge == 0 || need == 0) {
            return CheckResult.ok(GROUP, "surge-gpu", "the rollout adds no pod (maxSurge " + surge + ", " + need + " GPU per pod)");
        }
        Map<String, Long> used = new HashMap<>();
        List<Pod> pods = context.kube.call("list pods", () -> context.client().pods().inAnyNamespace().list().getItems());
        for (Pod p : pods) {
            if (PodFacts.holdsResources(p)) {
                used.merge(p.getSpec().getNodeName(), PodFacts.request(p, NodeFacts.GPU), Long::sum);
            }
        }
        List<String> free = new ArrayList<>();
        for (Node n : ready()) {
            long spare = NodeFacts.allocatableGpus(n) - used.getOrDefault(n.getMetadata().getName(), 0L);
            if (spare >= need) {
                free.add(n.getMetadata().getName() + " (" + spare + " free)");
            }
        }
        String base = "maxSurge " + surge + " needs " + need + " free " + NodeFacts.GPU + " on one admitted node";
        if (!free.isEmpty()) {
            return CheckResult.ok(GROUP, "surge-gpu", base + ": " + String.join(", ", free));
        }
        var certain = provisioners.stream().filter(Provisioner::certain).toList();
        if (!certain.isEmpty()) {
            return CheckResult.ok(GROUP, "surge-gpu", base + ": none free now; " + certain.get(0).describe() + " can add a node");
        }
        String evidence = base + ": none free on " + ready().size() + " admitted node(s)";
        if (!provisioners.isEmpty()) {
            return CheckResult.warn(GROUP, "surge-gpu", evidence + "; " + provisioners.get(0).describe(),
                    "make sure the autoscaler's GPU node group is below its maximum");
        }
        return CheckResult.fail(GROUP, "surge-gpu", evidence + " and no provisioner can add one",
                "keep one GPU node spare, or add a Cluster Autoscaler node group / Karpenter NodePool: with maxUnavailable 0 a rollout waits for the surge pod");
    }
}
