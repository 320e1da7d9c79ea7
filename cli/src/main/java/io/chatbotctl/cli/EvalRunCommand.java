package io.chatbotctl.cli;

import io.chatbotctl.core.ExternalSystemException;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.IoErrors;
import io.chatbotctl.eval.EvalResults;
import io.chatbotctl.eval.EvalRunner;
import io.chatbotctl.eval.EvalSettings;
import io.chatbotctl.eval.JunitReport;
import io.chatbotctl.eval.MarkdownReport;
import io.chatbotctl.core.AtomicFiles;
import io.chatbotctl.openai.OpenAiClient;
import picocli.CommandLine.Command;
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

    @Override
    public Integer call() throws InterruptedException {
        Path cwd = environment().workingDir();
        String url = endpoint != null ? endpoint : requiredEnvironment().endpoint();
        if (url == null || url.isBlank()) {
            throw new InvalidInputException("no endpoint: pass --endpoint URL or an --env whose config sets endpoint");
        }
        EvalSettings settings = EvalSettings.of(url, datasetFiles(cwd))
                .withSystemPrompt(systemPrompt == null ? null : read(cwd.resolve(systemPrompt)))
                .withRun(concurrency, repeat, timeout, retries, retryBackoff)
                .withSampling(model, seed, maxTokens, OpenAiClient.apiKey(environment().variables()))
                .withCache(noCache ? null : cacheDir != null ? cwd.resolve(cacheDir) : defaultCacheDir())
                .withJudge(judgeEndpoint, judgeModel)
                .withEmbeddings(embeddingsEndpoint, embeddingsModel);
        EvalResults results = new EvalRunner(output().progress()).run(settings);
        if (out != null) {
            AtomicFiles.writeString(cwd.resolve(out), results.toJson());
        }
        if (junit != null) {
            JunitReport.writeRun(cwd.resolve(junit), results);
        }
        if (markdown != null) {
            MarkdownReport.writeRun(cwd.resolve(markdown), results);
        }
        output().print(results);
        if (results.summary().errors() == results.summary().cases()) {
            String first = results.cases().get(0).error();
            throw new ExternalSystemException("every request failed; the first: " + first,
                    "check that " + results.endpoint() + " serves chat completions (the results record each error)");
        }
        return 0;
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

    private Path defaultCacheDir() {
        String xdg = environment().variable("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "chatbotctl", "eval");
        }
        String home = environment().variable("HOME");
        return Path.of(home == null ? System.getProperty("user.home") : home, ".cache", "chatbotctl", "eval");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read the system prompt " + file + ": " + IoErrors.reason(e));
        }
    }
}
