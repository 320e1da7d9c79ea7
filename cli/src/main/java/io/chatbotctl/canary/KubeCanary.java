package io.chatbotctl.canary;

import io.chatbotctl.core.Poll;
import io.chatbotctl.core.Sleeper;
import io.chatbotctl.core.CheckFailedException;
import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Progress;
import io.chatbotctl.kube.KubeConnection;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The canary's Kubernetes objects: Deployment {@code vllm-chatbot-canary}, Service {@code vllm-service-canary} and an
 * NGINX canary Ingress next to the stable one, each labelled {@code chatbotctl.io/track=canary}.
 */
public final class KubeCanary implements CanaryTraffic {
    private final KubeConnection kube;
    private final Promoter promoter;
    private final Duration readyTimeout;
    private final Sleeper sleeper;
    private final CanaryNames names;

    /**
     * @param promoter     how the stable Deployment takes the canary's image (deploy's release mechanism)
     * @param readyTimeout how long to wait for the canary to become ready
     */
    public KubeCanary(KubeConnection kube, CanaryNames names, Promoter promoter, Duration readyTimeout, Sleeper sleeper) {
        this.kube = kube;
        this.names = names;
        this.promoter = promoter;
        this.readyTimeout = readyTimeout;
        this.sleeper = sleeper;
    }

    /** Makes the stable Deployment run an image, waiting for its rollout. */
    @FunctionalInterface
    public interface Promoter {
        /** @return what happened, e.g. {@code release 4: vllm-chatbot now runs REPO:TAG} */
        String promote(String image, Progress progress);
    }

    private KubernetesClient client() {
        return kube.client();
    }

    private String ns() {
        return kube.namespace();
    }

    /** Creates the canary objects at the given weight and waits until the canary is ready. */
    public CanaryStatus start(String image, int weight, int replicas, Progress progress) throws InterruptedException {
        if (weight < 0 || weight > 100) {
            throw new InvalidInputException("--weight must be 0 to 100, not " + weight);
        }
        if (replicas < 1) {
            throw new InvalidInputException("--replicas must be at least 1, not " + replicas);
        }
        Deployment existing = kube.call("read deployment " + names.canaryDeployment(),
                () -> client().apps().deployments().inNamespace(ns()).withName(names.canaryDeployment()).get());
        if (existing != null) {
            throw new CheckFailedException("a canary already runs in " + ns() + " (" + names.canaryDeployment()
                    + ", image " + image(existing) + ")",
                    "watch it (canary watch), promote it (canary promote) or remove it (canary abort) first");
        }
        Deployment stable = requireStable();
        Service stableService = kube.call("read service " + names.stableService(),
                () -> client().services().inNamespace(ns()).withName(names.stableService()).get());
        if (stableService == null) {
            throw new InvalidInputException("no Service " + names.stableService() + " in namespace " + ns(),
                    "deploy the service first: chatbotctl deploy --env ENV");
        }
        Ingress stableIngress = stableIngress();
        Deployment canary = canaryDeployment(stable, image, replicas);
        kube.run("create deployment " + names.canaryDeployment(),
                () -> client().apps().deployments().inNamespace(ns()).resource(canary).create());
        kube.run("create service " + names.canaryService(),
                () -> client().services().inNamespace(ns()).resource(canaryService(stableService)).create());
        Ingress ingress = canaryIngress(stableIngress, weight);
        kube.run("create ingress " + ingress.getMetadata().getName(),
                () -> client().network().v1().ingresses().inNamespace(ns()).resource(ingress).create());
        progress.log("canary " + image + " created in " + ns() + " at weight " + weight + "%; waiting until ready");
        awaitReady(progress);
        return status();
    }

    @Override
    public void setWeight(int percent) {
        Ingress ingress = requireCanaryIngress();
        kube.run("set the canary weight on ingress " + ingress.getMetadata().getName(),
                () -> client().network().v1().ingresses().inNamespace(ns()).withName(ingress.getMetadata().getName())
                        .edit(i -> new IngressBuilder(i).editMetadata()
                                .addToAnnotations(CanaryNames.WEIGHT_ANNOTATION, Integer.toString(percent))
                                .endMetadata().build()));
    }

