package io.chatbotctl.manifest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code render} changes after Kustomize's own steps.
 *
 * @param image    replaces the image of every container named {@code vllm} (a full reference {@code REPO:TAG} or
 *                 {@code REPO@sha256:...}, or {@code :TAG} to keep the repository); null keeps the manifests' image
 * @param settings serving settings written into the {@code vllm-config} ConfigMap's data ({@code --set KEY=VALUE})
 */
public record RenderOptions(String image, Map<String, String> settings) {

    public RenderOptions {
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    public static RenderOptions none() {
        return new RenderOptions(null, Map.of());
    }

    public static RenderOptions image(String image) {
        return new RenderOptions(image, Map.of());
    }
}
