package io.chatbotctl.cli;

import io.chatbotctl.runbook.RunbookText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chatbotctl runbook show NAME [--markdown]}. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show a runbook's steps as text, or as Markdown for a wiki.")
public class RunbookShowCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The runbook.")
    String name;

    @Option(names = "--markdown", description = "Markdown instead of plain text.")
    boolean markdown;

    @Override
    public Integer call() {
        RunbookText text = RunbookText.of(Runbooks.catalog(this).get(name), markdown);
        output().print(output().format() == OutputFormat.table ? text.text() : text);
        return 0;
    }
}
