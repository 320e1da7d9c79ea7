package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Rollout strategy, HPA bounds and metric, and PodDisruptionBudget against the replica count. */
final class ScalingChecks {
    private ScalingChecks() {}

    static void run(LintContext ctx) {
        for (ObjectNode w : ctx.gpuWorkloads()) {
            if (KubeObjects.kind(w).equals("Deployment")) {
                maxUnavailable(ctx, w);
            }
        }
        Set<String> served = adapterMetrics(ctx.manifests);
        for (ObjectNode hpa : ctx.manifests.ofKind("HorizontalPodAutoscaler")) {
            hpaBounds(ctx, hpa);
            hpaMetric(ctx, hpa, served);
        }
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

    static void hpaMetric(LintContext ctx, ObjectNode hpa, Set<String> served) {
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
            if (served.contains(name)) {
                ctx.ok(check, hpa, type + " metric " + name + " is served by a prometheus-adapter rule");
            } else {
                ctx.error(check, hpa, type + " metric " + name + " is served by no prometheus-adapter rule in the manifests: the HPA would report FailedGetPodsMetric and never scale");
            }
        }
    }

    /** Metric names the prometheus-adapter rule ConfigMaps expose ({@code name.as}, else the series name). */
    static Set<String> adapterMetrics(RenderedManifests manifests) {
        Set<String> names = new HashSet<>();
        for (ObjectNode cm : manifests.ofKind("ConfigMap")) {
            cm.path("data").fields().forEachRemaining(e -> {
                if (!e.getValue().asText().contains("seriesQuery")) {
                    return;
                }
                JsonNode config;
                try {
                    config = ManifestYaml.readTree(e.getValue().asText(), KubeObjects.describe(cm));
                } catch (RuntimeException ex) {
                    return;
                }
                for (String section : List.of("rules", "externalRules")) {
                    for (JsonNode rule : config.path(section)) {
                        names.addAll(exposedNames(rule));
                    }
                }
            });
        }
        return names;
    }

    private static List<String> exposedNames(JsonNode rule) {
        List<String> names = new ArrayList<>();
        String series = rule.path("seriesQuery").asText().replaceAll("[{\\s].*$", "").replace("'", "");
        String matches = rule.path("name").path("matches").asText("");
        String as = rule.path("name").path("as").asText("");
        if (!as.isEmpty() && !as.contains("$")) {
            names.add(as);
        } else if (!matches.isEmpty()) {
            try {
                names.add(Pattern.compile(matches).matcher(series).replaceAll(as.isEmpty() ? "$0" : as.replace("${1}", "$1")));
            } catch (PatternSyntaxException | IndexOutOfBoundsException e) {
                names.add(series);
            }
        } else {
            names.add(series);
        }
        return names;
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
