package io.chatbotctl.testing;

/**
 * How {@link DeploymentController} plays a rollout of a Deployment's current generation.
 *
 * @param kind    what happens
 * @param problem why the new pods fail (for {@link Kind#DEADLINE_EXCEEDED} and {@link Kind#CRASH_LOOP}), else null
 */
public record RolloutOutcome(Kind kind, PodProblem problem) {
    public enum Kind {
        /** New ReplicaSet, pods Ready, old ReplicaSets scaled to 0, status complete (NewReplicaSetAvailable). */
        SUCCEED,
        /** New pods fail with the problem; old pods stay; Progressing=False reason ProgressDeadlineExceeded. */
        DEADLINE_EXCEEDED,
        /** New pods fail with the problem; old pods stay; still Progressing (a client timeout must end the wait). */
        CRASH_LOOP
    }

    public static RolloutOutcome succeed() {
        return new RolloutOutcome(Kind.SUCCEED, null);
    }

    public static RolloutOutcome deadlineExceeded(PodProblem problem) {
        return new RolloutOutcome(Kind.DEADLINE_EXCEEDED, problem);
    }

    public static RolloutOutcome crashLoop(PodProblem problem) {
        return new RolloutOutcome(Kind.CRASH_LOOP, problem);
    }
}
