package io.chatbotctl.cli;

import io.chatbotctl.config.EnvironmentConfig;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.IoErrors;
import io.chatbotctl.eval.EvalReports;
import io.chatbotctl.eval.EvalResults;
import io.chatbotctl.eval.EvalRunner;
import io.chatbotctl.eval.EvalSettings;
import io.chatbotctl.kube.ServiceAccess;
import io.chatbotctl.openai.HeaderOptions;
import io.chatbotctl.openai.OpenAiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

@Command(name = "run", sortOptions = false, mixinStandardHelpOptions = true, description = {
        "Ask the model every case of the datasets (temperature 0, fixed seed), check the answers and write the results.",
        "Infrastructure errors (no answer after retries) are counted apart from quality failures; 'eval gate' decides."})
public class EvalRunCommand extends BaseCommand {
    static final String DEFAULT_DATASETS = "evals/datasets";

    @Option(names = "--endpoint", paramLabel = "URL", description = "OpenAI base URL of the model (default: the --env's endpoint).")
    String endpoint;

    @Option(names = "--dataset", paramLabel = "FILE", description = "JSONL dataset (repeatable; default: evals/datasets/*.jsonl).")
    List<Path> datasets = new ArrayList<>();

    @Option(names = "--system-prompt", paramLabel = "FILE", description = "System prompt put in front of cases without one.")
    Path systemPrompt;

    @Option(names = "--model", paramLabel = "NAME", description = "Model id (default: the first of /v1/models).")
    String model;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8", description = "Requests at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1", description = "Times each case is asked (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", description = "Longest wait for an answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "3", description = "Retries on 429, 5xx, connection errors and time-outs (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--retry-backoff", paramLabel = "DURATION", defaultValue = "500ms", description = "First pause between retries, doubling (default: ${DEFAULT-VALUE}).")
    Duration retryBackoff;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Sampling seed (default: ${DEFAULT-VALUE}; temperature is always 0).")
    long seed;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "512", description = "max_tokens of each answer (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--no-cache", description = "Ask the model every time instead of reusing cached answers.")
    boolean noCache;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Response cache (default: $XDG_CACHE_HOME/chatbotctl/eval or ~/.cache/chatbotctl/eval).")
    Path cacheDir;

    @Option(names = "--model-revision", paramLabel = "REV", description = "What the served weights are (commit, S3 version);"
            + " cached answers are reused only for the same endpoint, headers, served model and revision.")
    String modelRevision;

    @Option(names = {"-H", "--header"}, paramLabel = "NAME: VALUE", description = "Repeatable extra request header, e.g. 'X-Canary: always'.")
    List<String> headers = new ArrayList<>();

    @Option(names = "--judge-endpoint", paramLabel = "URL", description = "OpenAI-compatible endpoint of the llm-rubric judge.")
    String judgeEndpoint;

    @Option(names = "--judge-model", paramLabel = "NAME", description = "Judge model id (default: the first of its /v1/models).")
    String judgeModel;

    @Option(names = "--embeddings-endpoint", paramLabel = "URL", description = "Endpoint for 'similar' (default: --endpoint).")
    String embeddingsEndpoint;

    @Option(names = "--embeddings-model", paramLabel = "NAME", description = "Embedding model id (default: the model under test).")
    String embeddingsModel;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the results JSON (the input of 'eval gate').")
    Path out;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write JUnit XML, one test case per eval case.")
    Path junit;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Write a Markdown summary.")
    Path markdown;

    @Mixin
    AccessOptions access;

    @Override
    public Integer call() throws InterruptedException {
        Path cwd = environment().workingDir();
        EnvironmentConfig env = endpoint != null ? namedEnvironment() : requiredEnvironment();
        String url = endpoint != null ? endpoint : env.endpoint();
        if (url == null || url.isBlank()) {
            throw new InvalidInputException("no endpoint: pass --endpoint URL or an --env whose config sets endpoint");
        }
        try (ServiceAccess services = access.open(this, env)) {
            return run(cwd, url, env, services);
        }
    }

    private int run(Path cwd, String url, EnvironmentConfig env, ServiceAccess services) throws InterruptedException {
        ServiceAccess.Reached reached = services.reach(url, access.chatbot(this, env), null);
        EvalSettings settings = EvalSettings.of(url, datasetFiles(cwd)).withVia(reached.relayed() ? reached.url() : null)
                .withSystemPrompt(systemPrompt == null ? null : read(cwd.resolve(systemPrompt)))
                .withRun(concurrency, repeat, timeout, retries, retryBackoff)
                .withSampling(model, seed, maxTokens, OpenAiClient.apiKey(environment().variables()))
                .withTarget(HeaderOptions.parse(headers), modelRevision)
                .withCacheOptions(noCache, cacheDir == null ? null : cwd.resolve(cacheDir), environment().variables())
                .withJudge(reachIfService(services, judgeEndpoint), judgeModel)
                .withEmbeddings(reachIfService(services, embeddingsEndpoint), embeddingsModel);
        EvalReports reports = new EvalReports(resolve(cwd, out), resolve(cwd, junit), resolve(cwd, markdown));
        EvalResults results = new EvalRunner(output().progress()).run(settings, reports);
        output().print(results);
        results.requireAnswers();
        return 0;
    }

    /** The judge and the embeddings server go through the API server only when their host names a Service. */
    private static String reachIfService(ServiceAccess services, String url) {
        return url == null ? null : services.reachNamed(url).url();
    }

    private static Path resolve(Path cwd, Path file) {
        return file == null ? null : cwd.resolve(file);
    }

    private List<Path> datasetFiles(Path cwd) {
        if (!datasets.isEmpty()) {
            return datasets.stream().map(cwd::resolve).toList();
        }
        Path dir = cwd.resolve(DEFAULT_DATASETS);
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.jsonl")) {
            stream.forEach(files::add);
        } catch (IOException e) {
            throw new InvalidInputException("no --dataset given and " + dir + " cannot be read", "pass --dataset FILE");
        }
        files.sort(null);
        return files;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read the system prompt " + file + ": " + IoErrors.reason(e));
        }
    }
}
