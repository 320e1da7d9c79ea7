package io.chatbotctl.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Json;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Release records as Secrets of type {@value #TYPE} in the service's namespace, like Helm's: the rendered manifests
 * gzip-compressed under {@code manifests.yaml.gz}, the rest in labels (so {@code kubectl get secret -l} finds them) and
 * annotations. The newest {@value #KEEP} are kept, and always the one deployed.
 */
final class ReleaseStore {
    static final String TYPE = "chatbotctl.io/release";
    static final int KEEP = 10;
    static final String LABEL_ENV = "chatbotctl.io/release-of";
    static final String LABEL_VERSION = "chatbotctl.io/release-version";
    static final String LABEL_STATUS = "chatbotctl.io/release-status";
    static final String ANNOTATION_IMAGE = "chatbotctl.io/image";
    static final String ANNOTATION_COMMIT = "chatbotctl.io/git-commit";
    static final String ANNOTATION_TIME = "chatbotctl.io/deployed-at";
    static final String ANNOTATION_DESCRIPTION = "chatbotctl.io/description";
    static final String MANIFESTS_KEY = "manifests.yaml.gz";

    private final ClusterObjects objects;
    private final String environment;
    private final String namespace;

    ReleaseStore(ClusterObjects objects, String environment) {
        this.objects = objects;
        this.environment = environment;
        this.namespace = objects.kube().namespace();
    }

    static String secretName(String environment, int version) {
        return "chatbotctl-release-" + environment + "-v" + version;
    }

    /** All recorded releases, oldest first. */
    List<Release> list() {
        List<Release> releases = new ArrayList<>();
        for (ObjectNode secret : objects.list("v1", "Secret", namespace, LABEL_ENV, environment)) {
            releases.add(read(secret));
        }
        releases.sort(Comparator.comparingInt(Release::version));
        return releases;
    }

    Release current() {
        Release current = null;
        for (Release r : list()) {
            if (Release.DEPLOYED.equals(r.status())) {
                current = r;
            }
        }
        return current;
    }

    int nextVersion() {
        return list().stream().mapToInt(Release::version).max().orElse(0) + 1;
    }

    /** The rendered manifests of a release. */
    String manifests(int version) {
        ObjectNode secret = objects.get(new ObjectRef("v1", "Secret", namespace, secretName(environment, version)));
        if (secret == null) {
            List<String> known = list().stream().map(r -> "v" + r.version()).toList();
            throw new InvalidInputException("release v" + version + " of " + environment + " does not exist",
                    known.isEmpty() ? "no releases recorded yet: run chatbotctl deploy first"
                            : "recorded releases: " + String.join(", ", known) + " (chatbotctl history --env " + environment + ")");
        }
        return gunzip(Base64.getDecoder().decode(secret.path("data").path(MANIFESTS_KEY).asText()));
    }

    /** Changes a recorded release's status and description. */
    void updateStatus(Release release) {
        ObjectNode patch = Json.mapper().createObjectNode();
        ObjectNode metadata = patch.putObject("metadata");
        metadata.putObject("labels").put(LABEL_STATUS, release.status());
        metadata.putObject("annotations").put(ANNOTATION_DESCRIPTION, release.description());
        objects.mergePatch(new ObjectRef("v1", "Secret", namespace, release.secretName()), patch);
    }

    /** Records a new release with its rendered manifests. */
    void save(Release release, String manifestsYaml) {
        ObjectNode secret = Json.mapper().createObjectNode();
        secret.put("apiVersion", "v1").put("kind", "Secret").put("type", TYPE);
        ObjectNode metadata = secret.putObject("metadata");
        metadata.put("name", release.secretName()).put("namespace", namespace);
        metadata.putObject("labels")
                .put("app.kubernetes.io/managed-by", "chatbotctl")
                .put(LABEL_ENV, environment)
                .put(LABEL_VERSION, Integer.toString(release.version()))
                .put(LABEL_STATUS, release.status());
        metadata.putObject("annotations")
                .put(ANNOTATION_IMAGE, release.image())
                .put(ANNOTATION_COMMIT, release.gitCommit())
                .put(ANNOTATION_TIME, release.deployedAt().toString())
                .put(ANNOTATION_DESCRIPTION, release.description());
        secret.putObject("data").put(MANIFESTS_KEY, Base64.getEncoder().encodeToString(gzip(manifestsYaml)));
        objects.apply(secret, false);
    }

    /** Deletes the oldest records beyond {@value #KEEP}, never the deployed one. Returns the deleted versions. */
    List<Integer> trim() {
        List<Release> releases = list();
        List<Integer> deleted = new ArrayList<>();
        int excess = releases.size() - KEEP;
        for (Release r : releases) {
            if (excess <= 0) {
                break;
            }
            if (!Release.DEPLOYED.equals(r.status())) {
                objects.delete(new ObjectRef("v1", "Secret", namespace, r.secretName()));
                deleted.add(r.version());
                excess--;
            }
        }
        return deleted;
    }

    private Release read(JsonNode secret) {
        JsonNode labels = secret.path("metadata").path("labels");
        JsonNode annotations = secret.path("metadata").path("annotations");
        Instant time;
        try {
            time = Instant.parse(annotations.path(ANNOTATION_TIME).asText());
        } catch (RuntimeException e) {
            time = Instant.EPOCH;
        }
        return new Release(environment, labels.path(LABEL_VERSION).asInt(), labels.path(LABEL_STATUS).asText("unknown"),
                annotations.path(ANNOTATION_IMAGE).asText(""), annotations.path(ANNOTATION_COMMIT).asText("unknown"),
                time, annotations.path(ANNOTATION_DESCRIPTION).asText(""));
    }

    static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static String gunzip(byte[] data) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException("release record is corrupt: " + e.getMessage());
        }
    }
}
