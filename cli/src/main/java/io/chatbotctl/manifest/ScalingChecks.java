package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** Rollout strategy, HPA bounds and metric, and PodDisruptionBudget against the replica count. */
final class ScalingChecks {
    private ScalingChecks() {}

    static void run(LintContext ctx) {
        for (ObjectNode w : ctx.gpuWorkloads()) {
            if (KubeObjects.kind(w).equals("Deployment")) {
                maxUnavailable(ctx, w);
            }
        }
        for (ObjectNode hpa : ctx.manifests.ofKind("HorizontalPodAutoscaler")) {
            hpaBounds(ctx, hpa);
            hpaMetric(ctx, hpa);
        }
        deadAdapterConfigMaps(ctx);
        for (ObjectNode pdb : ctx.manifests.ofKind("PodDisruptionBudget")) {
            pdb(ctx, pdb);
        }
    }

    /** A GPU node holds one replica; a surge pod needs a new node, an unavailable one means lost capacity. */
    static void maxUnavailable(LintContext ctx, ObjectNode deployment) {
        String check = "max-unavailable-zero";
        JsonNode strategy = deployment.path("spec").path("strategy");
        if (strategy.path("type").asText("RollingUpdate").equals("Recreate")) {
            ctx.error(check, deployment, "strategy Recreate stops every replica before the new ones have loaded the model");
            return;
        }
        JsonNode value = strategy.path("rollingUpdate").get("maxUnavailable");
        String text = value == null ? "25% (default)" : value.asText();
        if (value != null && (text.equals("0") || text.equals("0%"))) {
            ctx.ok(check, deployment, "rollingUpdate.maxUnavailable is 0");
        } else {
            ctx.error(check, deployment, "rollingUpdate.maxUnavailable is " + text + ": a rollout would drop serving capacity for the minutes a model takes to load; set it to 0");
        }
    }

    static void hpaBounds(LintContext ctx, ObjectNode hpa) {
        String check = "hpa-bounds";
        int min = hpa.path("spec").path("minReplicas").asInt(1);
        JsonNode maxNode = hpa.path("spec").get("maxReplicas");
        String target = hpa.path("spec").path("scaleTargetRef").path("name").asText();
        ObjectNode deployment = ctx.manifests.find(hpa.path("spec").path("scaleTargetRef").path("kind").asText("Deployment"), target).orElse(null);
        if (deployment == null) {
            ctx.error(check, hpa, "scales " + target + ", which is not in the manifests");
            return;
        }
        if (maxNode == null) {
            ctx.error(check, hpa, "no maxReplicas");
            return;
        }
        int max = maxNode.asInt();
        if (min < 1) {
            ctx.error(check, hpa, "minReplicas " + min + " < 1: the service could scale to nothing");
        } else if (max < min) {
            ctx.error(check, hpa, "maxReplicas " + max + " < minReplicas " + min);
        } else {
            JsonNode replicas = deployment.path("spec").get("replicas");
            if (replicas != null && (replicas.asInt() < min || replicas.asInt() > max)) {
                ctx.warning(check, hpa, "the Deployment's replicas " + replicas.asInt() + " is outside " + min + "-" + max + ": every apply fights the HPA");
            } else if (min == max) {
                ctx.ok(check, hpa, "fixed at " + min + " replica(s)");
            } else {
                ctx.ok(check, hpa, "scales " + target + " between " + min + " and " + max + " replicas");
            }
        }
    }