    @Override
    public String promote(Progress progress) {
        Deployment canary = kube.call("read deployment " + names.canaryDeployment(),
                () -> client().apps().deployments().inNamespace(ns()).withName(names.canaryDeployment()).get());
        if (canary == null) {
            throw new CheckFailedException("no canary in " + ns() + " to promote", "start one with chatbotctl canary start");
        }
        String image = image(canary);
        String released = promoter.promote(image, progress);
        remove(progress);
        return "promoted " + image + " (" + released + "); canary objects removed";
    }

    @Override
    public String rollback(Progress progress) {
        if (findCanaryIngress() != null) {
            setWeight(0);
        }
        remove(progress);
        return "rolled back: weight 0, canary objects removed";
    }

    /** Deletes the canary Ingress, Service and Deployment (those that exist). */
    public void remove(Progress progress) {
        Ingress ingress = findCanaryIngress();
        if (ingress != null) {
            kube.run("delete ingress " + ingress.getMetadata().getName(),
                    () -> client().network().v1().ingresses().inNamespace(ns()).resource(ingress).delete());
        }
        kube.run("delete service " + names.canaryService(),
                () -> client().services().inNamespace(ns()).withName(names.canaryService()).delete());
        kube.run("delete deployment " + names.canaryDeployment(),
                () -> client().apps().deployments().inNamespace(ns()).withName(names.canaryDeployment()).delete());
        progress.log("canary objects removed from " + ns());
    }

    /** What runs now: stable and canary images, readiness, the weight. */
    public CanaryStatus status() {
        Deployment stable = kube.call("read deployment " + names.stableDeployment(),
                () -> client().apps().deployments().inNamespace(ns()).withName(names.stableDeployment()).get());
        Deployment canary = kube.call("read deployment " + names.canaryDeployment(),
                () -> client().apps().deployments().inNamespace(ns()).withName(names.canaryDeployment()).get());
        Ingress ingress = findCanaryIngress();
        Integer weight = null;
        if (ingress != null) {
            String w = ingress.getMetadata().getAnnotations().get(CanaryNames.WEIGHT_ANNOTATION);
            weight = w == null ? 0 : Integer.parseInt(w);
        }
        return new CanaryStatus(ns(), canary != null, stable == null ? null : image(stable),
                canary == null ? null : image(canary),
                canary == null ? 0 : replicas(canary), canary == null ? 0 : ready(canary), weight,
                ingress == null ? null : ingress.getMetadata().getName());
    }

