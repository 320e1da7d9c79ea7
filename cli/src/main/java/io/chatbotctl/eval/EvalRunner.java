package io.chatbotctl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.BuildInfo;
import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.Durations;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Progress;
import io.chatbotctl.openai.ChatCompletion;
import io.chatbotctl.openai.ChatMessage;
import io.chatbotctl.openai.ChatRequest;
import io.chatbotctl.openai.OpenAiClient;
import io.chatbotctl.openai.OpenAiException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code eval run}: asks the model every case (× repeat) at temperature 0, checks the answers, and returns the results. */
public final class EvalRunner {
    private final Progress progress;

    public EvalRunner(Progress progress) {
        this.progress = progress;
    }

    public EvalResults run(EvalSettings settings) throws InterruptedException {
        if (settings.concurrency() < 1 || settings.repeat() < 1 || settings.retries() < 0) {
            throw new InvalidInputException("--concurrency and --repeat must be at least 1, --retries at least 0");
        }
        if (settings.maxTokens() < 1) {
            throw new InvalidInputException("--max-tokens must be at least 1, got " + settings.maxTokens());
        }
        if (settings.timeout().isZero() || settings.timeout().isNegative()) {
            throw new InvalidInputException("--timeout must be above 0, got " + Durations.format(settings.timeout()));
        }
        Dataset dataset = Dataset.load(settings.datasets());
        Retrier retrier = new Retrier(settings.retries(), settings.retryBackoff());
        OpenAiClient client = OpenAiClient.create(settings.connectUrl(), settings.apiKey(), settings.timeout())
                .withHeaders(settings.headers());
        String endpoint = OpenAiClient.baseUrl(settings.endpoint());
        List<JsonNode> cards = settings.model() == null || settings.cacheDir() != null ? modelCards(client, retrier) : null;
        String modelId = settings.model() != null ? settings.model() : firstModel(endpoint, cards, "--model");
        ServedModel served = cards == null ? null : ServedModel.find(cards, modelId, settings.modelRevision(), Instant.now());
        Checker checker = new Checker(judge(settings, dataset, retrier), embedder(settings, client, modelId, retrier));
        EvalResults.CacheUse cacheUse = cacheUse(settings, served, modelId, endpoint);
        ResponseCache cache = cacheUse.dir() == null ? null : new ResponseCache(settings.cacheDir());
        Target target = new Target(client, endpoint, settings.headers(), served, cache);
        Fingerprint fingerprint = fingerprint(settings, dataset, modelId);

        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        int total = dataset.cases().size() * settings.repeat();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        progress.log("eval: " + dataset.cases().size() + " cases" + (settings.repeat() > 1 ? " x " + settings.repeat() : "")
                + " against " + modelId + " at " + endpoint + ", " + settings.concurrency() + " at once");
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(settings.concurrency(), total), r -> {
            Thread t = new Thread(r, "eval-worker");
            t.setDaemon(true);
            return t;
        });
        List<Future<CaseResult>> futures = new ArrayList<>();
        try {
            for (EvalCase c : dataset.cases()) {
                for (int r = 1; r <= settings.repeat(); r++) {
                    int repeat = r;
                    futures.add(pool.submit(() -> {
                        CaseResult result = runCase(c, repeat, settings, modelId, target, retrier, checker);
                        int n = done.incrementAndGet();
                        if (result.failed()) {
                            failed.incrementAndGet();
                        } else if (result.errored()) {
                            errors.incrementAndGet();
                        }
                        progress.update("eval: " + n + "/" + total + " done, " + failed.get() + " failed, "
                                + errors.get() + " errors");
                        return result;
                    }));
                }
            }
            List<CaseResult> results = new ArrayList<>();
            for (Future<CaseResult> f : futures) {
                results.add(f.get());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            progress.log("eval: " + total + " done in " + String.format(java.util.Locale.ROOT, "%.1f", seconds) + " s, "
                    + failed.get() + " failed, " + errors.get() + " errors");
            return EvalResults.of(startedAt, endpoint, settings.headers(), served, cacheUse, fingerprint, results,
                    seconds);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Where the cases are asked (endpoint: as configured), and the cache of that endpoint's served model (null when off). */
    private record Target(OpenAiClient client, String endpoint, Map<String, String> headers, ServedModel served, ResponseCache cache) {
    }

    /** Runs and writes the reports; the results are returned for printing whatever they hold. */
    public EvalResults run(EvalSettings settings, EvalReports reports) throws InterruptedException {
        EvalResults results = run(settings);
        reports.write(results);
        return results;
    }

    private static CaseResult runCase(EvalCase c, int repeat, EvalSettings settings, String modelId, Target target,
                                      Retrier retrier, Checker checker) {
        OpenAiClient client = target.client();
        ResponseCache cache = target.cache();
        ChatRequest request = ChatRequest.of(modelId, messages(c, settings.systemPrompt()))
                .withTemperature(0.0).withSeed(settings.seed()).withMaxTokens(settings.maxTokens());
        boolean useCache = cache != null && !c.usesType("latency");
        String key = useCache ? ResponseCache.key(target.endpoint(), target.headers(), target.served(),
                OpenAiClient.chatBody(request, false), repeat) : null;
        Optional<Answer> hit = useCache ? cache.get(key) : Optional.empty();
        Answer answer;
        int attempts = 0;
        if (hit.isPresent()) {
            answer = hit.get();
        } else {
            long[] started = new long[1];
            Retrier.Attempted<ChatCompletion> attempted = retrier.attempt(() -> {
                started[0] = System.nanoTime();
                return client.chat(request);
            });
            attempts = attempted.attempts();
            if (attempted.failure() != null) {
                return new CaseResult(c.id(), repeat, c.category(), c.severity(), lastUserMessage(c), CaseResult.ERROR, null, c.threshold(),
                        null, false, attempts, null, attempted.failure().getMessage(), List.of());
            }
            double millis = (System.nanoTime() - started[0]) / 1e6;
            ChatCompletion completion = attempted.value();
            Integer tokens = completion.usage() == null ? null : completion.usage().completionTokens();
            answer = new Answer(completion.content() == null ? "" : completion.content(), millis, tokens, false);
            if (useCache) {
                cache.put(key, answer);
            }
        }
        List<AssertionResult> assertions = checker.check(c, answer);
        Checker.Scored scored = Checker.score(assertions, c.threshold());
        return new CaseResult(c.id(), repeat, c.category(), c.severity(), lastUserMessage(c), scored.pass() ? CaseResult.PASS : CaseResult.FAIL,
                scored.score(), c.threshold(), answer.latencyMillis(), answer.cached(), attempts, answer.text(), null,
                assertions);
    }

    static String lastUserMessage(EvalCase c) {
        String last = null;
        for (ChatMessage m : c.messages()) {
            if (m.role().equals("user")) {
                last = m.content();
            }
        }
        return last;
    }

    static List<ChatMessage> messages(EvalCase c, String systemPrompt) {
        boolean hasSystem = c.messages().stream().anyMatch(m -> m.role().equals("system"));
        if (systemPrompt == null || hasSystem) {
            return c.messages();
        }
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(ChatMessage.system(systemPrompt));
        messages.addAll(c.messages());
        return messages;
    }

    private static List<JsonNode> modelCards(OpenAiClient client, Retrier retrier) {
        return retrier.call(client::modelCards);
    }

    private static String firstModel(String endpoint, List<JsonNode> cards, String flag) {
        if (cards.isEmpty()) {
            throw new ExternalSystemException(endpoint + "/models lists no model", "pass " + flag + " NAME");
        }
        return cards.get(0).path("id").asText();
    }

    private EvalResults.CacheUse cacheUse(EvalSettings settings, ServedModel served, String modelId, String endpoint) {
        if (settings.cacheDir() == null) {
            return EvalResults.CacheUse.off(settings.cacheOff());
        }
        if (served == null) {
            progress.log("eval: " + endpoint + "/models does not list " + modelId
                    + ", so cached answers cannot be tied to it: the cache is off for this run");
            return EvalResults.CacheUse.off(endpoint + "/models does not list " + modelId);
        }
        return EvalResults.CacheUse.on(settings.cacheDir());
    }

    private static Judge judge(EvalSettings settings, Dataset dataset, Retrier retrier) {
        boolean needed = dataset.cases().stream().anyMatch(c -> c.usesType("llm-rubric"));
        if (!needed) {
            return null;
        }
        if (settings.judgeEndpoint() == null) {
            String example = dataset.cases().stream().filter(c -> c.usesType("llm-rubric")).findFirst().map(EvalCase::source).orElse("");
            throw new InvalidInputException("the dataset uses llm-rubric (e.g. " + example + ") but no judge was given",
                    "pass --judge-endpoint URL (any OpenAI-compatible server) and optionally --judge-model");
        }
        OpenAiClient judgeClient = OpenAiClient.create(settings.judgeEndpoint(), settings.apiKey(), settings.timeout());
        String model = settings.judgeModel() != null ? settings.judgeModel()
                : firstModel(judgeClient.baseUrl(), modelCards(judgeClient, retrier), "--judge-model");
        return new Judge(judgeClient, model, settings.seed(), retrier);
    }

    private static Embedder embedder(EvalSettings settings, OpenAiClient client, String modelId, Retrier retrier) {
        OpenAiClient embeddings = settings.embeddingsEndpoint() == null ? client
                : OpenAiClient.create(settings.embeddingsEndpoint(), settings.apiKey(), settings.timeout());
        return new Embedder(embeddings, settings.embeddingsModel() != null ? settings.embeddingsModel() : modelId, retrier);
    }

    static Fingerprint fingerprint(EvalSettings settings, Dataset dataset, String modelId) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("temperature", 0.0);
        params.put("seed", settings.seed());
        params.put("maxTokens", settings.maxTokens());
        params.put("repeat", settings.repeat());
        String system = settings.systemPrompt() == null ? "none" : Dataset.sha256Hex(settings.systemPrompt());
        BuildInfo build = BuildInfo.current();
        return new Fingerprint(dataset.sha256(), dataset.files(), system, modelId, params,
                build.version() + " (" + build.gitCommit() + ")");
    }
}
