package io.chatbotctl.deploy;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Rendered manifests of one release: the YAML stream as rendered (what the release record stores) and its objects
 * in apply order (kustomize's legacy order: Namespaces first).
 */
public record Manifests(String yaml, List<ObjectNode> objects) {

    public Manifests {
        objects = List.copyOf(objects);
    }

    /** Reads a multi-document YAML stream (a release record, a fixture). */
    public static Manifests parse(String yaml) {
        List<ObjectNode> objects = new ArrayList<>();
        try (MappingIterator<ObjectNode> it = Json.yaml().readerFor(ObjectNode.class).readValues(yaml)) {
            while (it.hasNextValue()) {
                ObjectNode node = it.nextValue();
                if (node != null && !node.isEmpty()) {
                    objects.add(node);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("manifests are not valid YAML: " + e.getMessage());
        }
        return new Manifests(yaml, objects);
    }

    /** The first container image of the first Deployment, or "" when there is none. */
    public String image() {
        for (ObjectNode object : objects) {
            if ("Deployment".equals(object.path("kind").asText())) {
                return object.path("spec").path("template").path("spec").path("containers").path(0).path("image").asText("");
            }
        }
        return "";
    }
}
