package io.chatbotctl.cli;

import io.chatbotctl.manifest.RenderOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Which kustomization to render ({@code --env} or {@code --dir}) and chatbotctl's overrides; shared by render and lint. */
public class ManifestSourceOptions {
    @Option(names = "--dir", paramLabel = "PATH",
            description = "Kustomization directory to render instead of the environment's overlay.")
    Path dir;

    @Mixin
    ImageOptions images;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Serving setting written into the vllm-config ConfigMap, e.g. MAX_NUM_SEQS=64 (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    /** The directory: {@code --dir} (relative to the working directory), else the environment's overlay. */
    Path directory(BaseCommand command) {
        if (dir != null) {
            return command.environment().workingDir().resolve(dir).normalize();
        }
        return Path.of(command.requiredEnvironment().overlay());
    }

    RenderOptions renderOptions() {
        return new RenderOptions(images.overrides(), settings);
    }
}
