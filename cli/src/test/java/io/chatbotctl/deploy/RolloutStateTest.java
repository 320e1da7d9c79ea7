package io.chatbotctl.deploy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The cases of kubectl's DeploymentStatusViewer, in its order and words. */
class RolloutStateTest {

    static Deployment deployment(long generation, Long observed, Integer replicas, int statusReplicas, int updated,
                                 int available, String progressingReason) {
        DeploymentStatusBuilder status = new DeploymentStatusBuilder().withObservedGeneration(observed)
                .withReplicas(statusReplicas).withUpdatedReplicas(updated).withAvailableReplicas(available);
        if (progressingReason != null) {
            status.withConditions(new DeploymentConditionBuilder().withType("Progressing")
                    .withStatus("ProgressDeadlineExceeded".equals(progressingReason) ? "False" : "True")
                    .withReason(progressingReason).build());
        }
        return new DeploymentBuilder().withNewMetadata().withName("vllm-chatbot").withGeneration(generation).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec().withStatus(status.build()).build();
    }

    @Test
    void newGenerationNotYetObserved() {
        RolloutState s = RolloutState.of(deployment(3, 2L, 2, 2, 2, 2, null));
        assertEquals(RolloutState.Phase.PROGRESSING, s.phase());
        assertEquals("waiting for deployment \"vllm-chatbot\" spec update to be observed", s.message());
    }

    @Test
    void deadlineExceededFailsEvenWithOldReplicasAvailable() {
        RolloutState s = RolloutState.of(deployment(3, 3L, 2, 4, 2, 2, "ProgressDeadlineExceeded"));
        assertEquals(RolloutState.Phase.FAILED, s.phase());
        assertEquals("deployment \"vllm-chatbot\" exceeded its progress deadline", s.message());
    }

    @Test
    void waitsForUpdatedThenOldThenAvailable() {
        assertEquals("1 out of 2 new replicas have been updated",
                RolloutState.of(deployment(3, 3L, 2, 3, 1, 2, "ReplicaSetUpdated")).message());
        assertEquals("1 old replicas are pending termination",
                RolloutState.of(deployment(3, 3L, 2, 3, 2, 2, "ReplicaSetUpdated")).message());
        assertEquals("1 of 2 updated replicas are available",
                RolloutState.of(deployment(3, 3L, 2, 2, 2, 1, "ReplicaSetUpdated")).message());
    }

    @Test
    void completeWhenAllUpdatedAvailableAndNoOldReplicas() {
        RolloutState s = RolloutState.of(deployment(3, 3L, 2, 2, 2, 2, "NewReplicaSetAvailable"));
        assertEquals(RolloutState.Phase.COMPLETE, s.phase());
        assertEquals("deployment \"vllm-chatbot\" successfully rolled out", s.message());
    }

    @Test
    void replicasLeftToTheHpaAreNotCompared() {
        assertEquals(RolloutState.Phase.COMPLETE, RolloutState.of(deployment(1, 1L, null, 3, 3, 3, null)).phase());
    }
}
