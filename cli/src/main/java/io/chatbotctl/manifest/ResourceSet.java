package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The objects accumulated so far, in the order they were added; an id (group, kind, namespace, name) only once. */
final class ResourceSet implements Iterable<Resource> {
    private final List<Resource> resources = new ArrayList<>();

    void add(Resource resource, String source) {
        for (Resource existing : resources) {
            if (sameId(existing, resource)) {
                throw new io.chatbotctl.core.InvalidInputException(source + ": " + resource
                        + " is already defined (kustomize allows each object once)",
                        "use a patch to change an object a base defines");
            }
        }
        resources.add(resource);
    }

    void addAll(ResourceSet other, String source) {
        for (Resource r : other.resources) {
            add(r, source);
        }
    }

    void addGenerated(Kustomization k, ObjectNode object, boolean hash, String behavior) {
        Resource generated = new Resource(object, hash, behavior);
        Resource existing = null;
        for (Resource r : resources) {
            if (r.kind().equals(generated.kind()) && r.answersTo(generated.name())
                    && r.namespace().equals(generated.namespace())) {
                existing = r;
            }
        }
        switch (behavior) {
            case "create" -> add(generated, k.file().toString());
            case "merge", "replace" -> {
                if (existing == null) {
                    throw k.error(generated + " has behavior " + behavior + " but no base defines it");
                }
                merge(existing, object, behavior.equals("replace"));
                existing.hashSuffix = existing.hashSuffix && hash;
            }
            default -> throw k.error("generator behavior '" + behavior + "' is not create, merge or replace");
        }
    }

    private static void merge(Resource existing, ObjectNode generated, boolean replace) {
        ObjectNode target = existing.object;
        for (String field : List.of("data", "binaryData")) {
            if (replace) {
                target.remove(field);
            }
            if (generated.get(field) instanceof ObjectNode values) {
                ObjectNode data = target.get(field) instanceof ObjectNode d ? d : target.putObject(field);
                data.setAll(values);
            }
        }
        ObjectNode metadata = KubeObjects.metadata(target);
        for (String field : List.of("labels", "annotations")) {
            if (generated.path("metadata").get(field) instanceof ObjectNode values) {
                ObjectNode map = metadata.get(field) instanceof ObjectNode m ? m : metadata.putObject(field);
                map.setAll(values);
            }
        }
        if (generated.has("immutable")) {
            target.set("immutable", generated.get("immutable"));
        }
    }

    void remove(Resource resource) {
        resources.remove(resource);
    }

    List<Resource> list() {
        return resources;
    }

    private static boolean sameId(Resource a, Resource b) {
        return a.kind().equals(b.kind()) && a.group().equals(b.group()) && a.name().equals(b.name())
                && a.namespace().equals(b.namespace());
    }

    @Override
    public Iterator<Resource> iterator() {
        return new ArrayList<>(resources).iterator();
    }
}
