package io.chatbotctl.manifest;

import io.chatbotctl.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad kustomizations fail with one clear message (exit 3), never a half-rendered result. */
class RendererErrorsTest {
    @TempDir
    Path dir;

    private String renderError(String kustomization, String... files) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), kustomization);
        for (int i = 0; i < files.length; i += 2) {
            Files.createDirectories(dir.resolve(files[i]).getParent());
            Files.writeString(dir.resolve(files[i]), files[i + 1]);
        }
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ManifestRenderer.render(dir, RenderOptions.none()));
        assertEquals(3, e.exitCode());
        return e.getMessage();
    }

    private static final String CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";

    @Test
    void unsupportedFieldsAreNamed() throws Exception {
        assertTrue(renderError("resources: []\nreplacements: []\n").contains("kustomization field 'replacements' is not supported"));
        assertTrue(renderError("configMapGenerator:\n- name: x\n  literals: [a=b]\n  kv: 1\n").contains("'configMapGenerator.kv' is not supported"));
        assertTrue(renderError("labels:\n- pairs: {a: b}\n  fields: []\n").contains("'labels.fields' is not supported"));
    }

    @Test
    void remoteResourcesAreRefused() throws Exception {
        assertTrue(renderError("resources:\n- https://github.com/example/repo//base?ref=v1\n").contains("remote resource"));
    }

    @Test
    void duplicateObjectsAreRefused() throws Exception {
        assertTrue(renderError("resources: [a.yaml, b.yaml]\n", "a.yaml", CM, "b.yaml", CM).contains("ConfigMap/a is already defined"));
    }

    @Test
    void aPatchThatMatchesNothingIsAnError() throws Exception {
        String message = renderError("resources: [a.yaml]\npatches:\n- patch: |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: b\n    data: {x: y}\n", "a.yaml", CM);
        assertTrue(message.contains("patch for ConfigMap/b matches no object"), message);
    }

    @Test
    void aJsonPatchOnAMissingPathIsAnError() throws Exception {
        String message = renderError("resources: [a.yaml]\npatches:\n- target: {kind: ConfigMap}\n  patch: |-\n    - op: replace\n      path: /data/missing\n      value: 1\n", "a.yaml", CM);
        assertTrue(message.contains("JSON patch path /data/missing does not exist"), message);
    }

    @Test
    void invalidYamlNamesTheFile() throws Exception {
        String message = renderError("resources: [a.yaml]\n", "a.yaml", "kind: [\n");
        assertTrue(message.contains("a.yaml: invalid YAML"), message);
    }

    @Test
    void aComponentMustBeAComponent() throws Exception {
        String message = renderError("components: [c]\n", "c/kustomization.yaml", "resources: []\n");
        assertTrue(message.contains("listed under components but its kind is Kustomization"), message);
    }

    @Test
    void mergeWithoutABaseIsAnError() throws Exception {
        String message = renderError("configMapGenerator:\n- name: x\n  behavior: merge\n  literals: [a=b]\n");
        assertTrue(message.contains("has behavior merge but no base defines it"), message);
    }
}
