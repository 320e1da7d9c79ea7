package io.chatbotctl.deploy;

import io.chatbotctl.kube.KubeTarget;

import java.nio.file.Path;

/**
 * The environment a deploy, rollback, diff, history, status or scale works on.
 *
 * @param environment environment name (names the release records and the ApplySet)
 * @param kube        cluster, namespace and kubeconfig lookup
 * @param projectDir  the checkout the manifests come from (for the release's git commit)
 */
public record DeployTarget(String environment, KubeTarget kube, Path projectDir) {
}
