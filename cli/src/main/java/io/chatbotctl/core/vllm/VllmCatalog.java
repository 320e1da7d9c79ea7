package io.chatbotctl.core.vllm;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The interface of one vLLM release, as data taken from vLLM's source, docs and pull requests
 * ({@code vllm/catalog-VERSION.yaml} in the repository, shipped in the jar): the Prometheus series it serves and
 * the flags chatbotctl passes. docs/vllm-upgrade.md says how to add a version.
 *
 * @param version        e.g. {@code 0.12.0}
 * @param image          the image reference the catalog describes
 * @param createdSamples prometheus_client also serves {@code <name>_created} for counters, histograms, summaries
 * @param metrics        every metric family
 * @param flags          the flags the manifests use, with removed ones
 */
public record VllmCatalog(String version, String image, boolean createdSamples, List<CatalogMetric> metrics,
                          List<CatalogFlag> flags) {

    /** The version the manifests pin (manifests/base/deployment.yaml) and the simulator imitates by default. */
    public static final String PINNED = "0.12.0";
    /** The catalogs the jar ships; tests may add more on the classpath. */
    public static final List<String> SHIPPED = List.of("0.12.0");
    private static final Map<String, VllmCatalog> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    public static VllmCatalog pinned() {
        return load(PINNED);
    }

    /** The catalog of {@code version} ({@code 0.12.0} or {@code v0.12.0}). */
    public static VllmCatalog load(String version) {
        return find(version).orElseThrow(() -> new InvalidInputException(
                "no vLLM catalog for version " + version + " (catalogs: " + String.join(", ", SHIPPED) + ")",
                "add vllm/catalog-" + normalize(version) + ".yaml as docs/vllm-upgrade.md describes"));
    }

    public static Optional<VllmCatalog> find(String version) {
        String v = normalize(version);
        VllmCatalog cached = CACHE.get(v);
        if (cached != null) {
            return Optional.of(cached);
        }
        String resource = "vllm/catalog-" + v + ".yaml";
        try (InputStream in = VllmCatalog.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            VllmCatalog catalog = parse(Json.yaml().readTree(in), resource);
            CACHE.put(v, catalog);
            return Optional.of(catalog);
        } catch (IOException e) {
            throw new InvalidInputException(resource + ": " + e.getMessage());
        }
    }

    static String normalize(String version) {
        String v = version.trim();
        return v.startsWith("v") ? v.substring(1) : v;
    }

    /** A catalog-format file that is not a vLLM release (e.g. the other series a project queries). */
    public static VllmCatalog read(InputStream in, String where) {
        try {
            return parse(Json.yaml().readTree(in), where);
        } catch (IOException e) {
            throw new InvalidInputException(where + ": " + e.getMessage());
        }
    }

    static VllmCatalog parse(JsonNode root, String where) {
        List<CatalogMetric> metrics = new ArrayList<>();
        for (JsonNode m : root.path("metrics")) {
            List<String> labels = strings(m.path("labels"));
            Map<String, List<String>> values = new LinkedHashMap<>();
            m.path("values").fields().forEachRemaining(e -> values.put(e.getKey(), strings(e.getValue())));
            JsonNode b = m.path("buckets");
            List<Double> buckets = null;
            if (b.isArray()) {
                buckets = new ArrayList<>();
                for (JsonNode v : b) {
                    buckets.add(v.asDouble());
                }
            }
            String type = m.path("type").asText();
            if (!List.of("counter", "gauge", "histogram", "summary").contains(type)) {
                throw new InvalidInputException(where + ": " + m.path("name").asText() + ": unknown type '" + type + "'");
            }
            metrics.add(new CatalogMetric(m.path("name").asText(), type, labels, values, buckets,
                    b.isTextual() && b.asText().contains("max_model_len"), m.path("openLabels").asBoolean(false),
                    m.hasNonNull("condition") ? m.get("condition").asText() : null, m.path("deprecated").asBoolean(false),
                    m.path("source").asText()));
        }
        List<CatalogFlag> flags = new ArrayList<>();
        for (JsonNode f : root.path("flags")) {
            flags.add(new CatalogFlag(f.path("name").asText(), f.path("type").asText("string"), text(f, "default"),
                    f.path("deprecated").asBoolean(false), f.path("removed").asBoolean(false), text(f, "replacement"),
                    text(f, "note"), f.path("source").asText()));
        }
        return new VllmCatalog(root.path("version").asText(), root.path("image").asText(),
                root.path("createdSamples").asBoolean(false), List.copyOf(metrics), List.copyOf(flags));
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return List.copyOf(out);
    }

    public Optional<CatalogMetric> metric(String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** The family a stored sample name belongs to ({@code x_bucket} → histogram {@code x}, {@code x_created} → x). */
    public Optional<CatalogMetric> familyOfSample(String sample) {
        for (CatalogMetric m : metrics) {
            if (m.sampleNames(createdSamples).contains(sample)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    public Optional<CatalogFlag> flag(String flag) {
        return flags.stream().filter(f -> f.matches(flag)).findFirst();
    }

    public List<CatalogMetric> unconditional() {
        return metrics.stream().filter(CatalogMetric::unconditional).toList();
    }
}
