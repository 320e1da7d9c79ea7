package io.chatbotctl.cli;

import io.chatbotctl.core.CheckFailedException;
import io.chatbotctl.modelsync.ModelVerify;
import io.chatbotctl.modelsync.VerifyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

@Command(mixinStandardHelpOptions = true, name = "verify", description = "Check a synced directory against its manifest; exit 1 listing each mismatch.")
public class ModelVerifyCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "DEST", description = "A directory written by model sync.")
    Path destination;

    @Option(names = "--deep", description = "Re-hash every byte (default: presence, size and the COMPLETE marker).")
    boolean deep;

    @Override
    public Integer call() {
        VerifyResult result = new ModelVerify().verify(environment().workingDir().resolve(destination), deep, output().progress());
        output().print(result);
        if (!result.ok()) {
            throw new CheckFailedException(result.mismatches().size() + " problem(s) in " + result.destination(),
                    "run 'chatbotctl model sync " + (result.source() == null ? "s3://..." : result.source()) + " " + result.destination() + "' to repair");
        }
        return 0;
    }
}
