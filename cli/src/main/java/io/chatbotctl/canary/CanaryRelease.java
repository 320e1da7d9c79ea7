package io.chatbotctl.canary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.deploy.Manifests;
import io.chatbotctl.manifest.ImageOverrides;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The canary variant of a new release, made from the environment's rendered manifests (what {@code deploy} would
 * apply): its Deployment, Service and the ConfigMaps the Deployment reads, each renamed with {@code -canary},
 * labelled {@code chatbotctl.io/track=canary}, the Deployment and Service selecting canary pods only. So an image
 * change, a vLLM setting change or both are canaried alike.
 *
 * @param deployment  the canary Deployment
 * @param service     the canary Service
 * @param configMaps  the canary ConfigMaps
 * @param fingerprint SHA-256 of the rendered release, kept on the canary Deployment so promotion deploys the same
 */
record CanaryRelease(ObjectNode deployment, ObjectNode service, List<ObjectNode> configMaps, String fingerprint) {
    static final String FINGERPRINT_ANNOTATION = "chatbotctl.io/release-sha256";
    /** The {@code --image} the release was rendered with ({@code ""}: the overlay's own), used again on promotion. */
    static final String IMAGE_ANNOTATION = "chatbotctl.io/release-image";
    /** The {@code --chatbotctl-image} the release was rendered with ({@code ""}: the overlay's own). */
    static final String CHATBOTCTL_IMAGE_ANNOTATION = "chatbotctl.io/release-chatbotctl-image";
    private static final Set<String> CONFIG_MAP_REFERENCES = Set.of("configMapRef", "configMapKeyRef", "configMap");

    /** @param images the {@code --image} and {@code --chatbotctl-image} the release was rendered with */
    static CanaryRelease of(CanaryNames names, Manifests release, ImageOverrides images, String namespace, int replicas) {
        ObjectNode stableDeployment = find(release, "Deployment", names.stableDeployment());
        ObjectNode stableService = find(release, "Service", names.stableService());
        Set<String> configMapNames = new LinkedHashSet<>();
        collectConfigMaps(stableDeployment.path("spec").path("template"), configMapNames);
        List<ObjectNode> configMaps = new ArrayList<>();
        for (ObjectNode o : release.objects()) {
            if ("ConfigMap".equals(o.path("kind").asText()) && configMapNames.contains(o.path("metadata").path("name").asText())) {
                ObjectNode cm = o.deepCopy();
                canaryMetadata(cm, namespace, names.trackLabel());
                configMaps.add(cm);
            }
        }
        String fingerprint = fingerprint(release);

        ObjectNode deployment = stableDeployment.deepCopy();
        deployment.remove("status");
        canaryMetadata(deployment, namespace, names.trackLabel());
        deployment.with("metadata").with("annotations").put(FINGERPRINT_ANNOTATION, fingerprint)
                .put(IMAGE_ANNOTATION, images.vllm() == null ? "" : images.vllm())
                .put(CHATBOTCTL_IMAGE_ANNOTATION, images.chatbotctl() == null ? "" : images.chatbotctl());
        ObjectNode spec = deployment.with("spec");
        spec.put("replicas", replicas);
        spec.with("selector").with("matchLabels").put(names.trackLabel(), "canary");
        spec.with("template").with("metadata").with("labels").put(names.trackLabel(), "canary");
        renameConfigMaps(spec.get("template"), configMapNames);

        ObjectNode service = stableService.deepCopy();
        service.remove("status");
        canaryMetadata(service, namespace, names.trackLabel());
        ObjectNode serviceSpec = service.with("spec");
        serviceSpec.remove(List.of("clusterIP", "clusterIPs"));
        serviceSpec.with("selector").put(names.trackLabel(), "canary");
        return new CanaryRelease(deployment, service, List.copyOf(configMaps), fingerprint);
    }

    /**
     * The images the canary's release was rendered with, read back from its annotations for promotion; a canary
     * started before the annotations existed is promoted with the image it runs.
     */
    static ImageOverrides requestedImages(Map<String, String> annotations, String runningImage) {
        return new ImageOverrides(annotations.getOrDefault(IMAGE_ANNOTATION, runningImage),
                annotations.get(CHATBOTCTL_IMAGE_ANNOTATION));
    }

    /** SHA-256 of the rendered release: equal when the same overlay is rendered with the same image. */
    static String fingerprint(Manifests release) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(release.yaml().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode find(Manifests release, String kind, String name) {
        return release.objects().stream()
                .filter(o -> kind.equals(o.path("kind").asText()) && name.equals(o.path("metadata").path("name").asText()))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException("the rendered release has no " + kind + " " + name,
                        "a canary is made from the environment's overlay: check it with chatbotctl render --env ENV"));
    }

    /** Renamed with {@code -canary}, labelled track=canary, without what belongs to the stable object's owner. */
    private static void canaryMetadata(ObjectNode object, String namespace, String trackLabel) {
        ObjectNode metadata = object.with("metadata");
        metadata.put("name", CanaryNames.canary(metadata.path("name").asText()));
        metadata.put("namespace", namespace);
        for (String owned : List.of("uid", "resourceVersion", "generation", "creationTimestamp", "managedFields")) {
            metadata.remove(owned);
        }
        ObjectNode labels = metadata.with("labels");
        labels.put(trackLabel, "canary");
        dropOwnership(labels);
        if (metadata.get("annotations") instanceof ObjectNode annotations) {
            dropOwnership(annotations);
        }
    }

    private static void dropOwnership(ObjectNode map) {
        List<String> owned = new ArrayList<>();
        map.fieldNames().forEachRemaining(k -> {
            if (k.startsWith("applyset.kubernetes.io/") || k.startsWith("kubectl.kubernetes.io/")
                    || k.startsWith("deployment.kubernetes.io/")) {
                owned.add(k);
            }
        });
        map.remove(owned);
    }

    private static void collectConfigMaps(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : iterable(node)) {
                if (CONFIG_MAP_REFERENCES.contains(e.getKey()) && e.getValue().path("name").isTextual()) {
                    names.add(e.getValue().path("name").asText());
                }
                collectConfigMaps(e.getValue(), names);
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectConfigMaps(child, names));
        }
    }

    private static void renameConfigMaps(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : iterable(node)) {
                if (CONFIG_MAP_REFERENCES.contains(e.getKey()) && e.getValue() instanceof ObjectNode ref
                        && names.contains(ref.path("name").asText())) {
                    ref.put("name", CanaryNames.canary(ref.path("name").asText()));
                }
                renameConfigMaps(e.getValue(), names);
            }
        } else if (node.isArray()) {
            node.forEach(child -> renameConfigMaps(child, names));
        }
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        node.fields().forEachRemaining(entries::add);
        return entries;
    }
}
