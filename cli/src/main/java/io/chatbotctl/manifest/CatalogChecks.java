package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.core.vllm.CatalogFlag;
import io.chatbotctl.core.vllm.VllmCatalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The manifests against the catalog of the vLLM version they run (vllm/catalog-VERSION.yaml, chosen by the vLLM
 * image's tag; the pinned one, with a warning, for a tag without a catalog such as a private build):
 * vllm-catalog (which catalog), vllm-flags (every flag exists and is not removed) and promql-series
 * (every PromQL expression of a PrometheusRule, a Grafana dashboard or a KEDA trigger selects series that version
 * serves, with labels they carry).
 */
final class CatalogChecks {
    private CatalogChecks() {}

    private static final Pattern VAR = Pattern.compile("\\$\\((\\w+)\\)");

    static void run(LintContext ctx) {
        for (ObjectNode w : ctx.workloads()) {
            vllmContainer(w).ifPresent(c -> {
                ImageRef image = ImageRef.parse(c.path("image").asText());
                Optional<VllmCatalog> catalog = catalogOf(image);
                if (catalog.isEmpty()) {
                    ctx.warning("vllm-catalog", w, "no catalog for vLLM image " + image + ": its flags and queries are "
                            + "checked against the pinned vLLM " + VllmCatalog.PINNED + "; add vllm/catalog-VERSION.yaml "
                            + "for the version it runs (docs/vllm-upgrade.md)");
                } else {
                    ctx.ok("vllm-catalog", w, "vLLM " + catalog.get().version() + " (" + image + "): vllm/catalog-"
                            + catalog.get().version() + ".yaml");
                }
                flags(ctx, w, c, catalog.orElseGet(VllmCatalog::pinned));
            });
        }
        promql(ctx);
    }

    /** The catalog of the image's tag: {@code v0.12.0}, or its leading version ({@code v0.12.0-cu129}). */
    static Optional<VllmCatalog> catalogOf(ImageRef image) {
        if (image.tag() == null) {
            return Optional.empty();
        }
        Optional<VllmCatalog> exact = VllmCatalog.find(image.tag());
        Matcher version = Pattern.compile("^v?(\\d+\\.\\d+\\.\\d+)").matcher(image.tag());
        return exact.isPresent() || !version.find() ? exact : VllmCatalog.find(version.group(1));
    }

    /** The vLLM server container: named vllm, or running a vllm-openai image. */
    static Optional<JsonNode> vllmContainer(JsonNode workload) {
        for (JsonNode c : LintContext.podSpec(workload).path("containers")) {
            String image = c.path("image").asText();
            if (c.path("name").asText().equals("vllm") || image.contains("vllm-openai")) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    private static void flags(LintContext ctx, ObjectNode workload, JsonNode container, VllmCatalog catalog) {
        String check = "vllm-flags";
        Map<String, String> env = environment(ctx, container);
        List<String> args = new ArrayList<>();
        container.path("command").forEach(a -> args.add(a.asText()));
        container.path("args").forEach(a -> args.add(a.asText()));
        int checked = 0;
        for (String raw : args) {
            String arg = expand(raw, env);
            if (!arg.startsWith("--")) {
                continue;
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
            Optional<CatalogFlag> flag = catalog.flag(name);
            checked++;
            if (flag.isEmpty()) {
                ctx.error(check, workload, name + " (from '" + raw + "') is not a flag of vLLM " + catalog.version()
                        + " in vllm/catalog-" + catalog.version() + ".yaml: vLLM would stop with 'unrecognized arguments'"
                        + " (or add the flag to the catalog from vLLM's source)");
            } else if (flag.get().removed()) {
                ctx.error(check, workload, name + " was removed from vLLM before " + catalog.version()
                        + ": vLLM stops at startup; pass " + flag.get().replacement());
            } else if (flag.get().deprecated()) {
                ctx.warning(check, workload, name + " is deprecated in vLLM " + catalog.version()
                        + (flag.get().replacement() == null ? "" : "; pass " + flag.get().replacement()));
            } else if (value != null && !value.contains("$(") && !validValue(flag.get().type(), value)) {
                ctx.error(check, workload, name + "=" + value + " is not a valid " + flag.get().type());
            }
        }
        if (ctx.findings.stream().noneMatch(f -> f.check().equals(check) && f.severity() != Severity.INFO)) {
            ctx.ok(check, workload, checked + " flag(s) exist in vLLM " + catalog.version() + ", none removed or deprecated");
        }
    }

    private static boolean validValue(String type, String value) {
        try {
            switch (type) {
                case "int" -> Long.parseLong(value);
                case "float" -> Double.parseDouble(value);
                case "bool" -> {
                    return Set.of("true", "false", "True", "False").contains(value);
                }
                default -> { }
            }
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The container's variables from env values and envFrom ConfigMaps of the manifests ($(VAR) expansion). */
    private static Map<String, String> environment(LintContext ctx, JsonNode container) {
        Map<String, String> env = new HashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String cm = from.path("configMapRef").path("name").asText(null);
            if (cm != null) {
                ctx.manifests.find("ConfigMap", cm).ifPresent(c ->
                        c.path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText())));
            }
        }
        for (JsonNode e : container.path("env")) {
            if (e.has("value")) {
                env.put(e.path("name").asText(), e.path("value").asText());
            }
        }
        return env;
    }

    private static String expand(String arg, Map<String, String> env) {
        Matcher m = VAR.matcher(arg);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Every PromQL expression of the manifests, by the object that carries it. */
    static void promql(LintContext ctx) {
        String check = "promql-series";
        PromqlLint lint = ctx.promqlLint();
        for (Map.Entry<ObjectNode, List<String>> e : expressions(ctx.manifests).entrySet()) {
            int errors = 0;
            for (String expr : e.getValue()) {
                PromqlLint.Result r = lint.check(PromqlLint.instantiate(expr));
                for (String error : r.errors()) {
                    ctx.error(check, e.getKey(), error + " in: " + oneLine(expr));
                    errors++;
                }
                r.warnings().forEach(w -> ctx.warning(check, e.getKey(), w + " in: " + oneLine(expr)));
            }
            if (errors == 0) {
                ctx.ok(check, e.getKey(), e.getValue().size() + " expression(s) select only series vLLM "
                        + lint.catalog().version() + " serves (or recording rules), with labels they carry");
            }
        }
    }

    private static String oneLine(String expr) {
        return expr.replaceAll("\\s+", " ").trim();
    }

    /** The PromQL of PrometheusRules, Grafana dashboard ConfigMaps and KEDA ScaledObject prometheus triggers. */
    static Map<ObjectNode, List<String>> expressions(RenderedManifests manifests) {
        Map<ObjectNode, List<String>> out = new java.util.LinkedHashMap<>();
        for (ObjectNode rule : manifests.ofKind("PrometheusRule")) {
            List<String> exprs = new ArrayList<>();
            for (JsonNode group : rule.path("spec").path("groups")) {
                for (JsonNode r : group.path("rules")) {
                    exprs.add(r.path("expr").asText());
                }
            }
            out.put(rule, exprs);
        }
        for (ObjectNode cm : manifests.ofKind("ConfigMap")) {
            List<String> exprs = new ArrayList<>();
            cm.path("data").fields().forEachRemaining(e -> exprs.addAll(dashboardExpressions(e.getValue().asText())));
            if (!exprs.isEmpty()) {
                out.put(cm, exprs);
            }
        }
        for (ObjectNode so : manifests.ofKind("ScaledObject")) {
            List<String> exprs = new ArrayList<>();
            for (JsonNode t : so.path("spec").path("triggers")) {
                if (t.path("type").asText().equals("prometheus")) {
                    exprs.add(t.path("metadata").path("query").asText());
                }
            }
            out.put(so, exprs);
        }
        return out;
    }

    /** The {@code expr} of every panel target of a Grafana dashboard JSON (none when the text is not one). */
    static List<String> dashboardExpressions(String text) {
        if (!text.trim().startsWith("{") || !text.contains("\"panels\"")) {
            return List.of();
        }
        List<String> exprs = new ArrayList<>();
        try {
            collect(Json.mapper().readTree(text).path("panels"), exprs);
        } catch (IOException e) {
            return List.of();
        }
        return exprs;
    }

    private static void collect(JsonNode panels, List<String> exprs) {
        for (JsonNode p : panels) {
            p.path("targets").forEach(t -> {
                if (t.hasNonNull("expr")) {
                    exprs.add(t.get("expr").asText());
                }
            });
            collect(p.path("panels"), exprs);
        }
    }

    /** Record names of the manifests' PrometheusRules. */
    static Set<String> recordingRules(RenderedManifests manifests) {
        Set<String> names = new TreeSet<>();
        for (ObjectNode rule : manifests.ofKind("PrometheusRule")) {
            for (JsonNode group : rule.path("spec").path("groups")) {
                for (JsonNode r : group.path("rules")) {
                    if (r.hasNonNull("record")) {
                        names.add(r.get("record").asText());
                    }
                }
            }
        }
        return names;
    }

    /**
     * Labels the scrape adds: Prometheus Operator's (also when the monitors are deployed apart from these manifests),
     * plus the targets of the ServiceMonitors' and PodMonitors' relabelings.
     */
    static Set<String> scrapeLabels(RenderedManifests manifests) {
        Set<String> labels = new TreeSet<>(PromqlLint.OPERATOR_LABELS);
        for (String kind : List.of("ServiceMonitor", "PodMonitor")) {
            for (ObjectNode monitor : manifests.ofKind(kind)) {
                for (JsonNode endpoint : monitor.path("spec").path(kind.equals("ServiceMonitor") ? "endpoints" : "podMetricsEndpoints")) {
                    endpoint.path("relabelings").forEach(r -> {
                        if (r.hasNonNull("targetLabel")) {
                            labels.add(r.get("targetLabel").asText());
                        }
                    });
                }
            }
        }
        return labels;
    }
}
