package io.chatbotctl.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.deploy.ResourceKinds;
import io.chatbotctl.kube.HpaConditions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Autoscaling: the HPA's metric is served for the Deployment's pods, asked of the metrics APIs the way the HPA
 * controller asks them (kubernetes.io "Horizontal Pod Autoscaling", "Support for metrics APIs"): custom.metrics.k8s.io
 * v1beta2 for Pods and Object metrics, external.metrics.k8s.io v1beta1 for External, metrics.k8s.io v1beta1 for
 * Resource; and the HPA's own {@code ScalingActive} condition.
 */
final class AutoscalingChecks {
    static final String GROUP = "Autoscaling";
    static final String CUSTOM = "/apis/custom.metrics.k8s.io/v1beta2";
    static final String EXTERNAL = "/apis/external.metrics.k8s.io/v1beta1";
    static final String RESOURCE = "/apis/metrics.k8s.io/v1beta1";
    /** The list kinds the three metrics APIs answer with; anything else is not a metric answer. */
    static final java.util.Set<String> ANSWER_KINDS = java.util.Set.of("MetricValueList", "ExternalMetricValueList", "PodMetricsList");

    private final DoctorContext context;

    AutoscalingChecks(DoctorContext context) {
        this.context = context;
    }

    List<CheckResult> run() {
        String name = context.request.names().hpa();
        HorizontalPodAutoscaler live = context.kube.call("read horizontalpodautoscaler " + name, () -> context.client()
                .autoscaling().v2().horizontalPodAutoscalers().inNamespace(context.namespace()).withName(name).get());
        Optional<JsonNode> spec = live != null ? Optional.of(context.tree(live).path("spec"))
                : Optional.ofNullable(context.rendered).flatMap(r -> r.find("HorizontalPodAutoscaler", name)).map(h -> h.path("spec"));
        if (spec.isEmpty()) {
            return List.of(CheckResult.ok(GROUP, "hpa-metric", "no HPA " + name + " in the overlay or the cluster: replicas are fixed"));
        }
        return List.of(metric(spec.get()), scalingActive(live));
    }

    private CheckResult metric(JsonNode spec) {
        List<String> served = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String selector = podSelector();
        for (JsonNode m : spec.path("metrics")) {
            String type = m.path("type").asText();
            String path;
            String what;
            switch (type) {
                case "Pods" -> {
                    what = "Pods metric " + m.path("pods").path("metric").path("name").asText();
                    path = CUSTOM + "/namespaces/" + context.namespace() + "/pods/*/" + m.path("pods").path("metric").path("name").asText()
                            + "?labelSelector=" + encode(selector);
                }
                case "Object" -> {
                    JsonNode target = m.path("object").path("describedObject");
                    what = "Object metric " + m.path("object").path("metric").path("name").asText() + " of " + target.path("kind").asText()
                            + " " + target.path("name").asText();
                    path = CUSTOM + "/namespaces/" + context.namespace() + "/" + ResourceKinds.plural(target.path("kind").asText()) + "/"
                            + target.path("name").asText() + "/" + m.path("object").path("metric").path("name").asText();
                }
                case "External" -> {
                    JsonNode metric = m.path("external").path("metric");
                    what = "External metric " + metric.path("name").asText();
                    String labels = matchLabels(metric.path("selector").path("matchLabels"));
                    path = EXTERNAL + "/namespaces/" + context.namespace() + "/" + metric.path("name").asText()
                            + (labels.isEmpty() ? "" : "?labelSelector=" + encode(labels));
                }
                default -> {
                    what = type + " metric " + m.path("resource").path("name").asText(m.path("containerResource").path("name").asText());
                    path = RESOURCE + "/namespaces/" + context.namespace() + "/pods?labelSelector=" + encode(selector);
                }
            }
            Optional<JsonNode> answer = context.get(path).filter(a -> ANSWER_KINDS.contains(a.path("kind").asText()));
            int items = answer.map(a -> a.path("items").size()).orElse(0);
            if (answer.isEmpty()) {
                problems.add(what + ": GET " + path + " answered 404 or no metric list (not served)");
            } else if (items == 0) {
                problems.add(what + ": GET " + path + " answered with no value for the pods");
            } else {
                JsonNode first = answer.get().path("items").get(0);
                served.add(what + ": " + items + " value(s), e.g. " + first.path("describedObject").path("name")
                        .asText(first.path("metadata").path("name").asText(first.path("metricName").asText())) + " = "
                        + first.path("value").asText(first.path("containers").path(0).path("usage").toString()));
            }
        }
        if (problems.isEmpty()) {
            return CheckResult.ok(GROUP, "hpa-metric", String.join("; ", served));
        }
        return CheckResult.fail(GROUP, "hpa-metric", String.join("; ", problems)
                        + (served.isEmpty() ? "" : "; served: " + String.join("; ", served)),
                "the metrics adapter (prometheus-adapter: manifests/monitoring/prometheus-adapter-values.yaml) must serve it for"
                        + " these pods: check its rules and that Prometheus has the series with namespace and pod labels");
    }

    /** The Deployment's pod selector (live, else rendered), as a label selector string. */
    private String podSelector() {
        String name = context.request.names().deployment();
        Deployment d = context.kube.call("read deployment " + name,
                () -> context.client().apps().deployments().inNamespace(context.namespace()).withName(name).get());
        if (d != null && d.getSpec().getSelector() != null && d.getSpec().getSelector().getMatchLabels() != null) {
            return d.getSpec().getSelector().getMatchLabels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(","));
        }
        return context.deployment().map(r -> matchLabels(r.path("spec").path("selector").path("matchLabels")))
                .orElse(context.request.names().appLabel());
    }

    private static String matchLabels(JsonNode labels) {
        List<String> parts = new ArrayList<>();
        labels.fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + e.getValue().asText()));
        return String.join(",", parts);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private CheckResult scalingActive(HorizontalPodAutoscaler live) {
        if (live == null) {
            return CheckResult.warn(GROUP, "hpa-scaling-active", "HPA " + context.request.names().hpa()
                    + " is not in the cluster yet (not deployed)", "deploy, then run doctor again: chatbotctl deploy --env "
                    + context.request.environment());
        }
        Optional<HorizontalPodAutoscalerCondition> c = HpaConditions.find(live, HpaConditions.SCALING_ACTIVE);
        if (c.isEmpty()) {
            return CheckResult.warn(GROUP, "hpa-scaling-active", "HPA " + live.getMetadata().getName()
                    + " has no ScalingActive condition yet (the controller has not evaluated it)", "wait a minute and run doctor again");
        }
        if ("True".equals(c.get().getStatus())) {
            return CheckResult.ok(GROUP, "hpa-scaling-active", HpaConditions.describe(c.get()));
        }
        return CheckResult.fail(GROUP, "hpa-scaling-active", HpaConditions.describe(c.get()),
                "the HPA cannot compute replicas: kubectl -n " + context.namespace() + " describe hpa " + live.getMetadata().getName()
                        + " shows the failing metric; see hpa-metric above");
    }
}
