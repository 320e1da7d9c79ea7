package io.chatbotctl.canary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.Poll;
import io.chatbotctl.core.Sleeper;
import io.chatbotctl.core.CheckFailedException;
import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Json;
import io.chatbotctl.core.Progress;
import io.chatbotctl.deploy.ManifestSource;
import io.chatbotctl.deploy.Manifests;
import io.chatbotctl.kube.KubeConnection;
import io.chatbotctl.manifest.ImageOverrides;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The canary on the cluster: the canary variant of the new release ({@link CanaryRelease}: Deployment
 * {@code vllm-chatbot-canary}, Service {@code vllm-service-canary}, ConfigMaps {@code NAME-canary}) and its share of
 * the HTTPRoute {@code vllm-chatbot} ({@link RouteWeights}).
 */
public final class KubeCanary implements CanaryTraffic {
    /** The Gateway API kind whose weights the canary drives. */
    public static final ResourceDefinitionContext HTTP_ROUTE = new ResourceDefinitionContext.Builder()
            .withGroup("gateway.networking.k8s.io").withVersion("v1").withKind("HTTPRoute").withPlural("httproutes")
            .withNamespaced(true).build();

    private final KubeConnection kube;
    private final CanaryNames names;
    private final ManifestSource release;
    private final Promoter promoter;
    private final Duration readyTimeout;
    private final Sleeper sleeper;

    /**
     * @param release      the environment's manifests as deploy renders them (the new release)
     * @param promoter     how the stable release becomes the canary's (deploy's release mechanism)
     * @param readyTimeout how long to wait for the canary to become ready
     */
    public KubeCanary(KubeConnection kube, CanaryNames names, ManifestSource release, Promoter promoter, Duration readyTimeout,
                      Sleeper sleeper) {
        this.kube = kube;
        this.names = names;
        this.release = release;
        this.promoter = promoter;
        this.readyTimeout = readyTimeout;
        this.sleeper = sleeper;
    }

    /** Deploys the new release (the overlay with its images) to stable, waiting for its rollout. */
    @FunctionalInterface
    public interface Promoter {
        /** @return what happened, e.g. {@code release v4 of production} */
        String promote(ImageOverrides images, Progress progress);
    }

    private KubernetesClient client() {
        return kube.client();
    }

    private String ns() {
        return kube.namespace();
    }

    /**
     * Renders the new release with {@code images} (NONE: as the overlay says), creates its canary variant, adds it to
     * the HTTPRoute at {@code weight} with the header rules, and waits until the canary is ready.
     */
    public CanaryStatus start(ImageOverrides images, int weight, int replicas, String header, Progress progress) throws InterruptedException {
        if (weight < 0 || weight > 100) {
            throw new InvalidInputException("--weight must be 0 to 100, not " + weight);
        }
        if (replicas < 1) {
            throw new InvalidInputException("--replicas must be at least 1, not " + replicas);
        }
        Deployment existing = deployment(names.canaryDeployment());
        if (existing != null) {
            throw new CheckFailedException("a canary already runs in " + ns() + " (" + names.canaryDeployment()
                    + ", image " + image(existing) + ")",
                    "watch it (canary watch), promote it (canary promote) or remove it (canary abort) first");
        }
        if (deployment(names.stableDeployment()) == null) {
            throw new InvalidInputException("no stable Deployment " + names.stableDeployment() + " in namespace " + ns(),
                    "a canary is compared with the stable release: deploy it first (chatbotctl deploy --env ENV)");
        }
        ObjectNode route = route();
        if (route == null || !RouteWeights.routesToStable(names, route)) {
            throw new InvalidInputException("no HTTPRoute " + names.route() + " routes to " + names.stableService()
                    + " in namespace " + ns(), "the canary's weights are the HTTPRoute's: deploy the Gateway API layout first "
                    + "(chatbotctl deploy --env ENV; docs/canary.md, \"Migration\")");
        }
        Manifests rendered = release.render(images);
        List<String> errors = release.lintErrors(rendered);
        if (!errors.isEmpty()) {
            throw new CheckFailedException("lint found " + errors.size() + " error(s) in the new release, no canary was made:\n  "
                    + String.join("\n  ", errors), "fix them (chatbotctl lint --env ENV)");
        }
        CanaryRelease canary = CanaryRelease.of(names, rendered, images, ns(), replicas);
        for (ObjectNode cm : canary.configMaps()) {
            create(cm);
        }
        create(canary.service());
        create(canary.deployment());
        updateRoute(RouteWeights.withCanary(names, route, header, weight));
        progress.log("canary " + image(canary.deployment()) + " created in " + ns() + " at weight " + weight + "% ("
                + header + ": " + CanaryNames.CANARY_ONLY + " reaches it at any weight); waiting until ready");
        awaitReady(progress);
        return status();
    }

