package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.InvalidInputException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Renders a kustomization in Java, like {@code kubectl kustomize DIR} (kustomize 5, legacy order), then applies
 * chatbotctl's own overrides: the vLLM image and serving settings.
 */
public final class ManifestRenderer {
    /** The ConfigMap {@code --set} writes into. */
    public static final String SETTINGS_CONFIGMAP = "vllm-config";
    /** The container {@code --image} replaces the image of. */
    public static final String VLLM_CONTAINER = "vllm";

    private ManifestRenderer() {}

    public static RenderedManifests render(Path kustomizationDir, RenderOptions options) {
        List<ObjectNode> objects = new KustomizeBuild().build(kustomizationDir);
        RenderOptions opts = options == null ? RenderOptions.none() : options;
        if (opts.image() != null && !opts.image().isBlank()) {
            setImage(objects, opts.image());
        }
        if (!opts.settings().isEmpty()) {
            setSettings(objects, opts.settings());
        }
        return new RenderedManifests(objects);
    }

    private static void setImage(List<ObjectNode> objects, String image) {
        int replaced = 0;
        for (ObjectNode o : objects) {
            for (JsonNode container : o.path("spec").path("template").path("spec").path("containers")) {
                if (container instanceof ObjectNode c && VLLM_CONTAINER.equals(c.path("name").asText())) {
                    String current = c.path("image").asText("");
                    c.put("image", image.startsWith(":") || image.startsWith("@")
                            ? ImageRef.parse(current).name() + image : image);
                    replaced++;
                }
            }
        }
        if (replaced == 0) {
            throw new InvalidInputException("--image: no container named '" + VLLM_CONTAINER + "' in the rendered manifests");
        }
    }

    private static void setSettings(List<ObjectNode> objects, Map<String, String> settings) {
        ObjectNode config = objects.stream()
                .filter(o -> KubeObjects.kind(o).equals("ConfigMap") && KubeObjects.name(o).startsWith(SETTINGS_CONFIGMAP))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException("--set: the manifests have no ConfigMap " + SETTINGS_CONFIGMAP));
        ObjectNode data = config.get("data") instanceof ObjectNode d ? d : config.putObject("data");
        settings.forEach((key, value) -> {
            if (!data.has(key)) {
                throw new InvalidInputException("--set " + key + ": ConfigMap " + SETTINGS_CONFIGMAP + " has no key " + key,
                        "known keys: " + String.join(", ", (Iterable<String>) data::fieldNames));
            }
            data.put(key, value);
        });
    }
}
