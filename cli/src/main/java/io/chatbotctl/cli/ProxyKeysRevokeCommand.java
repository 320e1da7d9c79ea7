package io.chatbotctl.cli;

import io.chatbotctl.proxy.Keys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

@Command(name = "revoke", description = "Revoke a key: running proxies answer it 401 once they reload the file.")
public class ProxyKeysRevokeCommand extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "The key's name.")
    String name;

    @Option(names = "--keys", paramLabel = "FILE", required = true, description = "Keys file.")
    Path keys;

    @Override
    public Integer call() {
        output().print(Keys.revoke(environment().workingDir().resolve(keys), name));
        return 0;
    }
}