    @Override
    public void setWeight(int percent) {
        ObjectNode route = route();
        if (route == null || RouteWeights.weight(names, route) == null) {
            throw new CheckFailedException("the HTTPRoute " + names.route() + " in " + ns() + " does not send to the canary",
                    "start a canary first: chatbotctl canary start");
        }
        updateRoute(RouteWeights.withWeight(names, route, percent));
    }

    @Override
    public String promote(Progress progress) {
        Deployment canary = deployment(names.canaryDeployment());
        if (canary == null) {
            throw new CheckFailedException("no canary in " + ns() + " to promote", "start one with chatbotctl canary start");
        }
        String image = image(canary);
        java.util.Map<String, String> annotations = canary.getMetadata().getAnnotations() == null ? java.util.Map.of()
                : canary.getMetadata().getAnnotations();
        ImageOverrides requested = CanaryRelease.requestedImages(annotations, image);
        String started = annotations.get(CanaryRelease.FINGERPRINT_ANNOTATION);
        if (started != null && !started.equals(CanaryRelease.fingerprint(release.render(requested)))) {
            throw new CheckFailedException("the release changed since the canary started: the overlay rendered now is not "
                    + "what the canary runs", "canary what you promote: chatbotctl canary abort, then canary start again");
        }
        String released = promoter.promote(requested, progress);
        remove(progress);
        return "promoted " + image + " (" + released + "); canary objects removed";
    }

    @Override
    public String rollback(Progress progress) {
        ObjectNode route = route();
        if (route != null && RouteWeights.weight(names, route) != null) {
            updateRoute(RouteWeights.withWeight(names, route, 0));
        }
        remove(progress);
        return "rolled back: weight 0, canary objects removed";
    }

    /** Takes the canary off the HTTPRoute, then deletes its Service, Deployment and ConfigMaps (those that exist). */
    public void remove(Progress progress) {
        ObjectNode route = route();
        if (route != null && (RouteWeights.header(route) != null || RouteWeights.weight(names, route) != null)) {
            updateRoute(RouteWeights.withoutCanary(names, route));
        }
        kube.run("delete service " + names.canaryService(),
                () -> client().services().inNamespace(ns()).withName(names.canaryService()).delete());
        kube.run("delete deployment " + names.canaryDeployment(),
                () -> client().apps().deployments().inNamespace(ns()).withName(names.canaryDeployment()).delete());
        kube.run("delete canary configmaps", () -> client().configMaps().inNamespace(ns())
                .withLabel(names.trackLabel(), "canary").delete());
        progress.log("canary objects removed from " + ns());
    }

    /** What runs now: stable and canary images, readiness, the weights read back from the HTTPRoute. */
    public CanaryStatus status() {
        Deployment stable = deployment(names.stableDeployment());
        Deployment canary = deployment(names.canaryDeployment());
        ObjectNode route = route();
        Integer weight = route == null ? null : RouteWeights.weight(names, route);
        return new CanaryStatus(ns(), canary != null, stable == null ? null : image(stable),
                canary == null ? null : image(canary),
                canary == null ? 0 : replicas(canary), canary == null ? 0 : ready(canary), weight,
                weight == null ? null : 100 - weight, route == null ? null : names.route(),
                route == null ? null : RouteWeights.header(route));
    }

