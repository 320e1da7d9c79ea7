package io.chatbotctl.canary;

import io.chatbotctl.core.CheckFailedException;
import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.ExitCode;
import io.chatbotctl.core.Progress;
import io.chatbotctl.deploy.DeployRequest;
import io.chatbotctl.deploy.DeployResult;
import io.chatbotctl.deploy.DeployService;
import io.chatbotctl.deploy.DeployTarget;
import io.chatbotctl.deploy.KustomizeManifests;
import io.chatbotctl.manifest.ImageOverrides;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Promotion through deploy's release mechanism: the environment's overlay is deployed with the canary's images as a
 * new release (lint, server-side apply, release record, rollout wait; the previous release restored on failure).
 */
final class ReleasePromoter implements KubeCanary.Promoter {
    private final DeployTarget target;
    private final Path overlay;
    private final Duration timeout;

    ReleasePromoter(DeployTarget target, Path overlay, Duration timeout) {
        this.target = target;
        this.overlay = overlay;
        this.timeout = timeout;
    }

    @Override
    public String promote(ImageOverrides images, Progress progress) {
        DeployResult result;
        try {
            result = new DeployService(target).deploy(new KustomizeManifests(overlay),
                    new DeployRequest(images, false, timeout, true), progress);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChatbotctlException(ExitCode.INTERRUPTED, "interrupted while promoting", null, e);
        }
        if (result.failed()) {
            throw new CheckFailedException("promotion failed: " + result.failureMessage(),
                    "the canary objects were kept; see chatbotctl status --env " + target.environment()
                            + ", then chatbotctl canary abort");
        }
        return "release v" + result.release() + " of " + target.environment();
    }
}
