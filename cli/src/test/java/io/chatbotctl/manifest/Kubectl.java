package io.chatbotctl.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** {@code kubectl kustomize}, the reference renderer; a test fails with an install hint when kubectl is missing. */
final class Kubectl {
    private Kubectl() {}

    static Path binary() {
        for (String candidate : List.of("/usr/bin/kubectl", "/usr/local/bin/kubectl")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        fail("kubectl is not installed: the parity tests use `kubectl kustomize` as the reference renderer. "
                + "Install it: https://kubernetes.io/docs/tasks/tools/ (e.g. apt-get install -y kubectl from pkgs.k8s.io)");
        return null;
    }

    /** The documents {@code kubectl kustomize dir} prints, parsed. */
    static List<JsonNode> kustomize(Path dir) throws IOException, InterruptedException {
        return parse(kustomizeText(dir));
    }

    static String kustomizeText(Path dir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(binary().toString(), "kustomize", dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            fail("kubectl kustomize " + dir + " failed (exit " + process.exitValue() + ")");
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    static List<JsonNode> parse(String yaml) {
        return new ArrayList<>(ManifestYaml.readObjects(yaml, "output"));
    }
}
