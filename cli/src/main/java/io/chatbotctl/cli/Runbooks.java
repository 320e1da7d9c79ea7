package io.chatbotctl.cli;

import io.chatbotctl.runbook.RunbookCatalog;

import java.nio.file.Path;

/** The runbook catalog as the CLI sees it: built-in ones plus the project's {@code runbooks/} next to chatbotctl.yaml. */
final class Runbooks {
    private Runbooks() {}

    static RunbookCatalog catalog(BaseCommand command) {
        Path config = command.configLoader().locate(command.overrides());
        Path projectDir = config == null ? command.environment().workingDir() : config.toAbsolutePath().getParent();
        return new RunbookCatalog(projectDir.resolve("runbooks"));
    }
}
