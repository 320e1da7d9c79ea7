package io.chatbotctl.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code chatbotctl.yaml} of a test project: one environment {@code staging} on the mock cluster. */
public final class ProjectFiles {
    private ProjectFiles() {}

    /**
     * @param overlay        the environment's overlay
     * @param moreStagingYaml further fields of {@code staging}, each line indented by 4 spaces (or "")
     */
    public static Path stagingConfig(Path dir, Path overlay, String moreStagingYaml) throws IOException {
        return Files.writeString(dir.resolve("chatbotctl.yaml"), """
                service: vllm-chatbot
                model: llama
                environments:
                  staging:
                    context: %s
                    namespace: %s
                    overlay: %s
                """.formatted(KubeMockCluster.CONTEXT, KubeMockCluster.NAMESPACE, overlay) + moreStagingYaml);
    }
}
