package io.chatbotctl.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Traffic: the Gateway API's CRDs, and the status its implementation writes (gateway-api.sigs.k8s.io, API reference
 * v1): GatewayClass {@code Accepted}, Gateway {@code Programmed}, and in the HTTPRoute's {@code status.parents[]}
 * entry for each parent Gateway, {@code Accepted} and {@code ResolvedRefs}.
 */
final class TrafficChecks {
    static final String GROUP = "Traffic";
    static final String API = "gateway.networking.k8s.io";
    static final String VERSION = "v1";
    static final List<String> CRDS = List.of("gatewayclasses." + API, "gateways." + API, "httproutes." + API);

    private final DoctorContext context;

    TrafficChecks(DoctorContext context) {
        this.context = context;
    }

    List<CheckResult> run() {
        List<String> missing = new ArrayList<>();
        for (String crd : CRDS) {
            CustomResourceDefinition found = context.kube.call("read customresourcedefinition " + crd,
                    () -> context.client().apiextensions().v1().customResourceDefinitions().withName(crd).get());
            if (found == null) {
                missing.add(crd);
            }
        }
        if (!missing.isEmpty()) {
            return List.of(CheckResult.fail(GROUP, "gateway-crds", "CRDs not installed: " + String.join(", ", missing)
                    + "; the other traffic checks did not run", "install the Gateway API standard channel CRDs (kubectl apply -f "
                    + "https://github.com/kubernetes-sigs/gateway-api/releases/download/<version>/standard-install.yaml) and a Gateway implementation"));
        }
        List<CheckResult> results = new ArrayList<>();
        results.add(CheckResult.ok(GROUP, "gateway-crds", "installed: " + String.join(", ", CRDS)));
        String routeName = context.request.names().httpRoute();
        Optional<JsonNode> live = context.getObject(API, VERSION, "HTTPRoute", "httproutes", context.namespace(), routeName);
        Optional<JsonNode> route = live.or(() -> Optional.ofNullable(context.rendered)
                .flatMap(r -> r.find("HTTPRoute", routeName)).map(JsonNode.class::cast));
        if (route.isEmpty()) {
            results.add(CheckResult.fail(GROUP, "httproute", "no HTTPRoute " + routeName + " in the cluster or the overlay",
                    "the overlay must render the HTTPRoute (manifests/base/httproute.yaml)"));
            return results;
        }
        for (JsonNode parent : route.get().path("spec").path("parentRefs")) {
            String ns = parent.path("namespace").asText(context.namespace());
            String name = parent.path("name").asText();
            results.addAll(gateway(ns, name));
            results.add(routeStatus(live, ns, name));
        }
        return results;
    }

    private List<CheckResult> gateway(String namespace, String name) {
        Optional<JsonNode> gateway = context.getObject(API, VERSION, "Gateway", "gateways", namespace, name);
        Optional<JsonNode> rendered = Optional.ofNullable(context.rendered).flatMap(r -> r.find("Gateway", name)).map(JsonNode.class::cast);
        Optional<String> className = gateway.or(() -> rendered).map(g -> g.path("spec").path("gatewayClassName").asText());
        List<CheckResult> results = new ArrayList<>();
        className.ifPresent(c -> results.add(gatewayClass(c)));
        if (gateway.isEmpty()) {
            results.add(rendered.isPresent()
                    ? CheckResult.warn(GROUP, "gateway-programmed", "Gateway " + namespace + "/" + name
                    + " is not in the cluster yet; the overlay creates it", "deploy, then run doctor again")
                    : CheckResult.fail(GROUP, "gateway-programmed", "Gateway " + namespace + "/" + name
                    + " (the HTTPRoute's parent) does not exist", "create the shared Gateway, or render one with the overlay's gateway component"));
            return results;
        }
        Optional<JsonNode> programmed = DoctorContext.condition(gateway.get().path("status").path("conditions"), "Programmed");
        String evidence = "Gateway " + namespace + "/" + name + ": " + DoctorContext.describe(programmed, "Programmed");
        List<String> addresses = new ArrayList<>();
        gateway.get().path("status").path("addresses").forEach(a -> addresses.add(a.path("value").asText()));
        results.add(DoctorContext.isTrue(programmed)
                ? CheckResult.ok(GROUP, "gateway-programmed", evidence + (addresses.isEmpty() ? "" : ", address " + String.join(", ", addresses)))
                : CheckResult.fail(GROUP, "gateway-programmed", evidence,
                "the Gateway implementation has not set up the data plane: kubectl -n " + namespace + " describe gateway " + name));
        return results;
    }

    private CheckResult gatewayClass(String name) {
        Optional<JsonNode> gc = context.getObject(API, VERSION, "GatewayClass", "gatewayclasses", null, name);
        if (gc.isEmpty()) {
            return CheckResult.fail(GROUP, "gatewayclass-accepted", "no GatewayClass " + name,
                    "install the Gateway implementation that provides it (AWS Load Balancer Controller with Gateway API enabled, or Envoy Gateway)");
        }
        Optional<JsonNode> accepted = DoctorContext.condition(gc.get().path("status").path("conditions"), "Accepted");
        String evidence = "GatewayClass " + name + " (controller " + gc.get().path("spec").path("controllerName").asText() + "): "
                + DoctorContext.describe(accepted, "Accepted");
        return DoctorContext.isTrue(accepted) ? CheckResult.ok(GROUP, "gatewayclass-accepted", evidence)
                : CheckResult.fail(GROUP, "gatewayclass-accepted", evidence,
                "no controller accepted the class: check that its controller runs and names " + gc.get().path("spec").path("controllerName").asText());
    }

    private CheckResult routeStatus(Optional<JsonNode> live, String gatewayNamespace, String gateway) {
        String route = "HTTPRoute " + context.request.names().httpRoute();
        if (live.isEmpty()) {
            return CheckResult.warn(GROUP, "httproute-accepted", route + " is not in the cluster yet (not deployed)",
                    "deploy, then run doctor again");
        }
        for (JsonNode parent : live.get().path("status").path("parents")) {
            JsonNode ref = parent.path("parentRef");
            if (ref.path("name").asText().equals(gateway) && ref.path("namespace").asText(context.namespace()).equals(gatewayNamespace)) {
                Optional<JsonNode> accepted = DoctorContext.condition(parent.path("conditions"), "Accepted");
                Optional<JsonNode> resolved = DoctorContext.condition(parent.path("conditions"), "ResolvedRefs");
                String evidence = route + " on Gateway " + gateway + ": " + DoctorContext.describe(accepted, "Accepted") + ", "
                        + DoctorContext.describe(resolved, "ResolvedRefs");
                if (DoctorContext.isTrue(accepted) && DoctorContext.isTrue(resolved)) {
                    return CheckResult.ok(GROUP, "httproute-accepted", evidence);
                }
                return CheckResult.fail(GROUP, "httproute-accepted", evidence, !DoctorContext.isTrue(accepted)
                        ? "the Gateway refuses the route: check its listeners' allowedRoutes and hostnames"
                        : "a backendRef does not resolve: check the Services " + context.request.names().service() + " (and -canary) exist with the port");
            }
        }
        return CheckResult.fail(GROUP, "httproute-accepted", route + " has no status from Gateway " + gatewayNamespace + "/" + gateway,
                "the Gateway's controller has not seen the route: check the parentRef and the controller's logs");
    }
}
