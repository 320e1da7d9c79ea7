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

    /**
     * What the overlays render from, copied into {@code dir} as it stands in the repository: {@code manifests/}, and
     * {@code evals/}, whose kustomization makes the system prompt's ConfigMap for the base. Returns
     * {@code dir/manifests}.
     */
    public static Path copyManifests(Path dir) throws java.io.IOException {
        for (String tree : java.util.List.of("manifests", "evals")) {
            Path from = file(tree);
            try (java.util.stream.Stream<Path> paths = Files.walk(from)) {
                for (Path p : (Iterable<Path>) paths::iterator) {
                    Path target = dir.resolve(tree).resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
        }
        return dir.resolve("manifests");
    }
}
