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
    /** The repository's last path segment that marks a container running chatbotctl ({@code --chatbotctl-image}). */
    public static final String CHATBOTCTL_REPOSITORY = "chatbotctl";

    private ManifestRenderer() {}

    public static RenderedManifests render(Path kustomizationDir, RenderOptions options) {
        List<ObjectNode> objects = new KustomizeBuild().build(kustomizationDir);
        RenderOptions opts = options == null ? RenderOptions.none() : options;
        if (opts.images().vllm() != null) {
            setImage(objects, "--image", opts.images().vllm(), "container named '" + VLLM_CONTAINER + "'",
                    c -> VLLM_CONTAINER.equals(c.path("name").asText()));
        }
        if (opts.images().chatbotctl() != null) {
            setImage(objects, "--chatbotctl-image", opts.images().chatbotctl(),
                    "container whose image repository is '" + CHATBOTCTL_REPOSITORY + "'", ManifestRenderer::runsChatbotctl);
        }
        if (!opts.settings().isEmpty()) {
            setSettings(objects, opts.settings());
        }
        return new RenderedManifests(objects);
    }

    /**
     * Replaces the image of every container and init container of every pod template that {@code which} selects;
     * {@code :TAG} or {@code @sha256:...} keeps the container's repository.
     */
    private static void setImage(List<ObjectNode> objects, String option, String image, String what,
                                 java.util.function.Predicate<ObjectNode> which) {
        int replaced = 0;
        for (ObjectNode o : objects) {
            JsonNode pod = o.path("spec").path("template").path("spec");
            for (String list : List.of("initContainers", "containers")) {
                for (JsonNode container : pod.path(list)) {
                    if (container instanceof ObjectNode c && which.test(c)) {
                        String current = c.path("image").asText("");
                        c.put("image", image.startsWith(":") || image.startsWith("@")
                                ? ImageRef.parse(current).name() + image : image);
                        replaced++;
                    }
                }
            }
        }
        if (replaced == 0) {
            throw new InvalidInputException(option + ": no " + what + " in the rendered manifests");
        }
    }

    /** A container whose image's repository ends in {@code /chatbotctl} (or is {@code chatbotctl}). */
    static boolean runsChatbotctl(ObjectNode container) {
        String name = ImageRef.parse(container.path("image").asText("")).name();
        return name.equals(CHATBOTCTL_REPOSITORY) || name.endsWith("/" + CHATBOTCTL_REPOSITORY);
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
