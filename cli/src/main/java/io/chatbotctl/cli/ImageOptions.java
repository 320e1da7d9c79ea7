package io.chatbotctl.cli;

import io.chatbotctl.manifest.ImageOverrides;
import picocli.CommandLine.Option;

/** The images a release is rendered with ({@code --image}, {@code --chatbotctl-image}): render, lint, diff, deploy, canary start. */
public class ImageOptions {
    @Option(names = "--image", paramLabel = "REF",
            description = "Image of the vllm container: REPO:TAG, REPO@sha256:..., or :TAG to keep the repository.")
    String image;

    @Option(names = "--chatbotctl-image", paramLabel = "REF",
            description = "Image of every container that runs chatbotctl (the model-sync initContainer, the proxy sidecar):"
                    + " REPO:TAG, REPO@sha256:..., or :TAG.")
    String chatbotctlImage;

    ImageOverrides overrides() {
        return new ImageOverrides(image, chatbotctlImage);
    }
}
