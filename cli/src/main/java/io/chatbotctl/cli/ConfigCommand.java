package io.chatbotctl.cli;

import picocli.CommandLine.Command;

@Command(name = "config", description = "Show or check chatbotctl.yaml.")
public class ConfigCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
