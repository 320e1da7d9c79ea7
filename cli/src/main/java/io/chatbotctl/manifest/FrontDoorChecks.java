package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The proxy sidecar is the pod's only way in (docs/manifests.md, "The pod"): no Service port reaches vLLM around it
 * (service-through-proxy), vLLM listens on loopback while a Service selects its pod (vllm-loopback), vLLM's probes
 * can reach it there (probes-reach-vllm), and every ServiceMonitor scrapes a port its Services name (scrape-port).
 */
final class FrontDoorChecks {
    private FrontDoorChecks() {}

    private static final List<String> PROBES = List.of("startupProbe", "readinessProbe", "livenessProbe");

    static void run(LintContext ctx) {
        for (ObjectNode w : ctx.workloads()) {
            JsonNode pod = LintContext.podSpec(w);
            VllmServer.of(pod).ifPresent(vllm -> {
                List<ObjectNode> services = selecting(ctx, w);
                for (ObjectNode service : services) {
                    serviceThroughProxy(ctx, service, pod, vllm);
                }
                loopback(ctx, w, vllm, services);
                probesReachVllm(ctx, w, vllm);
            });
        }
        for (ObjectNode monitor : ctx.manifests.ofKind("ServiceMonitor")) {
            scrapePort(ctx, monitor);
        }
    }

    /** Prometheus Operator finds targets by the Service's port name: a name no selected Service has scrapes nothing. */
    static void scrapePort(LintContext ctx, ObjectNode monitor) {
        String check = "scrape-port";
        JsonNode spec = monitor.path("spec");
        List<String> namespaces = new ArrayList<>();
        spec.path("namespaceSelector").path("matchNames").forEach(n -> namespaces.add(n.asText()));
        if (namespaces.isEmpty()) {
            namespaces.add(KubeObjects.namespace(monitor));
        }
        List<ObjectNode> services = ctx.manifests.ofKind("Service").stream()
                .filter(s -> namespaces.contains(KubeObjects.namespace(s))
                        && matches(spec.path("selector").path("matchLabels"), s.path("metadata").path("labels")))
                .toList();
        if (services.isEmpty()) {
            ctx.warning(check, monitor, "selects no Service in the manifests: nothing to scrape");
            return;
        }
        List<String> problems = new ArrayList<>();
        List<String> scraped = new ArrayList<>();
        for (JsonNode endpoint : spec.path("endpoints")) {
            String port = endpoint.path("port").asText(null);
            if (port == null) {
                continue;
            }
            for (ObjectNode service : services) {
                boolean named = false;
                for (JsonNode p : service.path("spec").path("ports")) {
                    named |= port.equals(p.path("name").asText());
                }
                if (named) {
                    scraped.add(KubeObjects.name(service) + ":" + port);
                } else {
                    problems.add("port '" + port + "' is not a port of Service " + KubeObjects.name(service));
                }
            }
        }
        if (!problems.isEmpty()) {
            ctx.error(check, monitor, String.join("; ", problems) + ": Prometheus finds no target there");
        } else if (scraped.isEmpty()) {
            ctx.error(check, monitor, "no endpoint names a port: Prometheus finds no target");
        } else {
            ctx.ok(check, monitor, "scrapes " + String.join(", ", scraped));
        }
    }

