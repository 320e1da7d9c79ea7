package io.chatbotctl.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Cluster Autoscaler's status ConfigMap ({@code kube-system/cluster-autoscaler-status}, key {@code status}), read
 * by {@code doctor} (is there a node group that can grow?) and the runbooks (is it scaling up?). Two formats exist:
 * YAML since cluster-autoscaler 1.30 (kubernetes/autoscaler PR #6375: {@code autoscalerStatus}, {@code clusterWide},
 * {@code nodeGroups[].health.{status,nodeCounts.registered.total,cloudProviderTarget,minSize,maxSize}}) and the older
 * text ({@code Name: GROUP} then {@code Health: Healthy (ready=1 ... registered=1 ... cloudProviderTarget=1
 * (minSize=1, maxSize=7))}). Both are parsed.
 *
 * @param text       the {@code status} value as written
 * @param summary    one line: the cluster-wide scale-up (or health) state
 * @param nodeGroups the node groups it manages
 */
public record ClusterAutoscalerStatus(String text, String summary, List<NodeGroup> nodeGroups) {
    public static final String NAMESPACE = "kube-system";
    public static final String NAME = "cluster-autoscaler-status";

    /**
     * @param registered nodes registered now
     * @param target     the cloud provider's target size
     * @param minSize    the group's minimum (-1 when not written)
     * @param maxSize    the group's maximum (-1 when not written)
     */
    public record NodeGroup(String name, String health, int registered, int target, int minSize, int maxSize) {
        /** The autoscaler may add a node to it: healthy and below its maximum. */
        public boolean canGrow() {
            return "Healthy".equals(health) && maxSize > Math.max(registered, target);
        }
    }

    private static final Pattern LEGACY_NAME = Pattern.compile("^\\s*Name:\\s*(\\S+)\\s*$");
    private static final Pattern LEGACY_HEALTH = Pattern.compile("^\\s*Health:\\s*(\\w+)\\s*\\((.*)\\)\\s*$");

    /** The status the Cluster Autoscaler wrote, or empty when it does not run (no ConfigMap). */
    public static Optional<ClusterAutoscalerStatus> read(KubernetesClient client) {
        ConfigMap map = client.configMaps().inNamespace(NAMESPACE).withName(NAME).get();
        if (map == null || map.getData() == null || map.getData().get("status") == null) {
            return Optional.empty();
        }
        return Optional.of(parse(map.getData().get("status")));
    }

    public static ClusterAutoscalerStatus parse(String text) {
        JsonNode yaml = yaml(text);
        if (yaml != null && (yaml.has("nodeGroups") || yaml.has("autoscalerStatus") || yaml.has("clusterWide"))) {
            List<NodeGroup> groups = new ArrayList<>();
            for (JsonNode g : yaml.path("nodeGroups")) {
                JsonNode h = g.path("health");
                groups.add(new NodeGroup(g.path("name").asText(), h.path("status").asText(""),
                        h.path("nodeCounts").path("registered").path("total").asInt(
                                h.path("nodeCounts").path("registered").path("ready").asInt(0)),
                        h.path("cloudProviderTarget").asInt(0), h.path("minSize").asInt(-1), h.path("maxSize").asInt(-1)));
            }
            JsonNode wide = yaml.path("clusterWide");
            String summary = "ScaleUp: " + wide.path("scaleUp").path("status").asText("unknown")
                    + ", Health: " + wide.path("health").path("status").asText("unknown");
            return new ClusterAutoscalerStatus(text, summary, groups);
        }
        return legacy(text);
    }

    private static ClusterAutoscalerStatus legacy(String text) {
        List<NodeGroup> groups = new ArrayList<>();
        String summary = null;
        String group = null;
        boolean inGroups = false;
        for (String line : text.split("\\R")) {
            String stripped = line.strip();
            if (stripped.startsWith("NodeGroups:")) {
                inGroups = true;
            }
            if (!inGroups && summary == null && (stripped.startsWith("ScaleUp:") || stripped.startsWith("Health:"))) {
                summary = stripped;
            }
            Matcher name = LEGACY_NAME.matcher(line);
            if (inGroups && name.matches()) {
                group = name.group(1);
                continue;
            }
            Matcher health = LEGACY_HEALTH.matcher(line);
            if (inGroups && group != null && health.matches()) {
                String counts = health.group(2);
                groups.add(new NodeGroup(group, health.group(1), count(counts, "registered"),
                        count(counts, "cloudProviderTarget"), count(counts, "minSize"), count(counts, "maxSize")));
                group = null;
            }
        }
        return new ClusterAutoscalerStatus(text, summary == null ? "" : summary, groups);
    }

    private static int count(String counts, String key) {
        Matcher m = Pattern.compile("\\b" + key + "=(\\d+)").matcher(counts);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static JsonNode yaml(String text) {
        try {
            JsonNode node = Json.yaml().readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (java.io.IOException | RuntimeException notYaml) {
            return null;
        }
    }
}
