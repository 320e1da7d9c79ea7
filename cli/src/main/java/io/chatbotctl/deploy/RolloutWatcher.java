package io.chatbotctl.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.Durations;
import io.chatbotctl.core.Poll;
import io.chatbotctl.core.Sleeper;
import io.chatbotctl.core.Progress;
import io.chatbotctl.kube.KubeConnection;
import io.chatbotctl.core.Json;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Waits for a Deployment's rollout with {@link RolloutState kubectl's semantics}, reporting model-aware progress:
 * how many of the new pods are syncing the model, loading it behind the startup probe, ready, or failing and why.
 */
final class RolloutWatcher {
    private final KubeConnection kube;
    private final Duration firstPoll;
    private final Duration maxPoll;

    /** Polls every {@code firstPoll}, growing by half up to {@code maxPoll} while nothing changes. */
    RolloutWatcher(KubeConnection kube, Duration firstPoll, Duration maxPoll) {
        this.kube = kube;
        this.firstPoll = firstPoll;
        this.maxPoll = maxPoll;
    }

    /**
     * The end of one wait.
     *
     * @param deployment    Deployment name
     * @param state         the last rollout state seen
     * @param timedOut      whether the wait gave up at its timeout
     * @param podProblems   why new pods fail, one line per pod
     * @param elapsed       how long the wait took
     */
    record Outcome(String deployment, RolloutState state, boolean timedOut, List<String> podProblems, Duration elapsed) {
        boolean complete() {
            return state.phase() == RolloutState.Phase.COMPLETE;
        }
    }

    Outcome await(String name, Duration timeout, Progress progress) throws InterruptedException {
        long start = System.nanoTime();
        String[] lastSummary = {null};
        long[] pollMillis = {firstPoll.toMillis()};
        return Poll.until(timeout, () -> Duration.ofMillis(pollMillis[0]), Sleeper.REAL, timedOut -> {
            Deployment d = kube.call("read deployment " + name,
                    () -> kube.client().apps().deployments().inNamespace(kube.namespace()).withName(name).get());
            if (d == null) {
                throw new io.chatbotctl.core.ExternalSystemException("deployment " + name + " disappeared during the rollout",
                        "someone deleted it; check kubectl get events -n " + kube.namespace());
            }
            RolloutState state = RolloutState.of(d);
            List<PodState> pods = newPods(d);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            String summary = name + ": " + state.message() + stages(pods);
            if (!summary.equals(lastSummary[0])) {
                progress.log(summary);
                lastSummary[0] = summary;
                pollMillis[0] = firstPoll.toMillis();
            } else {
                progress.update(summary + "  (" + Durations.format(elapsed) + ")");
                pollMillis[0] = Math.min(maxPoll.toMillis(), pollMillis[0] * 3 / 2);
            }
            if (state.phase() != RolloutState.Phase.PROGRESSING || timedOut) {
                List<String> problems = new ArrayList<>();
                for (PodState pod : pods) {
                    if (pod.problem() != null) {
                        problems.add("pod " + pod.name() + ": " + pod.problem());
                    } else if (state.phase() != RolloutState.Phase.COMPLETE && !pod.ready()) {
                        problems.add("pod " + pod.name() + ": " + pod.stage());
                    }
                }
                return new Outcome(name, state, timedOut && state.phase() == RolloutState.Phase.PROGRESSING, problems, elapsed);
            }
            return null;
        });
    }

    private static String stages(List<PodState> pods) {
        if (pods.isEmpty()) {
            return "";
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String stage : List.of("pending", "syncing model", "loading model", "not ready", "ready", "failing")) {
            counts.put(stage, 0);
        }
        for (PodState pod : pods) {
            counts.merge(pod.stage(), 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder(" [new pods:");
        counts.forEach((stage, n) -> {
            if (n > 0) {
                sb.append(' ').append(n).append(' ').append(stage).append(',');
            }
        });
        sb.setLength(sb.length() - 1);
        return sb.append(']').toString();
    }

    /** Pods of the Deployment's newest ReplicaSet: the one whose template equals the Deployment's, ignoring the hash label. */
    List<PodState> newPods(Deployment d) {
        ReplicaSet current = newReplicaSet(d);
        if (current == null || current.getSpec().getSelector() == null) {
            return List.of();
        }
        List<Pod> pods = kube.call("list pods of " + current.getMetadata().getName(), () -> kube.client().pods()
                .inNamespace(kube.namespace()).withLabels(current.getSpec().getSelector().getMatchLabels()).list().getItems());
        List<PodState> states = new ArrayList<>();
        for (Pod pod : pods) {
            states.add(PodState.of(pod));
        }
        return states;
    }

    ReplicaSet newReplicaSet(Deployment d) {
        if (d.getSpec().getSelector() == null || d.getSpec().getSelector().getMatchLabels() == null) {
            return null;
        }
        List<ReplicaSet> sets = kube.call("list replicasets of " + d.getMetadata().getName(), () -> kube.client().apps().replicaSets()
                .inNamespace(kube.namespace()).withLabels(d.getSpec().getSelector().getMatchLabels()).list().getItems());
        JsonNode wanted = templateWithoutHash(d.getSpec().getTemplate());
        for (ReplicaSet rs : sets) {
            if (wanted.equals(templateWithoutHash(rs.getSpec().getTemplate()))) {
                return rs;
            }
        }
        return null;
    }

    private JsonNode templateWithoutHash(Object template) {
        try {
            ObjectNode node = (ObjectNode) Json.mapper().readTree(kube.client().getKubernetesSerialization().asJson(template));
            JsonNode labels = node.path("metadata").path("labels");
            if (labels instanceof ObjectNode labelObject) {
                labelObject.remove("pod-template-hash");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
