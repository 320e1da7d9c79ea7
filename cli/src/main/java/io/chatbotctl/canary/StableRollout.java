package io.chatbotctl.canary;

import io.chatbotctl.core.CheckFailedException;
import io.chatbotctl.core.ExitCode;
import io.chatbotctl.core.ChatbotctlException;
import io.chatbotctl.core.Progress;
import io.chatbotctl.kube.KubeConnection;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.time.Duration;

/**
 * Promotion: the stable Deployment takes the canary's image and its rollout is waited for.
 * Interim until deploy's release mechanism is merged: sets the image on {@code vllm-chatbot} and waits for the
 * rollout like {@code kubectl rollout status}.
 */
final class StableRollout implements KubeCanary.Promoter {
    private final KubeConnection kube;
    private final Duration timeout;
    private final Sleeper sleeper;

    StableRollout(KubeConnection kube, Duration timeout, Sleeper sleeper) {
        this.kube = kube;
        this.timeout = timeout;
        this.sleeper = sleeper;
    }

    @Override
    public String promote(String image, Progress progress) {
        String ns = kube.namespace();
        Deployment updated = kube.call("set the image of deployment " + CanaryNames.STABLE_DEPLOYMENT,
                () -> kube.client().apps().deployments().inNamespace(ns).withName(CanaryNames.STABLE_DEPLOYMENT)
                        .edit(d -> {
                            KubeCanary.mainContainer(d).setImage(image);
                            return d;
                        }));
        long generation = updated.getMetadata().getGeneration() == null ? 0 : updated.getMetadata().getGeneration();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Deployment d = kube.call("read deployment " + CanaryNames.STABLE_DEPLOYMENT,
                    () -> kube.client().apps().deployments().inNamespace(ns).withName(CanaryNames.STABLE_DEPLOYMENT).get());
            var s = d.getStatus();
            int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            if (s != null && s.getObservedGeneration() != null && s.getObservedGeneration() >= generation
                    && n(s.getUpdatedReplicas()) >= want && n(s.getAvailableReplicas()) >= want && n(s.getReplicas()) <= want) {
                return CanaryNames.STABLE_DEPLOYMENT + " rolled out " + image;
            }
            if (s != null && s.getConditions() != null && s.getConditions().stream()
                    .anyMatch(c -> "Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason()))) {
                throw new CheckFailedException("promotion failed: " + CanaryNames.STABLE_DEPLOYMENT + " exceeded its progress deadline",
                        "the canary objects were kept; roll back with chatbotctl rollback --env ENV");
            }
            if (System.nanoTime() > deadline) {
                throw new CheckFailedException("promotion: " + CanaryNames.STABLE_DEPLOYMENT + " not rolled out within " + timeout.toSeconds() + "s",
                        "the canary objects were kept; check the pods, then retry chatbotctl canary promote");
            }
            progress.update("promoting: " + n(s == null ? null : s.getUpdatedReplicas()) + "/" + want + " updated");
            try {
                sleeper.sleep(Duration.ofMillis(300));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChatbotctlException(ExitCode.INTERRUPTED, "interrupted while promoting", null, e);
            }
        }
    }

    private static int n(Integer v) {
        return v == null ? 0 : v;
    }
}
