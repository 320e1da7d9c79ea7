package io.chatbotctl.cli;

import io.chatbotctl.proxy.Keys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

@Command(name = "create", description = "Create a key: prints it once (store it now); the keys file keeps only its SHA-256.")
public class ProxyKeysCreateCommand extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "The key's name, as logs and metrics show it.")
    String name;

    @Option(names = "--keys", paramLabel = "FILE", required = true, description = "Keys file (created when missing).")
    Path keys;

    @Option(names = "--rpm", paramLabel = "N", description = "Requests per minute (default: 0 = no limit).")
    int rpm;

    @Option(names = "--tpm", paramLabel = "N", description = "Tokens (prompt + completion) per minute (default: 0 = no limit).")
    int tpm;

    @Option(names = "--max-concurrency", paramLabel = "N", description = "Requests at once (default: 0 = no limit).")
    int maxConcurrency;

    @Override
    public Integer call() {
        Keys.Created created = Keys.create(environment().workingDir().resolve(keys), name, rpm, tpm, maxConcurrency);
        output().print(created);
        output().info("the key is shown only this once; the keys file holds its hash");
        return 0;
    }
}
