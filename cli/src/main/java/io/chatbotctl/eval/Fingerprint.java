package io.chatbotctl.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a run's results depend on. Two runs are compared case by case only when their dataset, system prompt and
 * parameters agree; the model id and chatbotctl version are expected to differ between a baseline and a candidate.
 *
 * @param datasetSha256      SHA-256 of the dataset files' bytes, in the order given
 * @param datasets           the dataset files, as given
 * @param systemPromptSha256 SHA-256 of the system prompt, or {@code none}
 * @param modelId            the model, from {@code --model} or the first id of {@code /v1/models}
 * @param params             sampling and run parameters: temperature, seed, maxTokens, repeat
 * @param chatbotctlVersion  version and commit of the chatbotctl that ran it
 */
public record Fingerprint(String datasetSha256, List<String> datasets, String systemPromptSha256, String modelId,
                          Map<String, Object> params, String chatbotctlVersion) {

    public Fingerprint {
        datasets = List.copyOf(datasets);
        params = new TreeMap<>(params);
    }

    /** The fields that must agree to compare two runs, as {@code field: this vs other}; empty when they agree. */
    public List<String> differences(Fingerprint other) {
        List<String> diffs = new ArrayList<>();
        if (!Objects.equals(datasetSha256, other.datasetSha256)) {
            diffs.add("datasetSha256 (" + shortHash(datasetSha256) + " vs " + shortHash(other.datasetSha256) + ")");
        }
        if (!Objects.equals(systemPromptSha256, other.systemPromptSha256)) {
            diffs.add("systemPromptSha256 (" + shortHash(systemPromptSha256) + " vs " + shortHash(other.systemPromptSha256) + ")");
        }
        TreeMap<String, Object> keys = new TreeMap<>(params);
        keys.putAll(other.params);
        for (String key : keys.keySet()) {
            Object a = params.get(key);
            Object b = other.params.get(key);
            if (!Objects.equals(String.valueOf(a), String.valueOf(b))) {
                diffs.add("params." + key + " (" + a + " vs " + b + ")");
            }
        }
        return diffs;
    }

    private static String shortHash(String hash) {
        return hash == null ? "none" : hash.length() > 12 ? hash.substring(0, 12) : hash;
    }
}
