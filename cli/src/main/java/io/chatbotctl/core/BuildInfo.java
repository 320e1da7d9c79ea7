package io.chatbotctl.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What this build is.
 *
 * @param version   chatbotctl's version
 * @param gitCommit abbreviated commit it was built from ({@code unknown} outside a git checkout; {@code -dirty} when modified)
 * @param java      the running Java's version and vendor
 */
public record BuildInfo(String version, String gitCommit, String java) {

    /** Read once: picocli asks the version provider again for every subcommand it adds. */
    public static BuildInfo current() {
        return Current.VALUE;
    }

    private static final class Current {
        static final BuildInfo VALUE = read();
    }

    private static BuildInfo read() {
        String version = BuildInfo.class.getPackage().getImplementationVersion();
        Properties git = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/io/chatbotctl/git.properties")) {
            if (in != null) {
                git.load(in);
            }
        } catch (IOException ignored) {
            // no git information: reported as unknown
        }
        String commit = git.getProperty("git.commit.id.abbrev", "unknown");
        if ("true".equals(git.getProperty("git.dirty"))) {
            commit += "-dirty";
        }
        return new BuildInfo(version == null ? "dev" : version, commit,
                System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    }

    public String oneLine() {
        return "chatbotctl " + version + " (commit " + gitCommit + ", Java " + java + ")";
    }
}
