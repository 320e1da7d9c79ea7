package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** Checks of pod templates: GPU resources, tolerations, /dev/shm, resources, image tags, readiness. */
final class PodChecks {
    private PodChecks() {}

    static final String GPU_TAINT = "nvidia.com/gpu";
    static final String SPOT_TAINT = ServiceShape.CAPACITY_TYPE_LABEL;

    static void run(LintContext ctx) {
        for (ObjectNode w : ctx.workloads()) {
            resourcesSet(ctx, w);
            noLatest(ctx, w);
        }
        for (ObjectNode w : ctx.gpuWorkloads()) {
            gpuRequestEqualsLimit(ctx, w);
            tolerations(ctx, w);
            shm(ctx, w);
            readiness(ctx, w);
        }
    }

    static void gpuRequestEqualsLimit(LintContext ctx, ObjectNode w) {
        String check = "gpu-request-limit";
        JsonNode pod = LintContext.podSpec(w);
        boolean any = false;
        for (JsonNode c : pod.path("containers")) {
            JsonNode request = c.path("resources").path("requests").get(LintContext.GPU);
            JsonNode limit = c.path("resources").path("limits").get(LintContext.GPU);
            if (request == null && limit == null) {
                continue;
            }
            any = true;
            String name = c.path("name").asText();
            if (limit == null) {
                ctx.error(check, w, "container " + name + " requests " + request.asText() + " GPU(s) without a limit: extended resources need requests = limits");
            } else if (request != null && !request.asText().equals(limit.asText())) {
                ctx.error(check, w, "container " + name + " requests " + request.asText() + " GPU(s) but limits " + limit.asText() + ": they must be equal");
            } else {
                ctx.ok(check, w, "container " + name + ": " + limit.asText() + " GPU(s), requests = limits");
            }
        }
        if (!any) {
            ctx.error(check, w, "runs on a GPU node but no container asks for " + LintContext.GPU + ": the pod gets no GPU");
        }
    }

    /** The taints of the nodes the pod selects (docs/manifests.md, "Node pools"), each needing a toleration. */
    static void tolerations(LintContext ctx, ObjectNode w) {
        String check = "gpu-tolerations";
        JsonNode pod = LintContext.podSpec(w);
        List<String> missing = new ArrayList<>();
        if (!tolerates(pod, GPU_TAINT, null)) {
            missing.add(GPU_TAINT + ":NoSchedule (GPU nodes)");
        }
        String selectedCapacity = pod.path("nodeSelector").path(ServiceShape.CAPACITY_TYPE_LABEL).asText("");
        boolean prefersSpot = pod.path("affinity").toString().contains("\"SPOT\"");
        if ((selectedCapacity.equals("SPOT") || prefersSpot) && !tolerates(pod, SPOT_TAINT, "SPOT")) {
            missing.add(SPOT_TAINT + "=SPOT:NoSchedule (spot nodes)");
        }
        if (missing.isEmpty()) {
            ctx.ok(check, w, "tolerates the taints of the selected node pools" + (ServiceShape.toleratesSpot(pod) ? " (GPU, spot)" : " (GPU)"));
        } else {
            ctx.error(check, w, "selects nodes with taints it does not tolerate: " + String.join(", ", missing));
        }
    }

    private static boolean tolerates(JsonNode pod, String key, String value) {
        for (JsonNode t : pod.path("tolerations")) {
            String effect = t.path("effect").asText("");
            if (!effect.isEmpty() && !effect.equals("NoSchedule")) {
                continue;
            }
            String operator = t.path("operator").asText("Equal");
            if (t.path("key").asText("").isEmpty() && operator.equals("Exists")) {
                return true;
            }
            if (t.path("key").asText().equals(key)
                    && (operator.equals("Exists") || value == null || value.equals(t.path("value").asText()))) {
                return true;
            }
        }
        return false;
    }

