package io.chatbotctl.manifest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code render} changes after Kustomize's own steps.
 *
 * @param images   the vLLM image ({@code --image}) and the chatbotctl image ({@code --chatbotctl-image}) to put in
 *                 place of the manifests' own; {@link ImageOverrides#NONE} keeps them
 * @param settings serving settings written into the {@code vllm-config} ConfigMap's data ({@code --set KEY=VALUE})
 */
public record RenderOptions(ImageOverrides images, Map<String, String> settings) {

    public RenderOptions {
        images = images == null ? ImageOverrides.NONE : images;
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    public static RenderOptions none() {
        return new RenderOptions(ImageOverrides.NONE, Map.of());
    }

    public static RenderOptions of(ImageOverrides images) {
        return new RenderOptions(images, Map.of());
    }
}
