package io.chatbotctl.canary;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code canary watch --eval-dataset FILE --eval-thresholds FILE [--eval-baseline FILE]}: the eval run against the
 * canary before each interval is judged.
 *
 * @param datasets   the eval datasets (JSONL)
 * @param thresholds the gate's thresholds
 * @param baseline   stable's eval results, for the flipped cases; or null
 * @param endpoint   the service's OpenAI base URL through the Gateway
 * @param apiKey     the endpoint's API key, or null
 */
public record EvalInLoop(List<Path> datasets, Path thresholds, Path baseline, String endpoint, String apiKey) {
    public EvalInLoop {
        datasets = List.copyOf(datasets);
    }
}
