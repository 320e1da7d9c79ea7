package io.chatbotctl.cli;

import io.chatbotctl.modelsync.S3Settings;
import picocli.CommandLine.Option;

import java.util.Map;

/** The aws CLI's connection options, shared by the model commands. */
public class S3Options {
    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "S3-compatible endpoint (path-style addressing), e.g. http://127.0.0.1:9000 (default: AWS, or $AWS_ENDPOINT_URL).")
    String endpointUrl;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, else us-east-1).")
    String region;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Profile from ~/.aws/config (default: the default credential chain: environment, IRSA web identity, profile, container, instance).")
    String profile;

    S3Settings settings(Map<String, String> variables) {
        return new S3Settings(endpointUrl, region, profile, variables);
    }
}
