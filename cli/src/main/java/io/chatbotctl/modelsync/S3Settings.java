package io.chatbotctl.modelsync;

import java.util.Map;

/**
 * How to reach S3, with the aws CLI's option names.
 *
 * @param endpointUrl  {@code --endpoint-url} for S3-compatible stores (path-style addressing), or null for AWS
 * @param region       {@code --region}, or null: then AWS_REGION, AWS_DEFAULT_REGION, else us-east-1
 * @param profile      {@code --profile}, or null: then the default credential chain (environment, IRSA web identity, profile, container, instance)
 * @param variables    the process environment (AWS_ACCESS_KEY_ID, AWS_REGION, ...), passed in so tests need no global state
 */
public record S3Settings(String endpointUrl, String region, String profile, Map<String, String> variables) {
    public S3Settings {
        variables = variables == null ? Map.of() : Map.copyOf(variables);
    }

    public String resolvedRegion() {
        if (region != null && !region.isBlank()) {
            return region;
        }
        for (String name : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
            String value = variables.get(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return "us-east-1";
    }

    public String resolvedEndpoint() {
        if (endpointUrl != null && !endpointUrl.isBlank()) {
            return endpointUrl;
        }
        String fromEnv = variables.get("AWS_ENDPOINT_URL_S3");
        if (fromEnv == null || fromEnv.isBlank()) {
            fromEnv = variables.get("AWS_ENDPOINT_URL");
        }
        return fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
    }
}
