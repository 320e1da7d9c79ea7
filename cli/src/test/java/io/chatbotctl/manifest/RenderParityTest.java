package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** chatbotctl's renderer against {@code kubectl kustomize}: the same documents, in the same order. */
class RenderParityTest {

    static Stream<Path> corpus() throws IOException {
        Path root = Repository.file("cli/src/test/resources/kustomize-corpus");
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void corpusMatchesKubectl(Path dir) throws Exception {
        assertSameAsKubectl(dir);
    }

    @Test
    void corpusHasAtLeastFifteenKustomizations() throws IOException {
        assertTrue(corpus().count() >= 15, "the corpus needs at least 15 kustomizations");
    }

    @Test
    void stagingOverlayMatchesKubectl() throws Exception {
        assertSameAsKubectl(Repository.file("manifests/overlays/staging"));
    }

    @Test
    void productionOverlayMatchesKubectl() throws Exception {
        assertSameAsKubectl(Repository.file("manifests/overlays/production"));
    }

    static void assertSameAsKubectl(Path dir) throws Exception {
        String expectedYaml = Kubectl.kustomizeText(dir);
        List<JsonNode> expected = Kubectl.parse(expectedYaml);
        String yaml = ManifestRenderer.render(dir, RenderOptions.none()).yaml();
        List<JsonNode> actual = Kubectl.parse(yaml);
        assertEquals(ids(expected), ids(actual), "objects and order differ for " + dir);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(ManifestYaml.sorted(expected.get(i)), ManifestYaml.sorted(actual.get(i)),
                    "object " + i + " (" + KubeObjects.describe(expected.get(i)) + ") differs for " + dir);
        }
        assertEquals(expectedYaml, yaml, "same objects, but the YAML text differs from kubectl's for " + dir);
    }

    private static List<String> ids(List<JsonNode> objects) {
        return objects.stream().map(o -> KubeObjects.apiVersion(o) + " " + KubeObjects.describe(o)).toList();
    }
}
