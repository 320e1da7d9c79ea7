package io.chatbotctl.doctor;

import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.vllm.CatalogMetric;
import io.chatbotctl.core.vllm.VllmCatalog;
import io.chatbotctl.kube.PodFacts;
import io.chatbotctl.prometheus.PrometheusClient;
import io.chatbotctl.prometheus.Sample;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Metrics: Prometheus answers; the chatbot's pods are scraped ({@code up} of targets with the {@code track} label the
 * ServiceMonitor's relabeling sets, in the service's namespace); every series of the pinned vLLM catalog is stored
 * for them; DCGM exporter series exist (a warning only: GPU panels and the gpu-oom runbook need them).
 */
final class MetricsChecks {
    static final String GROUP = "Metrics";
    /**
     * GPU utilisation, in dcgm-exporter's default counters (NVIDIA/dcgm-exporter etc/default-counters.csv:
     * {@code DCGM_FI_DEV_GPU_UTIL, gauge, GPU utilization (in %)}).
     */
    static final String DCGM_SERIES = "DCGM_FI_DEV_GPU_UTIL";
    /** The catalog's source key of the HTTP metrics of vLLM's API server. */
    static final String PER_REQUEST_SOURCE = "instrumentator";

    private final DoctorContext context;
    private final PrometheusClient prometheus;

    MetricsChecks(DoctorContext context) {
        this.context = context;
        this.prometheus = context.prometheus();
    }

    List<CheckResult> run() {
        if (prometheus == null) {
            return List.of(CheckResult.warn(GROUP, "prometheus", "no Prometheus URL configured: the metric checks did not run",
                    "set environments." + context.request.environment() + ".prometheus in chatbotctl.yaml, or pass --prometheus URL"));
        }
        List<Sample> up;
        try {
            up = prometheus.query("up", Instant.now());
        } catch (ChatbotctlException e) {
            return List.of(CheckResult.fail(GROUP, "prometheus", prometheus.baseUrl() + ": " + e.getMessage()
                    + "; the other metric checks did not run", e.hint() != null ? e.hint() : "check the URL and your network"));
        }
        List<CheckResult> results = new ArrayList<>();
        results.add(CheckResult.ok(GROUP, "prometheus", prometheus.baseUrl() + " answers: " + up.size() + " scrape targets"));
        results.add(targets());
        results.add(catalogSeries());
        results.add(dcgm());
        return results;
    }

    private String selector() {
        return "namespace=\"" + context.namespace() + "\",track!=\"\"";
    }

    private CheckResult targets() {
        List<Sample> up = prometheus.query("up{" + selector() + "}", Instant.now());
        List<Pod> pods = context.kube.call("list pods of " + context.request.names().deployment(), () -> context.client().pods()
                .inNamespace(context.namespace()).withLabel(context.request.names().appLabelKey(), context.request.names().appLabelValue())
                .list().getItems()).stream().filter(PodFacts::ready).toList();
        if (up.isEmpty()) {
            return CheckResult.fail(GROUP, "scrape-targets", "no target up{" + selector() + "} in Prometheus ("
                    + pods.size() + " Ready pod(s) in the cluster)", "apply manifests/monitoring (ServiceMonitor vllm-chatbot relabels the pod's "
                    + context.request.names().trackLabel() + " to track) and check that Prometheus selects it (label release: prometheus)");
        }
        List<String> down = up.stream().filter(s -> s.value() < 1).map(MetricsChecks::target).toList();
        if (!down.isEmpty()) {
            return CheckResult.fail(GROUP, "scrape-targets", down.size() + " of " + up.size() + " targets down: " + String.join(", ", down),
                    "Prometheus' targets page says why (scrape error); the proxy serves /metrics on its metrics port");
        }
        Set<String> scraped = up.stream().map(s -> s.labels().get("pod")).filter(p -> p != null).collect(Collectors.toSet());
        List<String> unscraped = pods.stream().map(p -> p.getMetadata().getName())
                .filter(p -> !scraped.isEmpty() && !scraped.contains(p)).toList();
        String evidence = up.size() + " target(s) up: " + up.stream().map(MetricsChecks::target).collect(Collectors.joining(", "));
        if (!unscraped.isEmpty()) {
            return CheckResult.warn(GROUP, "scrape-targets", evidence + "; Ready pods without a target: " + String.join(", ", unscraped),
                    "the ServiceMonitor selects pods through their Services; check the pod is behind one");
        }
        return CheckResult.ok(GROUP, "scrape-targets", evidence);
    }

    private static String target(Sample s) {
        String name = s.labels().getOrDefault("pod", s.labels().getOrDefault("instance", "?"));
        return name + " (track " + s.labels().get("track") + ")";
    }

    private CheckResult catalogSeries() {
        VllmCatalog catalog = VllmCatalog.pinned();
        Set<String> expected = new TreeSet<>();
        for (CatalogMetric m : catalog.unconditional()) {
            if (!perRequest(m)) {
                expected.addAll(m.sampleNames(false));
            }
        }
        Set<String> present = prometheus.query("count by (__name__) ({__name__=~\"" + String.join("|", expected) + "\","
                        + selector() + "})", Instant.now())
                .stream().map(s -> s.labels().get("__name__")).collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(present);
        String source = "vLLM " + catalog.version() + " catalog (vllm/catalog-" + catalog.version() + ".yaml)";
        if (missing.isEmpty()) {
            return CheckResult.ok(GROUP, "catalog-series", "all " + expected.size() + " series of the " + source
                    + " are stored for the pods (the per-request HTTP series are not required)");
        }
        String list = missing.stream().limit(5).collect(Collectors.joining(", ")) + (missing.size() > 5 ? ", ..." : "");
        return CheckResult.fail(GROUP, "catalog-series", missing.size() + " of " + expected.size() + " series of the " + source
                + " missing for the pods: " + list, present.isEmpty()
                ? "the targets serve none of them: the proxy's metrics port must serve vLLM's /metrics too"
                : "the image does not serve the pinned catalog: run the vLLM version it names, or upgrade the catalog (docs/vllm-upgrade.md)");
    }

    /**
     * The API server's HTTP families with per-request labels (handler, method, status): prometheus-fastapi-instrumentator
     * creates their series when a request to that handler is answered, so an idle pod has none yet (the catalog's
     * {@code instrumentator} source). Doctor does not demand them.
     */
    static boolean perRequest(CatalogMetric m) {
        return PER_REQUEST_SOURCE.equals(m.source()) && !m.labels().isEmpty();
    }

    private CheckResult dcgm() {
        List<Sample> gpus = prometheus.query("count(" + DCGM_SERIES + ")", Instant.now());
        if (gpus.isEmpty() || gpus.get(0).value() < 1) {
            return CheckResult.warn(GROUP, "dcgm-series", "no " + DCGM_SERIES + " series: GPU utilisation and memory are not scraped",
                    "install NVIDIA's dcgm-exporter (part of the GPU Operator) and let Prometheus scrape it");
        }
        return CheckResult.ok(GROUP, "dcgm-series", DCGM_SERIES + " reported for " + (long) gpus.get(0).value() + " GPU(s)");
    }
}