    private void awaitReady(Progress progress) throws InterruptedException {
        Poll.until(readyTimeout, () -> Duration.ofMillis(500), sleeper, last -> {
            Deployment d = kube.call("read deployment " + names.canaryDeployment(),
                    () -> client().apps().deployments().inNamespace(ns()).withName(names.canaryDeployment()).get());
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

    private Deployment requireStable() {
        Deployment stable = kube.call("read deployment " + names.stableDeployment(),
                () -> client().apps().deployments().inNamespace(ns()).withName(names.stableDeployment()).get());
        if (stable == null) {
            throw new InvalidInputException("no stable Deployment " + names.stableDeployment() + " in namespace " + ns(),
                    "a canary is compared with the stable release: deploy it first (chatbotctl deploy --env ENV)");
        }
        return stable;
    }

    /** The Ingress (not a canary one) that routes to the stable Service. */
    private Ingress stableIngress() {
        return kube.call("list ingresses", () -> client().network().v1().ingresses().inNamespace(ns()).list().getItems())
                .stream()
                .filter(i -> !"true".equals(annotations(i.getMetadata()).get(CanaryNames.CANARY_ANNOTATION)))
                .filter(i -> routesTo(i, names.stableService()))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException("no Ingress routes to " + names.stableService() + " in namespace " + ns(),
                        "the NGINX canary needs the stable Ingress: deploy it first (chatbotctl deploy --env ENV)"));
    }

    private Ingress findCanaryIngress() {
        return kube.call("list ingresses", () -> client().network().v1().ingresses().inNamespace(ns()).list().getItems())
                .stream()
                .filter(i -> "true".equals(annotations(i.getMetadata()).get(CanaryNames.CANARY_ANNOTATION)))
                .filter(i -> routesTo(i, names.canaryService()))
                .findFirst().orElse(null);
    }

    private Ingress requireCanaryIngress() {
        Ingress i = findCanaryIngress();
        if (i == null) {
            throw new CheckFailedException("no canary Ingress in " + ns(), "start a canary first: chatbotctl canary start");
        }
        return i;
    }

    private static boolean routesTo(Ingress ingress, String service) {
        if (ingress.getSpec() == null || ingress.getSpec().getRules() == null) {
            return false;
        }
        return ingress.getSpec().getRules().stream()
                .filter(r -> r.getHttp() != null)
                .flatMap(r -> r.getHttp().getPaths().stream())
                .anyMatch(p -> p.getBackend() != null && p.getBackend().getService() != null
                        && service.equals(p.getBackend().getService().getName()));
    }

    private static Map<String, String> annotations(ObjectMeta meta) {
        return meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
    }

    private Map<String, String> canaryLabels(Map<String, String> labels) {
        Map<String, String> copy = withoutOwnership(labels);
        copy.put(names.trackLabel(), "canary");
        return copy;
    }

    /**
     * Drops what belongs to the stable object's owner: ApplySet membership (deploy would prune the canary with its
     * release), kubectl's and the controller's bookkeeping.
     */
    private static Map<String, String> withoutOwnership(Map<String, String> metadata) {
        Map<String, String> copy = new LinkedHashMap<>();
        if (metadata != null) {
            metadata.forEach((k, v) -> {
                if (!k.startsWith("applyset.kubernetes.io/") && !k.startsWith("kubectl.kubernetes.io/")
                        && !k.startsWith("deployment.kubernetes.io/")) {
                    copy.put(k, v);
                }
            });
        }
        return copy;
    }

    private Deployment canaryDeployment(Deployment stable, String image, int replicas) {
        Deployment d = new DeploymentBuilder(stable)
                .withMetadata(new ObjectMetaBuilder()
                        .withName(names.canaryDeployment())
                        .withLabels(canaryLabels(stable.getMetadata().getLabels()))
                        .withAnnotations(withoutOwnership(annotations(stable.getMetadata())))
                        .build())
                .withStatus(null)
                .editSpec()
                .withReplicas(replicas)
                .editSelector().withMatchLabels(canaryLabels(stable.getSpec().getSelector().getMatchLabels())).endSelector()
                .editTemplate().editMetadata().withLabels(canaryLabels(stable.getSpec().getTemplate().getMetadata().getLabels()))
                .endMetadata().endTemplate()
                .endSpec()
                .build();
        Container main = mainContainer(d);
        main.setImage(image);
        return d;
    }

    private Service canaryService(Service stable) {
        return new ServiceBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(names.canaryService())
                        .withLabels(canaryLabels(stable.getMetadata().getLabels())).build())
                .withNewSpec()
                .withType(stable.getSpec().getType())
                .withPorts(stable.getSpec().getPorts())
                .withSelector(canaryLabels(stable.getSpec().getSelector()))
                .endSpec()
                .build();
    }

    private Ingress canaryIngress(Ingress stable, int weight) {
        Map<String, String> annotations = withoutOwnership(annotations(stable.getMetadata()));
        annotations.put(CanaryNames.CANARY_ANNOTATION, "true");
        annotations.put(CanaryNames.WEIGHT_ANNOTATION, Integer.toString(weight));
        annotations.put(CanaryNames.HEADER_ANNOTATION, CanaryNames.HEADER);
        Ingress ingress = new IngressBuilder(stable)
                .withMetadata(new ObjectMetaBuilder()
                        .withName(CanaryNames.canaryIngress(stable.getMetadata().getName()))
                        .withLabels(canaryLabels(stable.getMetadata().getLabels()))
                        .withAnnotations(annotations).build())
                .withStatus(null)
                .build();
        ingress.getSpec().getRules().stream().filter(r -> r.getHttp() != null)
                .flatMap(r -> r.getHttp().getPaths().stream())
                .filter(p -> p.getBackend() != null && p.getBackend().getService() != null
                        && names.stableService().equals(p.getBackend().getService().getName()))
                .forEach(p -> p.getBackend().getService().setName(names.canaryService()));
        return ingress;
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

    private static int replicas(Deployment d) {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    private static int ready(Deployment d) {
        return d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
    }
}
