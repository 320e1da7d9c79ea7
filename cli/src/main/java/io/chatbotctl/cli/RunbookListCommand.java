package io.chatbotctl.cli;

import io.chatbotctl.runbook.RunbookSummary;
import picocli.CommandLine.Command;

/** {@code chatbotctl runbook list}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the runbooks (built-in and the project's runbooks/*.yaml).")
public class RunbookListCommand extends BaseCommand {
    @Override
    public Integer call() {
        output().print(RunbookSummary.of(Runbooks.catalog(this).all()));
        return 0;
    }
}
