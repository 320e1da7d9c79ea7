package io.chatbotctl.deploy;

import io.chatbotctl.manifest.ImageOverrides;

import java.time.Duration;

/**
 * Options of one deploy.
 *
 * @param images            the vLLM image ({@code --image}) and the chatbotctl image ({@code --chatbotctl-image})
 *                          replacing the manifests' own; {@link ImageOverrides#NONE} deploys them as written
 * @param dryRun            only dry-run apply on the server and report what would change
 * @param timeout           how long to wait for the rollout (default 20m)
 * @param rollbackOnFailure restore the previous release when the rollout fails or times out
 */
public record DeployRequest(ImageOverrides images, boolean dryRun, Duration timeout, boolean rollbackOnFailure) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(20);

    public DeployRequest {
        images = images == null ? ImageOverrides.NONE : images;
    }
}
