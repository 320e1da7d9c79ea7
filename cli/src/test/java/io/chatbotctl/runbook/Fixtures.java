package io.chatbotctl.runbook;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Map;

/** The service's objects in the states the runbooks diagnose, as the kubelet and controllers would report them. */
final class Fixtures {
    static final String NS = "ai-serving";
    static final Map<String, String> LABELS = Map.of("app.kubernetes.io/name", "vllm-chatbot", "app.kubernetes.io/part-of", "ai-chatbot");

    private Fixtures() {}

    static void service(KubernetesClient client, int replicas, String gpuMemoryUtilization) {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("vllm-config")
                .endMetadata().addToData("GPU_MEMORY_UTILIZATION", gpuMemoryUtilization).addToData("MAX_NUM_SEQS", "64")
                .build()).create();
        client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder().withNewMetadata()
                .withName("vllm-chatbot").withLabels(LABELS).endMetadata().withNewSpec().withReplicas(replicas)
                .withNewSelector().withMatchLabels(Map.of("app.kubernetes.io/name", "vllm-chatbot")).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(LABELS).endMetadata().withNewSpec()
                .addNewContainer().withName("vllm").withImage("vllm/vllm-openai:v0.10.1")
                .addNewEnvFrom().withNewConfigMapRef().withName("vllm-config").endConfigMapRef().endEnvFrom().endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
    }

    static void hpa(KubernetesClient client, int min, int max, int current) {
        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).resource(new HorizontalPodAutoscalerBuilder()
                .withNewMetadata().withName("vllm-chatbot-hpa").endMetadata().withNewSpec().withMinReplicas(min)
                .withMaxReplicas(max).withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment")
                .withName("vllm-chatbot").endScaleTargetRef().endSpec().withNewStatus().withCurrentReplicas(current)
                .withDesiredReplicas(current).addNewCondition().withType("ScalingActive").withStatus("True")
                .withReason("ValidMetricFound").endCondition().endStatus().build()).create();
    }

    static void pdb(KubernetesClient client, int disruptionsAllowed) {
        client.policy().v1().podDisruptionBudget().inNamespace(NS).resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("vllm-chatbot-pdb").endMetadata().withNewSpec().withNewMaxUnavailable(1)
                .withNewSelector().withMatchLabels(Map.of("app.kubernetes.io/name", "vllm-chatbot")).endSelector().endSpec()
                .withNewStatus().withDisruptionsAllowed(disruptionsAllowed).withCurrentHealthy(2).withDesiredHealthy(1)
                .withExpectedPods(2).endStatus().build()).create();
    }

    static void node(KubernetesClient client, String name, String capacityType, boolean ready, Taint... taints) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                .addToLabels("eks.amazonaws.com/capacityType", capacityType).addToLabels("nvidia.com/gpu.present", "true")
                .endMetadata().withNewSpec().withTaints(List.of(taints)).withUnschedulable(taints.length > 0 ? true : null).endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "Unknown").endCondition()
                .endStatus().build()).create();
    }

    static Taint spotTaint() {
        return new Taint("NoSchedule", "aws-node-termination-handler/spot-itn", null, "i-0abc123-1764100000");
    }

    static PodBuilder pod(String name, String node) {
        return new PodBuilder().withNewMetadata().withName(name).withLabels(LABELS).endMetadata()
                .withNewSpec().withNodeName(node).addNewInitContainer().withName("model-loader").withImage("chatbotctl:0.1.0")
                .endInitContainer().addNewContainer().withName("vllm").withImage("vllm/vllm-openai:v0.10.1").endContainer().endSpec();
    }

    static Pod ready(String name, String node) {
        return pod(name, node).withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .withInitContainerStatuses(new ContainerStatusBuilder().withName("model-loader").withReady(true).withRestartCount(0)
                        .withNewState().withNewTerminated().withExitCode(0).withReason("Completed").endTerminated().endState().build())
                .withContainerStatuses(new ContainerStatusBuilder().withName("vllm").withReady(true).withRestartCount(0)
                        .withStarted(true).withNewState().withNewRunning().endRunning().endState().build())
                .endStatus().build();
    }

    /** CrashLoopBackOff whose last run ended as {@code reason} with {@code exitCode}. */
    static Pod crashLooping(String name, String node, String reason, int exitCode) {
        ContainerStatus vllm = new ContainerStatusBuilder().withName("vllm").withReady(false).withRestartCount(4).withStarted(false)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").withMessage("back-off 2m40s restarting failed container")
                .endWaiting().endState().withNewLastState().withNewTerminated().withExitCode(exitCode).withReason(reason)
                .endTerminated().endLastState().build();
        return pod(name, node).withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("False").endCondition()
                .withContainerStatuses(vllm).endStatus().build();
    }

    static Pod pendingForGpu(String name) {
        return pod(name, null).withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled")
                .withStatus("False").withReason("Unschedulable")
                .withMessage("0/3 nodes are available: 1 node(s) had untolerated taint {aws-node-termination-handler/spot-itn: }, "
                        + "2 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available: 3 No preemption victims found.")
                .endCondition().endStatus().build();
    }

    static Pod evicted(String name, String node) {
        return pod(name, node).withNewStatus().withPhase("Failed").withReason("Evicted")
                .withMessage("Pod was evicted: the node is being terminated (spot interruption)").endStatus().build();
    }

    static void create(KubernetesClient client, Pod... pods) {
        for (Pod pod : pods) {
            client.pods().inNamespace(NS).resource(pod).create();
        }
    }

    static void event(KubernetesClient client, String pod, String type, String reason, String message) {
        client.v1().events().inNamespace(NS).resource(new EventBuilder().withNewMetadata().withGenerateName(pod + ".")
                .withName(pod + "." + reason.toLowerCase()).endMetadata().withType(type).withReason(reason).withMessage(message)
                .withCount(3).withNewInvolvedObject().withKind("Pod").withName(pod).withNamespace(NS).endInvolvedObject()
                .build()).create();
    }
}
