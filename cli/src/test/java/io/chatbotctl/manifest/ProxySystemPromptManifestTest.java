package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pod's proxy gets the service's system prompt: the file the eval runs with (evals/system-prompt.txt), as a
 * generated ConfigMap mounted read-only, named by {@code --system-prompt} with the {@code replace} policy.
 */
class ProxySystemPromptManifestTest {

    @ParameterizedTest
    @ValueSource(strings = {"production", "staging"})
    void theProxyReadsTheEvalsSystemPromptFromAReadOnlyConfigMap(String overlay) throws Exception {
        RenderedManifests m = ManifestRenderer.render(Repository.file("manifests/overlays/" + overlay), RenderOptions.none());
        JsonNode pod = m.find("Deployment", "vllm-chatbot").orElseThrow().path("spec").path("template").path("spec");
        JsonNode proxy = null;
        for (JsonNode c : pod.path("containers")) {
            if (c.path("name").asText().equals("proxy")) {
                proxy = c;
            }
        }
        assertTrue(proxy != null, "no proxy container: " + pod);
        List<String> args = new ArrayList<>();
        proxy.path("args").forEach(a -> args.add(a.asText()));
        String file = args.get(args.indexOf("--system-prompt") + 1);
        assertEquals("replace", args.get(args.indexOf("--system-prompt-policy") + 1), args.toString());

        JsonNode mount = null;
        for (JsonNode mt : proxy.path("volumeMounts")) {
            if (file.startsWith(mt.path("mountPath").asText() + "/")) {
                mount = mt;
            }
        }
        assertTrue(mount != null, file + " is on no volume of the proxy: " + proxy.path("volumeMounts"));
        assertTrue(mount.path("readOnly").asBoolean(), mount.toString());
        assertTrue(!mount.has("subPath"), "a subPath mount never sees a changed ConfigMap: " + mount);
        String volumeName = mount.path("name").asText();
        JsonNode volume = null;
        for (JsonNode v : pod.path("volumes")) {
            if (v.path("name").asText().equals(volumeName)) {
                volume = v;
            }
        }
        assertTrue(volume != null, volumeName);
        String configMap = volume.path("configMap").path("name").asText();
        assertTrue(configMap.matches("vllm-chatbot-system-prompt-[a-z0-9]{10}"),
                "the generated, hashed name (a new prompt rolls the pods): " + configMap);
        ObjectNode cm = m.find("ConfigMap", configMap).orElseThrow();
        String key = file.substring(mount.path("mountPath").asText().length() + 1);
        assertEquals(Files.readString(Repository.file("evals/system-prompt.txt")), cm.path("data").path(key).asText(),
                "the prompt the eval runs with");
    }
}
