package io.chatbotctl.eval;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code eval run} is asked to do.
 *
 * @param endpoint          OpenAI base URL of the model under test
 * @param apiKey            bearer token, or null
 * @param datasets          JSONL files
 * @param systemPrompt      put in front of every case without a system message, or null
 * @param model             model id, or null for the first id of {@code /v1/models}
 * @param concurrency       requests in flight at once
 * @param repeat            times each case is asked
 * @param timeout           longest wait for an answer
 * @param retries           retries after an infrastructure failure (429, 5xx, connection, time-out)
 * @param retryBackoff      first pause between retries (doubles each time)
 * @param seed              sampling seed (temperature is always 0)
 * @param maxTokens         {@code max_tokens}
 * @param cacheDir          response cache, or null for none ({@code --no-cache})
 * @param judgeEndpoint     endpoint of the llm-rubric judge, or null
 * @param judgeModel        judge model id, or null for the first of its {@code /v1/models}
 * @param embeddingsEndpoint endpoint for {@code similar}, or null for {@code endpoint}
 * @param embeddingsModel   embedding model id, or null for the model under test
 * @param headers           extra HTTP headers on every request to the endpoint (e.g. {@code X-Canary: always})
 * @param modelRevision     what the user says the weights are (commit, S3 version), or null; part of the cache key
 * @param cacheOff          why there is no cache when {@code cacheDir} is null (e.g. {@code --no-cache})
 * @param via               where requests are sent when not to {@code endpoint} itself (a local relay through the
 *                          Kubernetes API server, docs/access.md), or null; results and the cache name {@code endpoint}
 */
public record EvalSettings(String endpoint, String apiKey, List<Path> datasets, String systemPrompt, String model,
                           int concurrency, int repeat, Duration timeout, int retries, Duration retryBackoff, long seed,
                           int maxTokens, Path cacheDir, String judgeEndpoint, String judgeModel,
                           String embeddingsEndpoint, String embeddingsModel, Map<String, String> headers,
                           String modelRevision, String cacheOff, String via) {

    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_MAX_TOKENS = 512;

    public EvalSettings {
        datasets = List.copyOf(datasets);
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** Defaults for everything but the endpoint and datasets: 8 at once, once each, 60s, 3 retries from 500ms. */
    public static EvalSettings of(String endpoint, List<Path> datasets) {
        return new EvalSettings(endpoint, null, datasets, null, null, 8, 1, Duration.ofSeconds(60), 3,
                Duration.ofMillis(500), DEFAULT_SEED, DEFAULT_MAX_TOKENS, null, null, null, null, null, Map.of(), null,
                "no cache directory given", null);
    }

    public EvalSettings withSystemPrompt(String v) {
        return new EvalSettings(endpoint, apiKey, datasets, v, model, concurrency, repeat, timeout, retries, retryBackoff,
                seed, maxTokens, cacheDir, judgeEndpoint, judgeModel, embeddingsEndpoint, embeddingsModel,
                headers, modelRevision, cacheOff, via);
    }

    public EvalSettings withRun(int concurrency, int repeat, Duration timeout, int retries, Duration retryBackoff) {
        return new EvalSettings(endpoint, apiKey, datasets, systemPrompt, model, concurrency, repeat, timeout, retries,
                retryBackoff, seed, maxTokens, cacheDir, judgeEndpoint, judgeModel, embeddingsEndpoint, embeddingsModel,
                headers, modelRevision, cacheOff, via);
    }

    /** Answers cached in {@code dir}. */
    public EvalSettings withCache(Path dir) {
        return new EvalSettings(endpoint, apiKey, datasets, systemPrompt, model, concurrency, repeat, timeout, retries,
                retryBackoff, seed, maxTokens, dir, judgeEndpoint, judgeModel, embeddingsEndpoint, embeddingsModel,
                headers, modelRevision, null, via);
    }

    /**
     * The cache as {@code eval run}'s options choose it: none with {@code --no-cache}, else {@code dir} when given,
     * else {@link ResponseCache#defaultDir} of the environment's variables.
     */
    public EvalSettings withCacheOptions(boolean noCache, Path dir, Map<String, String> variables) {
        if (noCache) {
            return withoutCache("--no-cache");
        }
        Path chosen = dir != null ? dir : ResponseCache.defaultDir(variables);
        return chosen != null ? withCache(chosen)
                : withoutCache("neither XDG_CACHE_HOME nor HOME is set; --cache-dir DIR turns it on");
    }

    /** Every answer asked of the model; {@code why} is shown (e.g. {@code --no-cache}). */
    public EvalSettings withoutCache(String why) {
        return new EvalSettings(endpoint, apiKey, datasets, systemPrompt, model, concurrency, repeat, timeout, retries,
                retryBackoff, seed, maxTokens, null, judgeEndpoint, judgeModel, embeddingsEndpoint, embeddingsModel,
                headers, modelRevision, why, via);
    }

    public EvalSettings withJudge(String judgeEndpoint, String judgeModel) {
        return new EvalSettings(endpoint, apiKey, datasets, systemPrompt, model, concurrency, repeat, timeout, retries,
                retryBackoff, seed, maxTokens, cacheDir, judgeEndpoint, judgeModel, embeddingsEndpoint, embeddingsModel,
                headers, modelRevision, cacheOff, via);
    }

    public EvalSettings withEmbeddings(String embeddingsEndpoint, String embeddingsModel) {
        return new EvalSettings(endpoint, apiKey, datasets, systemPrompt, model, concurrency, repeat, timeout, retries,
                retryBackoff, seed, maxTokens, cacheDir, judgeEndpoint, judgeModel, embeddingsEndpoint, embeddingsModel,
                headers, modelRevision, cacheOff, via);
    }

    /** Where the requests go beyond the URL: extra headers (a canary's routing header) and the weights' revision. */
    public EvalSettings withTarget(Map<String, String> headers, String modelRevision) {
        return new EvalSettings(endpoint, apiKey, datasets, systemPrompt, model, concurrency, repeat, timeout, retries,
                retryBackoff, seed, maxTokens, cacheDir, judgeEndpoint, judgeModel, embeddingsEndpoint, embeddingsModel,
                headers, modelRevision, cacheOff, via);
    }

    /** Requests go to {@code url} (a relay reaching {@link #endpoint()}); reports and the cache still name the endpoint. */
    public EvalSettings withVia(String url) {
        return new EvalSettings(endpoint, apiKey, datasets, systemPrompt, model, concurrency, repeat, timeout, retries,
                retryBackoff, seed, maxTokens, cacheDir, judgeEndpoint, judgeModel, embeddingsEndpoint, embeddingsModel,
                headers, modelRevision, cacheOff, url);
    }

    /** The URL requests are sent to: {@link #via()} when set, else {@link #endpoint()}. */
    public String connectUrl() {
        return via != null ? via : endpoint;
    }

    public EvalSettings withSampling(String model, long seed, int maxTokens, String apiKey) {
        return new EvalSettings(endpoint, apiKey, datasets, systemPrompt, model, concurrency, repeat, timeout, retries,
                retryBackoff, seed, maxTokens, cacheDir, judgeEndpoint, judgeModel, embeddingsEndpoint, embeddingsModel,
                headers, modelRevision, cacheOff, via);
    }
}
