package io.chatbotctl.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;

@Command(name = "start", description = {
        "Render the new release as deploy would (the environment's overlay, --image, --chatbotctl-image, configuration)",
        "and run its canary variant beside stable: Deployment vllm-chatbot-canary, Service vllm-service-canary, ConfigMaps NAME-canary, a share",
        "of the HTTPRoute's weights and the header route (X-Canary: always). Waits until it is ready."})
public class CanaryStartCommand extends BaseCommand {
    @Mixin
    ImageOptions images;

    @Option(names = "--weight", defaultValue = "10", paramLabel = "PERCENT", description = "Share of traffic, 0-100 (default: ${DEFAULT-VALUE}).")
    int weight;

    @Option(names = "--replicas", defaultValue = "1", description = "Canary replicas (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--timeout", defaultValue = "30m", paramLabel = "DURATION",
            description = "How long the canary may take to become ready, model load included (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        output().print(CanaryCommand.service(this, timeout).start(images.overrides(), weight, replicas, output().progress()));
        return 0;
    }
}