    /** HPA → prometheus-adapter rule (its Helm values) → the query it runs → series of the vLLM catalog. */
    static void hpaMetric(LintContext ctx, ObjectNode hpa) {
        String check = "hpa-metric";
        for (JsonNode metric : hpa.path("spec").path("metrics")) {
            String type = metric.path("type").asText();
            if (type.equals("Resource") || type.equals("ContainerResource")) {
                ctx.warning(check, hpa, "scales on " + metric.path(type.equals("Resource") ? "resource" : "containerResource").path("name").asText()
                        + ": CPU and memory do not follow LLM load; scale on vllm:num_requests_waiting");
                continue;
            }
            String field = type.equals("Pods") ? "pods" : type.equals("Object") ? "object" : "external";
            String name = metric.path(field).path("metric").path("name").asText();
            if (ctx.adapterRules.isEmpty()) {
                ctx.error(check, hpa, type + " metric " + name + ": no prometheus-adapter rules found ("
                        + AdapterRules.VALUES + " next to the overlays): the HPA would report FailedGetPodsMetric and never scale");
                continue;
            }
            AdapterRules rules = ctx.adapterRules.get();
            var rule = rules.exposing(name);
            if (rule.isEmpty()) {
                ctx.error(check, hpa, type + " metric " + name + " is served by no prometheus-adapter rule in " + rules.file()
                        + ": the HPA would report FailedGetPodsMetric and never scale");
                continue;
            }
            String namespace = KubeObjects.namespace(hpa) == null ? "default" : KubeObjects.namespace(hpa);
            String query = rule.get().query(namespace, List.of("pod-a", "pod-b"));
            List<String> errors = new ArrayList<>();
            for (String expr : List.of(rule.get().seriesQuery(), query)) {
                errors.addAll(ctx.promqlLint().check(expr).errors());
            }
            if (errors.isEmpty()) {
                ctx.ok(check, hpa, type + " metric " + name + " is served by the prometheus-adapter rule over "
                        + rule.get().series() + " (vLLM " + ctx.promqlLint().catalog().version() + "); the adapter runs "
                        + query.replace("pod-a|pod-b", "<pods>"));
            } else {
                errors.forEach(e -> ctx.error(check, hpa, type + " metric " + name + ": the adapter's query does not match vLLM "
                        + ctx.promqlLint().catalog().version() + ": " + e));
            }
        }
    }

    /** prometheus-adapter reads one configuration file, in its own namespace: rules in the app's ConfigMaps are dead. */
    static void deadAdapterConfigMaps(LintContext ctx) {
        for (ObjectNode cm : ctx.manifests.ofKind("ConfigMap")) {
            cm.path("data").fields().forEachRemaining(e -> {
                if (e.getValue().asText().contains("seriesQuery")) {
                    ctx.warning("hpa-metric", cm, "prometheus-adapter does not read this ConfigMap: its rules come from its "
                            + "own configuration (Helm values, " + AdapterRules.VALUES + ")");
                }
            });
        }
    }

    static void pdb(LintContext ctx, ObjectNode pdb) {
        String check = "pdb-replicas";
        JsonNode selector = pdb.path("spec").path("selector").path("matchLabels");
        ObjectNode target = null;
        for (ObjectNode w : ctx.workloads()) {
            JsonNode labels = w.path("spec").path("template").path("metadata").path("labels");
            boolean matches = selector.size() > 0;
            for (var it = selector.fields(); it.hasNext(); ) {
                var e = it.next();
                matches &= e.getValue().asText().equals(labels.path(e.getKey()).asText(null));
            }
            if (matches) {
                target = w;
            }
        }
        if (target == null) {
            ctx.warning(check, pdb, "selects no pods of the manifests");
            return;
        }
        int minReplicas = minReplicas(ctx, target);
        JsonNode minAvailable = pdb.path("spec").get("minAvailable");
        JsonNode maxUnavailable = pdb.path("spec").get("maxUnavailable");
        if (maxUnavailable != null) {
            String v = maxUnavailable.asText();
            if (v.equals("0") || v.equals("0%")) {
                ctx.error(check, pdb, "maxUnavailable 0 blocks every node drain and spot replacement");
            } else {
                ctx.ok(check, pdb, "maxUnavailable " + v + " with at least " + minReplicas + " replica(s)");
            }
        } else if (minAvailable != null) {
            String v = minAvailable.asText();
            int required = v.endsWith("%") ? (int) Math.ceil(minReplicas * Integer.parseInt(v.replace("%", "")) / 100.0) : minAvailable.asInt();
            if (required >= minReplicas) {
                ctx.error(check, pdb, "minAvailable " + v + " with " + minReplicas + " replica(s) at minimum: no pod may ever be evicted, node drains hang");
            } else {
                ctx.ok(check, pdb, "minAvailable " + v + " leaves " + (minReplicas - required) + " of " + minReplicas + " replica(s) evictable");
            }
        } else {
            ctx.warning(check, pdb, "neither minAvailable nor maxUnavailable is set");
        }
    }

    private static int minReplicas(LintContext ctx, ObjectNode workload) {
        for (ObjectNode hpa : ctx.manifests.ofKind("HorizontalPodAutoscaler")) {
            if (hpa.path("spec").path("scaleTargetRef").path("name").asText().equals(KubeObjects.name(workload))) {
                return hpa.path("spec").path("minReplicas").asInt(1);
            }
        }
        return workload.path("spec").path("replicas").asInt(1);
    }
}
