package io.chatbotctl.cli;

import io.chatbotctl.core.ExitCode;
import io.chatbotctl.deploy.DeployService;
import io.chatbotctl.deploy.DiffResult;
import io.chatbotctl.deploy.KustomizeManifests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;

@Command(name = "diff", mixinStandardHelpOptions = true, description = {
        "Show what deploy would change: a server-side dry-run apply of every rendered object against the live one, "
                + "as unified diffs; objects that would be pruned show as deletions.",
        "Exit 0 when nothing would change, 1 when something would."})
public class DiffCommand extends ClusterCommand {
    @Mixin
    ImageOptions images;

    @Override
    public Integer call() {
        var env = requiredEnvironment();
        KustomizeManifests source = new KustomizeManifests(env.overlay() == null ? null : Path.of(env.overlay()));
        DiffResult result = new DeployService(deployTarget()).diff(source, images.overrides());
        if (output().format() == OutputFormat.table) {
            output().print(result.unifiedDiff());
        } else {
            output().print(result);
        }
        return result.changed() ? ExitCode.CHECK_FAILED : ExitCode.OK;
    }
}
