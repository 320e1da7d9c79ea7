package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.testing.Repository;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A rendered overlay whose objects a test may change before linting. */
final class ManifestFixture {
    private final List<ObjectNode> objects = new ArrayList<>();
    private final java.nio.file.Path overlay;

    private ManifestFixture(java.nio.file.Path overlay) {
        this.overlay = overlay;
        ManifestRenderer.render(overlay, RenderOptions.none()).objects().forEach(o -> objects.add(o.deepCopy()));
    }

    static ManifestFixture production() {
        return new ManifestFixture(Repository.file("manifests/overlays/production"));
    }

    static ManifestFixture staging() {
        return new ManifestFixture(Repository.file("manifests/overlays/staging"));
    }

    ManifestFixture change(String kind, String name, Consumer<ObjectNode> change) {
        ObjectNode target = objects.stream()
                .filter(o -> KubeObjects.kind(o).equals(kind) && KubeObjects.name(o).equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
        change.accept(target);
        return this;
    }

    ManifestFixture deployment(Consumer<ObjectNode> change) {
        return change("Deployment", "vllm-chatbot", change);
    }

    ManifestFixture vllmContainer(Consumer<ObjectNode> change) {
        return deployment(d -> change.accept((ObjectNode) pod(d).withArray("containers").get(0)));
    }

    ManifestFixture setting(String key, String value) {
        return change("ConfigMap", "vllm-config", c -> c.with("data").put(key, value));
    }

    ObjectNode copyOf(String kind, String name) {
        return objects.stream().filter(o -> KubeObjects.kind(o).equals(kind) && KubeObjects.name(o).equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + "/" + name)).deepCopy();
    }

    ManifestFixture add(ObjectNode object) {
        objects.add(object);
        return this;
    }

    ManifestFixture remove(String kind, String name) {
        objects.removeIf(o -> KubeObjects.kind(o).equals(kind) && KubeObjects.name(o).equals(name));
        return this;
    }

    static ObjectNode pod(ObjectNode deployment) {
        return deployment.with("spec").with("template").with("spec");
    }

    /** Lints as {@code lint} does: with the prometheus-adapter values of the overlay's manifests tree. */
    LintReport lint() {
        return ManifestLinter.lint(new RenderedManifests(objects), overlay.toString());
    }

    /** Lints without a manifests tree around (no prometheus-adapter values). */
    LintReport lintDetached() {
        return ManifestLinter.lint(new RenderedManifests(objects), "fixture");
    }
}
