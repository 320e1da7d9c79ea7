package io.chatbotctl.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the real programs tests use; a missing one fails the test with how to install it, never skips it. */
public final class RealParts {
    private RealParts() {}

    /**
     * @param path    absolute path of the program, e.g. {@code /usr/bin/prometheus}
     * @param install how to get it, e.g. {@code apt-get install -y prometheus}
     */
    public static Path require(String path, String install) {
        Path program = Path.of(path);
        if (!Files.isExecutable(program)) {
            throw new AssertionError(path + " is missing: this test needs the real program. Install it with `"
                    + install + "` (./scripts/test does so when run as root).");
        }
        return program;
    }
}
