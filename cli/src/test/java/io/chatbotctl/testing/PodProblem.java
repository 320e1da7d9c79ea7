package io.chatbotctl.testing;

/**
 * Why the pods of a failing rollout do not become ready, as the kubelet reports it in the container status.
 *
 * @param reason       the waiting reason, e.g. {@code CrashLoopBackOff}, {@code ImagePullBackOff}
 * @param message      the waiting message
 * @param lastReason   the last termination's reason (e.g. {@code OOMKilled}, {@code Error}), or null when it never ran
 * @param lastExitCode the last termination's exit code
 * @param restarts     restart count
 */
public record PodProblem(String reason, String message, String lastReason, int lastExitCode, int restarts) {

    /** The model server is killed for exceeding its memory limit and restarts in a loop. */
    public static PodProblem oomKilled() {
        return new PodProblem("CrashLoopBackOff", "back-off 5m0s restarting failed container", "OOMKilled", 137, 4);
    }

    /** The image cannot be pulled (wrong tag, missing registry permission). */
    public static PodProblem imagePullBackOff(String image) {
        return new PodProblem("ImagePullBackOff", "Back-off pulling image \"" + image + "\"", null, 0, 0);
    }

    /** The process exits with an error and restarts in a loop. */
    public static PodProblem crashLoop(int exitCode) {
        return new PodProblem("CrashLoopBackOff", "back-off 2m40s restarting failed container", "Error", exitCode, 5);
    }
}
