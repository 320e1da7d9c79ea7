package io.chatbotctl.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The commit a release is made from: {@code GITHUB_SHA} in GitHub Actions, else the checkout's HEAD, else unknown. */
final class GitCommit {
    private GitCommit() {}

    static String of(Path dir, Map<String, String> variables) {
        String sha = variables.get("GITHUB_SHA");
        if (sha != null && !sha.isBlank()) {
            return sha.length() > 12 ? sha.substring(0, 12) : sha;
        }
        try {
            Process git = new ProcessBuilder("git", "-C", dir.toString(), "rev-parse", "--short=12", "HEAD")
                    .redirectErrorStream(true).start();
            if (git.waitFor(3, TimeUnit.SECONDS) && git.exitValue() == 0) {
                String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                return out.isEmpty() ? "unknown" : out;
            }
            git.destroyForcibly();
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }
}
