package io.chatbotctl.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.BuildInfo;
import io.chatbotctl.core.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The objects of one environment as a kubectl ApplySet (KEP-3659): a parent Secret
 * {@code chatbotctl-applyset-ENV} labelled {@code applyset.kubernetes.io/id}, annotated with the tooling and the
 * group-kinds it contains, and every member labelled {@code applyset.kubernetes.io/part-of: ID}. Members that left
 * the manifests are found by that label and pruned. {@code kubectl apply --prune --applyset} understands the same set.
 */
final class ApplySet {
    static final String PART_OF = "applyset.kubernetes.io/part-of";
    static final String ID = "applyset.kubernetes.io/id";
    static final String TOOLING = "applyset.kubernetes.io/tooling";
    static final String CONTAINS = "applyset.kubernetes.io/contains-group-kinds";

    private final String parentName;
    private final String namespace;
    private final String id;

    ApplySet(String environment, String namespace) {
        this.parentName = "chatbotctl-applyset-" + environment;
        this.namespace = namespace;
        this.id = computeId(parentName, namespace, "Secret", "");
    }

    String id() {
        return id;
    }

    String parentName() {
        return parentName;
    }

    /** The KEP's ID: {@code applyset-<base64url(sha256(name.namespace.kind.group))>-v1}. */
    static String computeId(String name, String namespace, String kind, String group) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((name + "." + namespace + "." + kind + "." + group).getBytes(StandardCharsets.UTF_8));
            return "applyset-" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash) + "-v1";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy of the object carrying the membership label. */
    ObjectNode member(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        copy.with("metadata").with("labels").put(PART_OF, id);
        return copy;
    }

    /** The parent Secret declaring these group-kinds. */
    ObjectNode parent(Collection<String> groupKinds) {
        ObjectNode secret = Json.mapper().createObjectNode();
        secret.put("apiVersion", "v1").put("kind", "Secret");
        ObjectNode metadata = secret.putObject("metadata");
        metadata.put("name", parentName).put("namespace", namespace);
        metadata.putObject("labels").put(ID, id).put("app.kubernetes.io/managed-by", "chatbotctl");
        metadata.putObject("annotations")
                .put(TOOLING, "chatbotctl/" + BuildInfo.current().version())
                .put(CONTAINS, String.join(",", new TreeSet<>(groupKinds)));
        secret.put("type", "Opaque");
        return secret;
    }

    /** The group-kinds the live parent declares (empty when there is no parent yet). */
    static List<String> declaredGroupKinds(ObjectNode liveParent) {
        if (liveParent == null) {
            return List.of();
        }
        String value = liveParent.path("metadata").path("annotations").path(CONTAINS).asText("");
        return value.isBlank() ? List.of() : new ArrayList<>(Arrays.asList(value.split(",")));
    }
}
