package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One object during a build, with what kustomize remembers about it: every name it had (so references written
 * against an older name can be rewritten) and how a generated ConfigMap or Secret wants its name hashed.
 */
final class Resource {
    final ObjectNode object;
    final List<String> previousNames = new ArrayList<>();
    final String originalNamespace;
    boolean hashSuffix;
    final String generatorBehavior;
    final List<String> prefixes = new ArrayList<>();
    final List<String> suffixes = new ArrayList<>();

    Resource(ObjectNode object, boolean hashSuffix, String generatorBehavior) {
        this.object = object;
        this.originalNamespace = KubeObjects.namespace(object);
        this.hashSuffix = hashSuffix;
        this.generatorBehavior = generatorBehavior;
    }

    String kind() {
        return KubeObjects.kind(object);
    }

    String group() {
        return KubeObjects.group(object);
    }

    String name() {
        return KubeObjects.name(object);
    }

    String namespace() {
        return KubeObjects.namespace(object);
    }

    void rename(String newName) {
        String current = name();
        if (!current.equals(newName)) {
            previousNames.add(current);
            KubeObjects.setName(object, newName);
        }
    }

    /** True when the object is or was called {@code name}. */
    boolean answersTo(String name) {
        return name().equals(name) || previousNames.contains(name);
    }

    String originalName() {
        return previousNames.isEmpty() ? name() : previousNames.get(0);
    }

    @Override
    public String toString() {
        return kind() + "/" + name();
    }
}
