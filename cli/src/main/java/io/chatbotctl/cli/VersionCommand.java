package io.chatbotctl.cli;

import io.chatbotctl.core.BuildInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

@Command(name = "version", description = "Print chatbotctl's version, git commit and Java version.")
public class VersionCommand extends BaseCommand {

    @Override
    public Integer call() {
        BuildInfo info = BuildInfo.current();
        Output out = output();
        if (out.format() == OutputFormat.table) {
            out.print(info.oneLine());
        } else {
            out.print(info);
        }
        return 0;
    }

    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {BuildInfo.current().oneLine()};
        }
    }
}
