package io.chatbotctl.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, found from the test's working directory ({@code cli/} under Maven). */
public final class Repository {
    private Repository() {}

    public static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("chatbotctl.yaml")) && Files.isDirectory(dir.resolve("cli"))) {
                return dir;
            }
        }
        throw new IllegalStateException("repository root (with chatbotctl.yaml and cli/) not found above " + Path.of("").toAbsolutePath());
    }

    public static Path file(String relative) {
        return root().resolve(relative);
    }
}
