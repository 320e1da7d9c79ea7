package io.chatbotctl.deploy;

import java.time.Duration;

/**
 * Options of one deploy.
 *
 * @param image             image reference replacing the vLLM image of the manifests, or null to deploy them as written
 * @param dryRun            only dry-run apply on the server and report what would change
 * @param timeout           how long to wait for the rollout (default 20m)
 * @param rollbackOnFailure restore the previous release when the rollout fails or times out
 */
public record DeployRequest(String image, boolean dryRun, Duration timeout, boolean rollbackOnFailure) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(20);
}
