package io.chatbotctl.cli;

import io.chatbotctl.proxy.Keys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

@Command(name = "list", description = "List the keys: name, limits, revoked, created (never a key or its hash).")
public class ProxyKeysListCommand extends BaseCommand {
    @Option(names = "--keys", paramLabel = "FILE", required = true, description = "Keys file.")
    Path keys;

    @Override
    public Integer call() {
        output().print(Keys.list(environment().workingDir().resolve(keys)));
        return 0;
    }
}
