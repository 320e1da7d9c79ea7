package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.InvalidInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code kustomize build}: resources, then generators, then components, then transformers (patches,
 * namespace, prefix/suffix, labels, annotations, JSON 6902 patches, replicas, images) per kustomization, depth
 * first; at the end hash suffixes, name references and the legacy sort.
 */
final class KustomizeBuild {
    private final Set<Path> inProgress = new HashSet<>();

    List<ObjectNode> build(Path dir) {
        ResourceSet resources = accumulate(Kustomization.load(dir.toAbsolutePath().normalize(), false), new ResourceSet());
        List<Resource> all = new ArrayList<>(resources.list());
        for (Resource r : all) {
            if (r.hashSuffix) {
                r.rename(r.name() + "-" + KustomizeHash.of(r.object));
            }
        }
        NameReferences.fix(all);
        List<Resource> sorted = new ArrayList<>(all);
        sorted.sort(LegacyOrder.COMPARATOR);
        return sorted.stream().map(r -> r.object).toList();
    }

    private ResourceSet accumulate(Kustomization k, ResourceSet resources) {
        if (!inProgress.add(k.dir())) {
            throw k.error("kustomizations include each other in a cycle");
        }
        for (var entry : k.list("resources")) {
            addResource(k, entry.asText(), resources);
        }
        Generators.run(k, resources);
        for (var entry : k.list("components")) {
            Path dir = k.dir().resolve(entry.asText()).normalize();
            if (!Kustomization.isKustomizationDir(dir)) {
                throw k.error("component " + entry.asText() + " is not a directory with a kustomization.yaml");
            }
            accumulate(Kustomization.load(dir, true), resources);
        }
        Patches.strategicMergeList(k, resources);
        Patches.patches(k, resources);
        Transformers.namespace(k, resources);
        Transformers.prefixSuffix(k, resources);
        Transformers.labels(k, resources);
        Transformers.annotations(k, resources);
        Patches.json6902List(k, resources);
        Transformers.replicas(k, resources);
        Transformers.images(k, resources);
        inProgress.remove(k.dir());
        return resources;
    }

    private void addResource(Kustomization k, String entry, ResourceSet resources) {
        if (entry.contains("://") || entry.startsWith("github.com/") || entry.startsWith("git@")) {
            throw new InvalidInputException(k.file() + ": remote resource '" + entry + "' is not supported by chatbotctl render",
                    "vendor the remote base into the repository and refer to it by path");
        }
        Path path = k.dir().resolve(entry).normalize();
        if (Files.isDirectory(path)) {
            if (!Kustomization.isKustomizationDir(path)) {
                throw k.error("resource directory " + entry + " has no kustomization.yaml");
            }
            resources.addAll(accumulate(Kustomization.load(path, false), new ResourceSet()), k.file().toString());
        } else if (Files.isRegularFile(path)) {
            for (ObjectNode object : ManifestYaml.readObjects(path)) {
                for (ObjectNode item : expandLists(object)) {
                    if (item.path("kind").asText().isEmpty() || KubeObjects.name(item).isEmpty()) {
                        throw new InvalidInputException(path + ": an object without kind or metadata.name");
                    }
                    resources.add(new Resource(item, false, null), path.toString());
                }
            }
        } else {
            throw k.error("resource '" + entry + "' does not exist");
        }
    }

    private static List<ObjectNode> expandLists(ObjectNode object) {
        if (KubeObjects.kind(object).endsWith("List") && object.get("items") != null && object.get("items").isArray()) {
            List<ObjectNode> items = new ArrayList<>();
            object.get("items").forEach(i -> items.add((ObjectNode) i));
            return items;
        }
        return List.of(object);
    }
}