    static void shm(LintContext ctx, ObjectNode w) {
        String check = "shm-volume";
        JsonNode pod = LintContext.podSpec(w);
        int tp = ctx.settings == null ? 1 : ctx.settings.tensorParallelSize();
        boolean mounted = false;
        for (JsonNode c : pod.path("containers")) {
            for (JsonNode m : c.path("volumeMounts")) {
                if (m.path("mountPath").asText().equals("/dev/shm") && isMemoryVolume(pod, m.path("name").asText())) {
                    mounted = true;
                }
            }
        }
        if (mounted) {
            ctx.ok(check, w, "/dev/shm is a memory volume (tensor parallel size " + tp + ")");
        } else if (tp > 1) {
            ctx.error(check, w, "tensor parallel size " + tp + " needs /dev/shm as an emptyDir with medium: Memory (NCCL)");
        } else {
            ctx.warning(check, w, "no memory-backed /dev/shm: the container runtime's 64 MiB default is too small for tensor parallelism");
        }
    }

    private static boolean isMemoryVolume(JsonNode pod, String name) {
        for (JsonNode v : pod.path("volumes")) {
            if (v.path("name").asText().equals(name)) {
                return v.path("emptyDir").path("medium").asText().equals("Memory");
            }
        }
        return false;
    }

    /**
     * vLLM's readiness asks its /health: over HTTP, from inside the container (exec, when vLLM listens on loopback),
     * or through the proxy's /ready, which relays vLLM's /health.
     */
    static void readiness(LintContext ctx, ObjectNode w) {
        String check = "readiness-health";
        for (JsonNode c : LintContext.podSpec(w).path("containers")) {
            if (c.path("resources").path("limits").path(LintContext.GPU).asInt(0) == 0) {
                continue;
            }
            String name = c.path("name").asText();
            JsonNode probe = c.path("readinessProbe");
            JsonNode http = probe.path("httpGet");
            JsonNode exec = probe.path("exec").path("command");
            if (!http.isMissingNode()) {
                String path = http.path("path").asText();
                boolean proxyReady = path.equals("/ready") && VllmServer.of(LintContext.podSpec(w))
                        .map(v -> !v.isItsPort(http.path("port"))).orElse(false);
                if (path.equals("/health")) {
                    ctx.ok(check, w, "container " + name + " readiness probe on /health");
                } else if (proxyReady) {
                    ctx.ok(check, w, "container " + name + " readiness probe on the proxy's /ready (vLLM's /health)");
                } else {
                    ctx.error(check, w, "container " + name + " readiness probe checks " + path + ", not vLLM's /health");
                }
            } else if (!exec.isMissingNode()) {
                if (exec.toString().contains("/health")) {
                    ctx.ok(check, w, "container " + name + " readiness probe asks /health from inside the container");
                } else {
                    ctx.error(check, w, "container " + name + " readiness probe runs a command that does not ask vLLM's /health");
                }
            } else {
                ctx.error(check, w, "container " + name + " has no readiness probe on vLLM's /health: traffic reaches it before the model is loaded");
            }
        }
    }

    static void resourcesSet(LintContext ctx, ObjectNode w) {
        String check = "resources-set";
        List<String> problems = new ArrayList<>();
        for (JsonNode c : LintContext.allContainers(LintContext.podSpec(w))) {
            JsonNode resources = c.path("resources");
            List<String> missing = new ArrayList<>();
            if (!resources.path("requests").has("cpu")) missing.add("requests.cpu");
            if (!resources.path("requests").has("memory")) missing.add("requests.memory");
            if (!resources.path("limits").has("memory")) missing.add("limits.memory");
            if (!missing.isEmpty()) {
                problems.add(c.path("name").asText() + " lacks " + String.join(", ", missing));
            }
        }
        if (problems.isEmpty()) {
            ctx.ok(check, w, "every container sets cpu/memory requests and a memory limit");
        } else {
            ctx.error(check, w, String.join("; ", problems));
        }
    }

    static void noLatest(LintContext ctx, ObjectNode w) {
        String check = "no-latest-tag";
        List<String> floating = new ArrayList<>();
        for (JsonNode c : LintContext.allContainers(LintContext.podSpec(w))) {
            ImageRef ref = ImageRef.parse(c.path("image").asText(""));
            if (ref.digest() == null && (ref.tag() == null || ref.tag().equals("latest"))) {
                floating.add(c.path("name").asText() + " (" + c.path("image").asText() + ")");
            }
        }
        if (floating.isEmpty()) {
            ctx.ok(check, w, "every image has a fixed tag or digest");
        } else {
            ctx.error(check, w, "floating image tag in " + String.join(", ", floating) + ": a rollback could not restore it");
        }
    }
}
