package io.chatbotctl.deploy;

import java.time.Instant;

/**
 * One deploy of an environment, as recorded in the Secret {@code chatbotctl-release-ENV-vN}.
 *
 * @param environment environment name
 * @param version     release number N, counting from 1
 * @param status      {@code pending}, {@code deployed}, {@code superseded}, {@code failed}
 * @param image       the vLLM image the release runs
 * @param gitCommit   commit of the manifests ({@code GITHUB_SHA} or the checkout's HEAD), or {@code unknown}
 * @param deployedAt  when the release was recorded
 * @param description what happened, e.g. {@code deploy}, {@code rollback to v2}, {@code rollout failed: ...}
 */
public record Release(String environment, int version, String status, String image, String gitCommit,
                      Instant deployedAt, String description) {

    public static final String PENDING = "pending";
    public static final String DEPLOYED = "deployed";
    public static final String SUPERSEDED = "superseded";
    public static final String FAILED = "failed";

    public String secretName() {
        return ReleaseStore.secretName(environment, version);
    }

    Release withStatus(String newStatus, String newDescription) {
        return new Release(environment, version, newStatus, image, gitCommit, deployedAt,
                newDescription == null ? description : newDescription);
    }
}
