package io.chatbotctl.deploy;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stages of a vLLM start read from a pod with the proxy sidecar (manifests/base/deployment.yaml): the proxy starts
 * at once and stays unready until vLLM answers; vLLM's startup probe decides "loading model".
 */
class PodStateTest {

    private static ContainerStatus running(String name, boolean started, boolean ready) {
        return new ContainerStatusBuilder().withName(name).withStarted(started).withReady(ready).withRestartCount(0)
                .withNewState().withNewRunning().endRunning().endState().build();
    }

    private static Pod pod(boolean ready, ContainerStatus... containers) {
        return new PodBuilder().withNewMetadata().withName("vllm-chatbot-1").endMetadata()
                .withNewSpec().withNodeName("gpu-1").endSpec()
                .withNewStatus().withPhase("Running").withContainerStatuses(List.of(containers))
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus().build();
    }

    @Test
    void theStagesOfAStartWithTheSidecar() {
        PodState loading = PodState.of(pod(false, running("vllm", false, false), running("proxy", true, false)));
        assertEquals("loading model", loading.stage(), "a started proxy in front of a loading model");
        assertNull(loading.problem());
        PodState notReady = PodState.of(pod(false, running("vllm", true, true), running("proxy", true, false)));
        assertEquals("not ready", notReady.stage());
        assertFalse(notReady.ready());
        PodState ready = PodState.of(pod(true, running("vllm", true, true), running("proxy", true, true)));
        assertEquals("ready", ready.stage());
        assertTrue(ready.ready());
    }

    @Test
    void aCrashingProxyFailsThePodAndIsNamed() {
        ContainerStatus proxy = new ContainerStatusBuilder().withName("proxy").withStarted(false).withReady(false)
                .withRestartCount(3)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").withMessage("back-off 40s").endWaiting().endState()
                .withNewLastState().withNewTerminated().withReason("Error").withExitCode(3).endTerminated().endLastState()
                .build();
        PodState state = PodState.of(pod(false, running("vllm", true, true), proxy));
        assertEquals("failing", state.stage());
        assertEquals("proxy: CrashLoopBackOff, last exit Error (code 3), 3 restarts", state.problem());
        assertEquals(3, state.restarts());
    }
}
