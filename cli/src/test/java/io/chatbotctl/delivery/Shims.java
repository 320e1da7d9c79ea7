package io.chatbotctl.delivery;

import io.chatbotctl.testing.Repository;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * The commands a workflow runs that cannot run here, as scripts first on PATH (cli/src/test/resources/rehearsal/bin;
 * each says what it does and why in its header; docs/rehearsal.md lists them): docker, aws (eks update-kubeconfig
 * only; the rest is the real CLI), gh, apt-get.
 */
final class Shims {
    static final Path SOURCE = Path.of("cli/src/test/resources/rehearsal/bin");

    private Shims() {}

    static List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(Repository.file(SOURCE.toString()))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static Path install(Path bin) throws IOException {
        Files.createDirectories(bin);
        for (String name : names()) {
            Path target = bin.resolve(name);
            Files.copy(Repository.file(SOURCE.resolve(name).toString()), target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }
}
