package io.chatbotctl.kube;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both formats of the Cluster Autoscaler's status ConfigMap, as doctor and the runbooks read them. */
class ClusterAutoscalerStatusTest {

    /** The text format before cluster-autoscaler 1.30, as quoted in kubernetes/autoscaler issue #2287. */
    static final String LEGACY = """
            Cluster-autoscaler status at 2019-09-02 14:57:47.683724023 +0000 UTC:
            Cluster-wide:
              Health:      Healthy (ready=2 unready=0 notStarted=0 longNotStarted=0 registered=2 longUnregistered=0)
                           LastProbeTime:      2019-09-02 14:57:47.467422992 +0000 UTC m=+238.237952298
              ScaleUp:     InProgress (ready=2 registered=2)
                           LastProbeTime:      2019-09-02 14:57:47.467422992 +0000 UTC m=+238.237952298

            NodeGroups:
              Name:        work-default-eks-spot1
              Health:      Healthy (ready=1 unready=0 notStarted=0 longNotStarted=0 registered=1 longUnregistered=0 cloudProviderTarget=1 (minSize=1, maxSize=7))
                           LastProbeTime:      2019-09-02 14:57:47.467422992 +0000 UTC m=+238.237952298
              ScaleUp:     NoActivity (ready=1 cloudProviderTarget=1)
            """;

    /** The YAML format of cluster-autoscaler >= 1.30 (kubernetes/autoscaler PR #6375). */
    static final String YAML = """
            time: 2026-12-06 10:00:00.000000000 +0000 UTC
            autoscalerStatus: Running
            clusterWide:
              health:
                status: Healthy
              scaleUp:
                status: InProgress
            nodeGroups:
            - name: eks-gpu-40c6a1b2
              health:
                status: Healthy
                nodeCounts:
                  registered:
                    total: 2
                    ready: 2
                cloudProviderTarget: 2
                minSize: 0
                maxSize: 2
            """;

    @Test
    void theTextFormatGivesTheClusterLineAndEachGroupsSizes() {
        ClusterAutoscalerStatus s = ClusterAutoscalerStatus.parse(LEGACY);
        assertEquals("Health:      Healthy (ready=2 unready=0 notStarted=0 longNotStarted=0 registered=2 longUnregistered=0)", s.summary());
        assertEquals(1, s.nodeGroups().size());
        ClusterAutoscalerStatus.NodeGroup g = s.nodeGroups().get(0);
        assertEquals(new ClusterAutoscalerStatus.NodeGroup("work-default-eks-spot1", "Healthy", 1, 1, 1, 7), g);
        assertTrue(g.canGrow());
    }

    @Test
    void theYamlFormatGivesTheSameAndAGroupAtItsMaximumCannotGrow() {
        ClusterAutoscalerStatus s = ClusterAutoscalerStatus.parse(YAML);
        assertEquals("ScaleUp: InProgress, Health: Healthy", s.summary());
        ClusterAutoscalerStatus.NodeGroup g = s.nodeGroups().get(0);
        assertEquals(new ClusterAutoscalerStatus.NodeGroup("eks-gpu-40c6a1b2", "Healthy", 2, 2, 0, 2), g);
        assertFalse(g.canGrow());
    }
}