    private static boolean matches(JsonNode matchLabels, JsonNode labels) {
        if (!matchLabels.isObject() || matchLabels.isEmpty()) {
            return false;
        }
        boolean all = true;
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) matchLabels::fields) {
            all &= labels.path(e.getKey()).asText("\u0000").equals(e.getValue().asText());
        }
        return all;
    }

    /** Services in the workload's namespace whose selector matches the labels of its pod template. */
    static List<ObjectNode> selecting(LintContext ctx, ObjectNode workload) {
        JsonNode labels = workload.path("spec").path("template").path("metadata").path("labels");
        List<ObjectNode> services = new ArrayList<>();
        for (ObjectNode s : ctx.manifests.ofKind("Service")) {
            if (KubeObjects.namespace(s).equals(KubeObjects.namespace(workload))
                    && matches(s.path("spec").path("selector"), labels)) {
                services.add(s);
            }
        }
        return services;
    }

    static void serviceThroughProxy(LintContext ctx, ObjectNode service, JsonNode pod, VllmServer vllm) {
        String check = "service-through-proxy";
        List<String> targets = new ArrayList<>();
        boolean failed = false;
        for (JsonNode port : service.path("spec").path("ports")) {
            JsonNode target = port.hasNonNull("targetPort") ? port.get("targetPort") : port.path("port");
            String label = port.path("name").asText(port.path("port").asText()) + " (" + port.path("port").asText() + ")";
            JsonNode declared = declaredBy(pod, target);
            String owner = declared == null ? null : declared.path("name").asText();
            if ((owner != null && owner.equals(vllm.name())) || (owner == null && vllm.isItsPort(target))) {
                ctx.error(check, service, "port " + label + " targets " + target.asText() + ", container " + vllm.name()
                        + "'s port: it reaches vLLM around the proxy; target the proxy's port instead");
                failed = true;
            } else if (owner == null) {
                ctx.error(check, service, "port " + label + " targets " + target.asText()
                        + ", which no container of the pod declares: the Service has no endpoint for it");
                failed = true;
            } else {
                targets.add(label + " → " + owner + ":" + containerPort(declared, target));
            }
        }
        if (!failed) {
            ctx.ok(check, service, "reaches the pod only through " + String.join(", ", targets));
        }
    }

    /** The container that declares the port (a name, or a number as containerPort), or null. */
    private static JsonNode declaredBy(JsonNode pod, JsonNode target) {
        for (JsonNode c : pod.path("containers")) {
            if (port(c, target) != null) {
                return c;
            }
        }
        return null;
    }

    private static JsonNode port(JsonNode container, JsonNode target) {
        boolean byNumber = target.isNumber() || target.asText().matches("\\d+");
        for (JsonNode p : container.path("ports")) {
            if (byNumber ? p.path("containerPort").asInt(-1) == target.asInt() : p.path("name").asText().equals(target.asText())) {
                return p;
            }
        }
        return null;
    }

    private static String containerPort(JsonNode container, JsonNode target) {
        JsonNode p = port(container, target);
        String number = p.path("containerPort").asText();
        return target.asText().equals(number) ? number : number + " (" + target.asText() + ")";
    }

    static void loopback(LintContext ctx, ObjectNode w, VllmServer vllm, List<ObjectNode> services) {
        String check = "vllm-loopback";
        if (vllm.loopbackOnly()) {
            ctx.ok(check, w, "container " + vllm.name() + " listens on " + vllm.address() + " only");
        } else if (services.isEmpty()) {
            ctx.ok(check, w, "container " + vllm.name() + " listens on " + vllm.address() + ", but no Service selects the pod");
        } else {
            ctx.error(check, w, "container " + vllm.name() + " listens on " + vllm.address() + " while Service "
                    + String.join(", ", services.stream().map(KubeObjects::name).toList())
                    + " selects the pod: anything that reaches the pod IP reaches vLLM around the proxy; pass --host=127.0.0.1");
        }
    }

    static void probesReachVllm(LintContext ctx, ObjectNode w, VllmServer vllm) {
        String check = "probes-reach-vllm";
        List<String> problems = new ArrayList<>();
        for (String kind : PROBES) {
            JsonNode probe = vllm.container().path(kind);
            for (String handler : List.of("httpGet", "tcpSocket", "grpc")) {
                JsonNode port = probe.path(handler).path("port");
                if (port.isMissingNode()) {
                    continue;
                }
                if (!port.isNumber() && !port.asText().matches("\\d+") && !declares(vllm.container(), port.asText())) {
                    problems.add(kind + " names port '" + port.asText() + "', which container " + vllm.name()
                            + " does not declare (a probe's named port is looked up in its own container)");
                } else if (vllm.loopbackOnly() && vllm.isItsPort(port)) {
                    problems.add(kind + " " + handler + " :" + port.asText() + " cannot reach vLLM on " + vllm.address()
                            + " (kubelet probes the pod IP): probe from inside the container (exec) or the proxy's /ready");
                }
            }
        }
        if (problems.isEmpty()) {
            ctx.ok(check, w, "container " + vllm.name() + "'s probes reach vLLM on " + vllm.address());
        } else {
            ctx.error(check, w, String.join("; ", problems));
        }
    }

    private static boolean declares(JsonNode container, String portName) {
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(portName)) {
                return true;
            }
        }
        return false;
    }
}
