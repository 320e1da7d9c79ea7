package io.chatbotctl.cli;

import io.chatbotctl.cli.Converters.SizeConverter;
import io.chatbotctl.proxy.ProxyOptions;
import io.chatbotctl.proxy.ProxyServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(name = "proxy", sortOptions = false, description = {
        "The front door of a vLLM pod: an OpenAI-compatible reverse proxy with API keys, per-key RPM/TPM/concurrency",
        "limits (shared through Redis with --redis), the prompt policy, one JSON access-log line per request on stdout",
        "and Prometheus metrics (its own and vLLM's) on --metrics-listen. Stops on Ctrl-C or SIGTERM (see docs/proxy.md)."})
public class ProxyCommand extends BaseCommand {

    @Option(names = "--upstream", paramLabel = "URL", description = "The vLLM server (default: " + ProxyOptions.DEFAULT_UPSTREAM + ").")
    String upstream;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Address clients reach (default: " + ProxyOptions.DEFAULT_LISTEN + ").")
    String listen;

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT",
            description = "Address of /metrics (default: " + ProxyOptions.DEFAULT_METRICS_LISTEN + ").")
    String metricsListen;

    @Option(names = "--keys", paramLabel = "FILE", description = "Keys file (YAML, reloaded on change; env " + ProxyOptions.ENV_KEYS + ").")
    Path keys;

    @Option(names = "--redis", paramLabel = "URL", description = "Share the limits across replicas: redis://HOST:6379 (env " + ProxyOptions.ENV_REDIS + ").")
    String redis;

    @Option(names = "--redis-failure", paramLabel = "open|closed",
            description = "Redis unreachable: limit on this replica's counters (open, default) or answer 503 (closed).")
    String redisFailure;

    @Option(names = "--system-prompt", paramLabel = "FILE", description = "System prompt applied to chat requests.")
    Path systemPrompt;

    @Option(names = "--system-prompt-policy", paramLabel = "prepend|replace|default",
            description = "prepend (default): before the client's messages; replace: instead of the client's system "
                    + "messages; default: only when the client sends none.")
    String systemPromptPolicy;

    @Option(names = "--max-body", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Largest request body; 413 past it (default: " + ProxyOptions.DEFAULT_MAX_BODY + ").")
    Long maxBody;

    @Option(names = "--max-input-tokens", paramLabel = "N", description = "Input-token ceiling (estimated); 400 past it. 0 = none.")
    Integer maxInputTokens;

    @Option(names = "--max-tokens-ceiling", paramLabel = "N",
            description = "Largest max_tokens accepted (400 past it); requests without one get it. 0 = none.")
    Integer maxTokensCeiling;

    @Option(names = "--served-model", paramLabel = "NAME", description = "The only model accepted; 404 otherwise (default: chatbotctl.yaml's model).")
    String servedModel;

    @Option(names = "--log-bodies", description = "Add request and response bodies to the access log, personal data masked.")
    Boolean logBodies;

    @Option(names = "--upstream-timeout", paramLabel = "DURATION",
            description = "Upstream silence before 504 (default: 60s; also between streamed chunks).")
    Duration upstreamTimeout;

    @Override
    public Integer call() throws InterruptedException {
        ProxyOptions options = ProxyOptions.resolve(new ProxyOptions.Flags(upstream, listen, metricsListen, keys, redis,
                        redisFailure, systemPrompt, systemPromptPolicy, maxBody, maxInputTokens, maxTokensCeiling,
                        servedModel, logBodies, upstreamTimeout),
                config().proxy(), environment().variables(), config().model(), environment().workingDir());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProxyServer proxy = ProxyServer.start(options, line -> {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        }, line -> {
            synchronized (err) {
                err.println("chatbotctl proxy: " + line);
                err.flush();
            }
        });
        CountDownLatch reported = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            try {
                reported.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "proxy-shutdown"));
        var l = proxy.listening();
        output().info("proxy listening on " + l.url() + " -> " + l.upstream() + ", metrics " + l.metricsUrl() + ", "
                + l.keys() + " keys from " + l.keysFile() + ", limits " + l.limits()
                + (l.servedModel() == null ? "" : ", model " + l.servedModel()));
        try {
            proxy.awaitClose();
        } finally {
            proxy.close();
            output().info("proxy stopped");
            reported.countDown();
        }
        return 0;
    }
}
