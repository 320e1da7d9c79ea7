package io.chatbotctl.testing;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Plays the Deployment controller, ReplicaSet controller, scheduler and kubelet against the mock API server, which
 * runs no controllers. Two ways to use it:
 * <ul>
 *   <li>explicitly: {@link #rollout(String, RolloutOutcome)} plays one rollout of the Deployment's current generation
 *   to its end state, synchronously;</li>
 *   <li>in the background: {@link #onEveryRollout(Function)} watches the namespace (polling) and plays every new
 *   generation of every Deployment with the outcome the policy picks, e.g. by image:
 *   {@code d -> image(d).contains("broken") ? deadlineExceeded(imagePullBackOff(image(d))) : succeed()} — use this when
 *   the code under test waits for the rollout (deploy, rollback). Successful rollouts pass through the stages a vLLM
 *   pod shows (init container syncing the model, started but not ready, ready), {@link #stageDelay} apart.</li>
 * </ul>
 * What it writes is what the real controllers write and what {@code kubectl rollout status} reads: ReplicaSets
 * {@code NAME-HASH} with {@code pod-template-hash} labels and owner references, pods with node, phase, conditions
 * and container statuses (waiting reasons, last termination, restarts), and Deployment status with
 * observedGeneration, replicas, updatedReplicas, readyReplicas, availableReplicas and the Available/Progressing
 * conditions (ProgressDeadlineExceeded on failure).
 */
public final class DeploymentController implements AutoCloseable {
    public static final String GPU = "nvidia.com/gpu";

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Long> played = new ConcurrentHashMap<>();
    private volatile Duration stageDelay = Duration.ofMillis(150);
    private volatile Thread loop;
    private volatile Throwable loopFailure;

    public DeploymentController(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Time each stage of a successful background rollout lasts (default 150 ms). */
    public DeploymentController stageDelay(Duration delay) {
        this.stageDelay = delay;
        return this;
    }

    /** The first container's image of a Deployment: the usual thing a policy decides on. */
    public static String image(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    /** Starts playing every new Deployment generation in the namespace in the background. */
    public synchronized DeploymentController onEveryRollout(Function<Deployment, RolloutOutcome> policy) {
        if (loop != null) {
            throw new IllegalStateException("already running");
        }
        loop = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    synchronized (played) { // forget() waits for a pass to end, so no stale entry outlives it
                        for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
                            long generation = generation(d);
                            String key = identity(d);
                            if (!Objects.equals(played.get(key), generation)) {
                                played.put(key, generation);
                                play(d, policy.apply(d), true);
                            }
                        }
                    }
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    loopFailure = e;
                }
            }
        }, "deployment-controller");
        loop.setDaemon(true);
        loop.start();
        return this;
    }

    /** Forgets which generations were played (after the API server's store was emptied). */
    public void forget() {
        synchronized (played) {
            played.clear();
        }
        loopFailure = null;
    }

    /** The last error of the background loop, or null: assert on it when a test misbehaves. */
    public Throwable failure() {
        return loopFailure;
    }

    /** Plays one rollout of the named Deployment's current generation to its end state. */
    public void rollout(String name, RolloutOutcome outcome) {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).require();
        played.put(identity(d), generation(d));
        play(d, outcome, false);
    }

    /**
     * A Deployment's identity across the store being emptied: its uid (a Deployment created again after
     * {@link #forget()} is another object, even when a stale loop pass recorded its name and generation 1).
     */
    private static String identity(Deployment d) {
        String uid = d.getMetadata().getUid();
        return uid != null ? uid : d.getMetadata().getName() + "@" + d.getMetadata().getCreationTimestamp();
    }

    @Override
    public void close() {
        Thread t = loop;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void play(Deployment d, RolloutOutcome outcome, boolean staged) {
        String name = d.getMetadata().getName();
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        PodTemplateSpec template = d.getSpec().getTemplate();
        String hash = templateHash(template);
        List<ReplicaSet> owned = ownedReplicaSets(d);
        ReplicaSet current = owned.stream().filter(rs -> rs.getMetadata().getName().equals(name + "-" + hash)).findFirst().orElse(null);
        List<ReplicaSet> old = owned.stream().filter(rs -> rs != current).toList();
        int revision = owned.stream().mapToInt(DeploymentController::revision).max().orElse(0) + 1;
        ReplicaSet rs = upsertReplicaSet(d, hash, replicas, revision);
        deletePods(rs);
        int oldAvailable = old.stream().mapToInt(o -> o.getSpec().getReplicas() == null ? 0 : o.getSpec().getReplicas()).sum();
        long generation = generation(d);
        switch (outcome.kind()) {
            case SUCCEED -> {
                if (staged) {
                    List<Pod> pods = createPods(rs, replicas, Stage.SYNCING, null);
                    setStatus(name, generation, replicas + oldAvailable, replicas, 0, oldAvailable, progressing("True", "ReplicaSetUpdated"));
                    pause();
                    restage(pods, Stage.STARTING, null);
                    pause();
                    restage(pods, Stage.READY, null);
                } else {
                    createPods(rs, replicas, Stage.READY, null);
                }
                for (ReplicaSet o : old) {
                    scaleDown(o);
                }
                setReplicaSetStatus(rs, replicas, replicas);
                setStatus(name, generation, replicas, replicas, replicas, replicas, progressing("True", "NewReplicaSetAvailable"));
            }
            case DEADLINE_EXCEEDED, CRASH_LOOP -> {
                createPods(rs, replicas, Stage.FAILING, outcome.problem());
                setReplicaSetStatus(rs, replicas, 0);
                DeploymentCondition progressing = outcome.kind() == RolloutOutcome.Kind.DEADLINE_EXCEEDED
                        ? progressing("False", "ProgressDeadlineExceeded")
                        : progressing("True", "ReplicaSetUpdated");
                setStatus(name, generation, replicas + oldAvailable, replicas, oldAvailable, oldAvailable, progressing);
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(stageDelay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private enum Stage { SYNCING, STARTING, READY, FAILING }

    private List<ReplicaSet> ownedReplicaSets(Deployment d) {
        List<ReplicaSet> result = new ArrayList<>();
        for (ReplicaSet rs : client.apps().replicaSets().inNamespace(namespace).list().getItems()) {
            if (rs.getMetadata().getOwnerReferences() != null && rs.getMetadata().getOwnerReferences().stream()
                    .anyMatch(o -> "Deployment".equals(o.getKind()) && d.getMetadata().getName().equals(o.getName()))) {
                result.add(rs);
            }
        }
        return result;
    }

    private ReplicaSet upsertReplicaSet(Deployment d, String hash, int replicas, int revision) {
        String name = d.getMetadata().getName() + "-" + hash;
        Map<String, String> labels = new HashMap<>(d.getSpec().getTemplate().getMetadata().getLabels());
        labels.put("pod-template-hash", hash);
        PodTemplateSpec template = client.getKubernetesSerialization().clone(d.getSpec().getTemplate());
        template.getMetadata().setLabels(labels);
        ReplicaSet rs = new ReplicaSetBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels)
                .addToAnnotations("deployment.kubernetes.io/revision", Integer.toString(revision))
                .withOwnerReferences(owner("apps/v1", "Deployment", d.getMetadata().getName(), d.getMetadata().getUid()))
                .endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().withMatchLabels(labels).endSelector()
                .withTemplate(template).endSpec()
                .build();
        client.resource(rs).inNamespace(namespace).createOr(existing -> existing.update());
        return client.apps().replicaSets().inNamespace(namespace).withName(name).require();
    }

    private void setReplicaSetStatus(ReplicaSet rs, int replicas, int ready) {
        ReplicaSet fresh = client.apps().replicaSets().inNamespace(namespace).withName(rs.getMetadata().getName()).require();
        fresh.setStatus(new ReplicaSetStatusBuilder().withReplicas(replicas).withReadyReplicas(ready)
                .withAvailableReplicas(ready).withObservedGeneration(fresh.getMetadata().getGeneration()).build());
        client.resource(fresh).inNamespace(namespace).updateStatus();
    }

    private void scaleDown(ReplicaSet rs) {
        deletePods(rs);
        ReplicaSet fresh = client.apps().replicaSets().inNamespace(namespace).withName(rs.getMetadata().getName()).require();
        fresh.getSpec().setReplicas(0);
        client.resource(fresh).inNamespace(namespace).update();
        setReplicaSetStatus(fresh, 0, 0);
    }

    private void deletePods(ReplicaSet rs) {
        for (Pod pod : podsOf(rs)) {
            client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).delete();
        }
    }

    private List<Pod> podsOf(ReplicaSet rs) {
        return client.pods().inNamespace(namespace).list().getItems().stream()
                .filter(p -> p.getMetadata().getOwnerReferences() != null && p.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> rs.getMetadata().getName().equals(o.getName())))
                .toList();
    }

    private List<Pod> createPods(ReplicaSet rs, int count, Stage stage, PodProblem problem) {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Pod pod = new PodBuilder()
                    .withNewMetadata()
                    .withName(rs.getMetadata().getName() + "-" + suffix())
                    .withNamespace(namespace)
                    .withLabels(rs.getSpec().getTemplate().getMetadata().getLabels())
                    .withOwnerReferences(owner("apps/v1", "ReplicaSet", rs.getMetadata().getName(), rs.getMetadata().getUid()))
                    .withCreationTimestamp(Instant.now().toString())
                    .endMetadata()
                    .withSpec(client.getKubernetesSerialization().clone(rs.getSpec().getTemplate().getSpec()))
                    .build();
            pod.getSpec().setNodeName("gpu-node-" + (i + 1));
            withStage(pod, stage, problem);
            pods.add(client.resource(pod).inNamespace(namespace).create());
            Pod created = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).require();
            withStage(created, stage, problem);
            client.resource(created).inNamespace(namespace).updateStatus();
        }
        return pods;
    }

    private void restage(List<Pod> pods, Stage stage, PodProblem problem) {
        for (Pod pod : pods) {
            Pod fresh = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).get();
            if (fresh != null) {
                withStage(fresh, stage, problem);
                client.resource(fresh).inNamespace(namespace).updateStatus();
            }
        }
    }

    private static void withStage(Pod pod, Stage stage, PodProblem problem) {
        String now = Instant.now().toString();
        List<ContainerStatus> init = new ArrayList<>();
        if (pod.getSpec().getInitContainers() != null) {
            for (var c : pod.getSpec().getInitContainers()) {
                ContainerStatusBuilder b = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withRestartCount(0);
                if (stage == Stage.SYNCING) {
                    b.withReady(false).withNewState().withNewRunning(now).endState();
                } else {
                    b.withReady(true).withNewState().withNewTerminated().withReason("Completed").withExitCode(0).endTerminated().endState();
                }
                init.add(b.build());
            }
        }
        List<ContainerStatus> main = new ArrayList<>();
        for (var c : pod.getSpec().getContainers()) {
            ContainerStatusBuilder b = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage());
            switch (stage) {
                case SYNCING -> b.withReady(false).withStarted(false).withRestartCount(0)
                        .withNewState().withNewWaiting().withReason("PodInitializing").endWaiting().endState();
                case STARTING -> b.withReady(false).withStarted(false).withRestartCount(0)
                        .withNewState().withNewRunning(now).endState();
                case READY -> b.withReady(true).withStarted(true).withRestartCount(0)
                        .withNewState().withNewRunning(now).endState();
                case FAILING -> {
                    b.withReady(false).withStarted(false).withRestartCount(problem.restarts())
                            .withNewState().withNewWaiting().withReason(problem.reason()).withMessage(problem.message()).endWaiting().endState();
                    if (problem.lastReason() != null) {
                        b.withNewLastState().withNewTerminated().withReason(problem.lastReason())
                                .withExitCode(problem.lastExitCode()).endTerminated().endLastState();
                    }
                }
            }
            main.add(b.build());
        }
        boolean ready = stage == Stage.READY;
        boolean initialized = stage != Stage.SYNCING;
        List<PodCondition> conditions = List.of(
                condition("PodScheduled", true), condition("Initialized", initialized),
                condition("ContainersReady", ready), condition("Ready", ready));
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                .withPhase(stage == Stage.SYNCING ? "Pending" : "Running")
                .withHostIP("10.0.1.10").withPodIP("10.0.2." + ThreadLocalRandom.current().nextInt(2, 250))
                .withStartTime(pod.getMetadata().getCreationTimestamp())
                .withInitContainerStatuses(init).withContainerStatuses(main).withConditions(conditions)
                .build());
    }

    private static PodCondition condition(String type, boolean status) {
        return new PodConditionBuilder().withType(type).withStatus(status ? "True" : "False").build();
    }

    private void setStatus(String name, long generation, int replicas, int updated, int ready, int available,
                           DeploymentCondition progressing) {
        Deployment fresh = client.apps().deployments().inNamespace(namespace).withName(name).require();
        int desired = fresh.getSpec().getReplicas() == null ? 1 : fresh.getSpec().getReplicas();
        String now = Instant.now().toString();
        DeploymentCondition availableCondition = new DeploymentConditionBuilder().withType("Available")
                .withStatus(available >= desired ? "True" : "False")
                .withReason(available >= desired ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable")
                .withLastUpdateTime(now).withLastTransitionTime(now).build();
        fresh.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(generation)
                .withReplicas(replicas).withUpdatedReplicas(updated).withReadyReplicas(ready)
                .withAvailableReplicas(available).withUnavailableReplicas(Math.max(0, replicas - available))
                .withConditions(availableCondition, progressing)
                .build());
        client.resource(fresh).inNamespace(namespace).updateStatus();
    }

    private static DeploymentCondition progressing(String status, String reason) {
        String now = Instant.now().toString();
        String message = switch (reason) {
            case "ProgressDeadlineExceeded" -> "ReplicaSet has timed out progressing.";
            case "NewReplicaSetAvailable" -> "ReplicaSet has successfully progressed.";
            default -> "ReplicaSet is progressing.";
        };
        return new DeploymentConditionBuilder().withType("Progressing").withStatus(status).withReason(reason)
                .withMessage(message).withLastUpdateTime(now).withLastTransitionTime(now).build();
    }

    private static OwnerReference owner(String apiVersion, String kind, String name, String uid) {
        return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind).withName(name)
                .withUid(uid == null ? name : uid).withController(true).build();
    }

    private static long generation(Deployment d) {
        return d.getMetadata().getGeneration() == null ? 1 : d.getMetadata().getGeneration();
    }

    private static int revision(ReplicaSet rs) {
        String r = rs.getMetadata().getAnnotations() == null ? null : rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision");
        return r == null ? 0 : Integer.parseInt(r);
    }

    /** Like the controller's pod-template-hash: a short hash of the pod template. */
    String templateHash(PodTemplateSpec template) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(client.getKubernetesSerialization().asJson(template).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String suffix() {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