    private void awaitReady(Progress progress) throws InterruptedException {
        Poll.until(readyTimeout, () -> Duration.ofMillis(500), sleeper, last -> {
            Deployment d = deployment(names.canaryDeployment());
            if (d == null) {
                throw new ExternalSystemException("deployment " + names.canaryDeployment() + " disappeared while waiting for it");
            }
            int want = replicas(d);
            int ready = ready(d);
            long observed = d.getStatus() == null || d.getStatus().getObservedGeneration() == null ? 0 : d.getStatus().getObservedGeneration();
            long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
            if (observed >= generation && ready >= want) {
                progress.log("canary ready: " + ready + "/" + want + " replicas");
                return d;
            }
            if (d.getStatus() != null && d.getStatus().getConditions() != null && d.getStatus().getConditions().stream()
                    .anyMatch(c -> "Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason()))) {
                throw new CheckFailedException("the canary did not become ready: progress deadline exceeded (" + ready + "/" + want + " ready)",
                        "look at its pods (kubectl -n " + ns() + " describe pods -l " + names.trackLabel()
                                + "=canary), then chatbotctl canary abort");
            }
            if (last) {
                throw new CheckFailedException("the canary was not ready within " + readyTimeout.toSeconds() + "s ("
                        + ready + "/" + want + " replicas ready)",
                        "a model load can take minutes: raise --timeout, or check the pods, then chatbotctl canary abort");
            }
            progress.update("waiting for the canary: " + ready + "/" + want + " replicas ready (model loading)");
            return null;
        });
    }

    private Deployment deployment(String name) {
        return kube.call("read deployment " + name,
                () -> client().apps().deployments().inNamespace(ns()).withName(name).get());
    }

    private void create(ObjectNode object) {
        String what = object.path("kind").asText().toLowerCase() + " " + object.path("metadata").path("name").asText();
        HasMetadata resource = client().getKubernetesSerialization().unmarshal(object.toString(), HasMetadata.class);
        kube.run("create " + what, () -> client().resource(resource).inNamespace(ns()).create());
    }

    private Resource<GenericKubernetesResource> routeResource() {
        return client().genericKubernetesResources(HTTP_ROUTE).inNamespace(ns()).withName(names.route());
    }

    private ObjectNode route() {
        GenericKubernetesResource live = kube.call("read httproute " + names.route(), () -> routeResource().get());
        if (live == null) {
            return null;
        }
        try {
            return (ObjectNode) Json.mapper().readTree(client().getKubernetesSerialization().asJson(live));
        } catch (JsonProcessingException e) {
            throw new ExternalSystemException("cannot read the HTTPRoute " + names.route() + ": " + e.getOriginalMessage());
        }
    }

    private void updateRoute(ObjectNode route) {
        GenericKubernetesResource resource = client().getKubernetesSerialization()
                .unmarshal(route.toString(), GenericKubernetesResource.class);
        kube.run("update httproute " + names.route(),
                () -> client().genericKubernetesResources(HTTP_ROUTE).inNamespace(ns()).resource(resource).update());
    }

    /** The container named {@code vllm}, else the first. */
    static Container mainContainer(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> "vllm".equals(c.getName())).findFirst()
                .orElse(d.getSpec().getTemplate().getSpec().getContainers().get(0));
    }

    static String image(Deployment d) {
        return mainContainer(d).getImage();
    }

    private static String image(ObjectNode deployment) {
        List<ObjectNode> containers = new ArrayList<>();
        deployment.path("spec").path("template").path("spec").path("containers").forEach(c -> containers.add((ObjectNode) c));
        return containers.stream().filter(c -> "vllm".equals(c.path("name").asText())).findFirst()
                .orElse(containers.get(0)).path("image").asText();
    }

    private static int replicas(Deployment d) {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    private static int ready(Deployment d) {
        return d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
    }
}
