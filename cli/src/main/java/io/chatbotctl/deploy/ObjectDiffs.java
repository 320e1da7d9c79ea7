package io.chatbotctl.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import io.chatbotctl.manifest.RenderedManifests;
import io.chatbotctl.core.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Compares objects as a person reviewing a change wants to: without the fields the server maintains (managedFields,
 * resourceVersion, generation, uid, creationTimestamp, status) and without Secret values (shown as a hash).
 */
final class ObjectDiffs {
    private ObjectDiffs() {}

    private static final List<String> SERVER_METADATA = List.of("managedFields", "resourceVersion", "generation", "uid",
            "creationTimestamp", "selfLink");

    /** A copy without server-maintained fields and with Secret values masked; null stays null. */
    static ObjectNode normalize(ObjectNode object) {
        if (object == null) {
            return null;
        }
        ObjectNode copy = object.deepCopy();
        copy.remove("status");
        JsonNode metadata = copy.get("metadata");
        if (metadata instanceof ObjectNode m) {
            SERVER_METADATA.forEach(m::remove);
            if (m.get("annotations") instanceof ObjectNode annotations) {
                annotations.remove("deployment.kubernetes.io/revision");
                annotations.remove("kubectl.kubernetes.io/last-applied-configuration");
                if (annotations.isEmpty()) {
                    m.remove("annotations");
                }
            }
        }
        if ("Secret".equals(copy.path("kind").asText())) {
            for (String field : List.of("data", "stringData")) {
                if (copy.get(field) instanceof ObjectNode values) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        e.setValue(Json.mapper().getNodeFactory().textNode("*** sha256:" + sha(e.getValue().asText())));
                    }
                }
            }
        }
        return copy;
    }

    /** As {@code kubectl kustomize} writes it: keys sorted, strings that look like numbers quoted. */
    static String yaml(ObjectNode object) {
        if (object == null) {
            return "";
        }
        return new RenderedManifests(List.of(object)).yaml();
    }

    /** A unified diff with {@code live/REF} and {@code merged/REF} headers, 3 lines of context; "" when equal. */
    static String unified(ObjectRef ref, ObjectNode live, ObjectNode merged) {
        List<String> before = lines(yaml(live));
        List<String> after = lines(yaml(merged));
        if (before.equals(after)) {
            return "";
        }
        Patch<String> patch = DiffUtils.diff(before, after);
        String name = ref.groupKind() + "/" + (ref.namespace() == null ? "" : ref.namespace() + "/") + ref.name();
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(live == null ? "/dev/null" : "live/" + name,
                merged == null ? "/dev/null" : "merged/" + name, before, patch, 3);
        return String.join("\n", diff) + "\n";
    }

    private static List<String> lines(String text) {
        return text.lines().toList();
    }

    private static String sha(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
