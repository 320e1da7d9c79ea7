package io.chatbotctl.delivery;

import io.chatbotctl.testing.Repository;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A job's workspace: a copy of the repository's files as they stand (tracked and new, not ignored; modification
 * times kept), so that nothing a step writes lands in the repository, with {@code cli/target} linked to the
 * repository's build output: {@code ./chatbotctl} runs the jar this build packaged (its launcher rebuilds only when
 * a source is newer than the jar, which the copy's kept times rule out).
 */
final class Workspace {
    private Workspace() {}

    /** @param packaged whether the steps run {@code ./chatbotctl} (then the packaged jar must be there and fresh) */
    static Path copyOfRepository(Path dir, boolean packaged) throws IOException, InterruptedException {
        Path repo = Repository.root();
        Path jar = repo.resolve("cli/target/chatbotctl.jar");
        if (packaged && !Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the rehearsal runs the packaged chatbotctl (mvn -o -q -DskipTests package)");
        }
        Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                .directory(repo.toFile()).redirectErrorStream(false).start();
        String listing = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!git.waitFor(60, TimeUnit.SECONDS) || git.exitValue() != 0) {
            throw new IllegalStateException("git ls-files failed in " + repo);
        }
        Files.createDirectories(dir);
        for (String name : listing.split("\0")) {
            Path from = repo.resolve(name);
            if (name.isEmpty() || !Files.isRegularFile(from) || name.startsWith("cli/target/")) {
                continue;
            }
            Path to = dir.resolve(name);
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
        }
        keepDirectoryTimes(repo, dir);
        Files.createSymbolicLink(dir.resolve("cli/target"), repo.resolve("cli/target"));
        for (String source : packaged ? List.of("cli/src/main", "pom.xml", "cli/pom.xml") : List.<String>of()) {
            try (var walk = Files.walk(repo.resolve(source))) {
                Path newer = walk.map(p -> dir.resolve(repo.relativize(p).toString())).filter(Files::exists).filter(p -> isNewer(p, jar)).findFirst().orElse(null);
                if (newer != null) {
                    throw new IllegalStateException(newer + " is newer than " + jar
                            + ": package first (mvn -o -q -DskipTests package), or the launcher would build inside the rehearsal");
                }
            }
        }
        return dir;
    }

    /** The launcher's staleness test ({@code find … -newer jar}) sees directories too: give them the repository's times. */
    private static void keepDirectoryTimes(Path repo, Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path d : walk.filter(Files::isDirectory).sorted(java.util.Comparator.reverseOrder()).toList()) {
                Path original = repo.resolve(dir.relativize(d).toString());
                if (Files.isDirectory(original)) {
                    Files.setLastModifiedTime(d, Files.getLastModifiedTime(original));
                }
            }
        }
    }

    private static boolean isNewer(Path p, Path than) {
        try {
            return Files.getLastModifiedTime(p).compareTo(Files.getLastModifiedTime(than)) > 0;
        } catch (IOException e) {
            return true;
        }
    }
}
