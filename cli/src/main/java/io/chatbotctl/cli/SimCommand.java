package io.chatbotctl.cli;

import io.chatbotctl.cli.Converters.FractionConverter;
import io.chatbotctl.sim.SimConfig;
import io.chatbotctl.sim.SimListening;
import io.chatbotctl.sim.SimProfile;
import io.chatbotctl.sim.Simulator;
import io.chatbotctl.sim.TokenRange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(name = "sim", sortOptions = false, description = {
        "Run a vLLM-compatible simulator (no GPU needed): OpenAI chat and text completions (streamed or not),",
        "/v1/models, /health, /metrics with vLLM's series, /tokenize. It models one GPU server: running slots,",
        "a FIFO queue, prefill and inter-token latency, a KV cache with preemption. Stops on Ctrl-C or SIGTERM.",
        "Profiles: default, fast, a10g-llama-3.1-8b-awq (see docs/sim.md)."})
public class SimCommand extends BaseCommand {

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on; 0 picks a free one (default: 8000).")
    int port = 8000;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on (default: 127.0.0.1).")
    String host = "127.0.0.1";

    @Option(names = "--model", paramLabel = "NAME",
            description = "Served model name (default: chatbotctl.yaml's model, else llama-3.1-8b-instruct).")
    String model;

    @Option(names = "--profile", paramLabel = "NAME", description = "Preset of the options below: default, fast, a10g-llama-3.1-8b-awq.")
    String profile = SimProfile.DEFAULT;

    @Option(names = "--max-num-seqs", paramLabel = "N", description = "Running slots; later requests queue (vLLM --max-num-seqs).")
    Integer maxNumSeqs;

    @Option(names = "--max-model-len", paramLabel = "TOKENS", description = "Context length; prompt + max_tokens above it is a 400.")
    Integer maxModelLen;

    @Option(names = "--prefill-per-1k-tokens", paramLabel = "DURATION", description = "Prefill time per 1,000 prompt tokens (part of TTFT).")
    Duration prefillPer1kTokens;

    @Option(names = "--itl", paramLabel = "DURATION", description = "Inter-token latency of a lone request; 0 = as fast as possible.")
    Duration itl;

    @Option(names = "--itl-jitter", paramLabel = "FRACTION", converter = FractionConverter.class,
            description = "Uniform jitter of each token gap, e.g. 10%%.")
    Double itlJitter;

    @Option(names = "--batch-slowdown", paramLabel = "FACTOR", description = "Extra ITL with every slot busy (1.0 = twice as slow), linear.")
    Double batchSlowdown;

    @Option(names = "--output-tokens", paramLabel = "N|MIN-MAX", description = "Output length when a request sets no max_tokens.")
    String outputTokens;

    @Option(names = "--kv-capacity-tokens", paramLabel = "TOKENS", description = "KV-cache capacity; overflow preempts the youngest request.")
    Long kvCapacityTokens;

    @Option(names = "--responses", paramLabel = "FILE", description = "Answer rules (YAML or JSONL): contains/regex -> answer, first match wins.")
    Path responses;

    @Option(names = "--error-rate", paramLabel = "FRACTION", converter = FractionConverter.class,
            description = "Fraction of completions answered with --error-status at once.")
    double errorRate;

    @Option(names = "--error-status", paramLabel = "CODE", description = "500, 503 or 429 (default: 500).")
    int errorStatus = 500;

    @Option(names = "--stall-rate", paramLabel = "FRACTION", converter = FractionConverter.class,
            description = "Fraction of completions that pause for --stall halfway through.")
    double stallRate;

    @Option(names = "--stall", paramLabel = "DURATION", description = "Length of the pause (default: 2s).")
    Duration stall = Duration.ofSeconds(2);

    @Option(names = "--disconnect-rate", paramLabel = "FRACTION", converter = FractionConverter.class,
            description = "Fraction of completions whose connection drops halfway through.")
    double disconnectRate;

    @Option(names = "--startup-delay", paramLabel = "DURATION", description = "/health answers 503 this long (loading the model).")
    Duration startupDelay = Duration.ZERO;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the random draws (lengths, jitter, faults).")
    Long seed;

    @Option(names = "--vllm-version", paramLabel = "VERSION",
            description = "vLLM version whose catalog of series /metrics serves (default: the pinned "
                    + io.chatbotctl.core.vllm.VllmCatalog.PINNED + ").")
    String vllmVersion = io.chatbotctl.core.vllm.VllmCatalog.PINNED;

    @Override
    public Integer call() throws InterruptedException {
        SimConfig.Builder b = SimConfig.builder().host(host).port(port).model(servedModel()).profile(profile)
                .errorRate(errorRate).errorStatus(errorStatus).stallRate(stallRate).stall(stall)
                .disconnectRate(disconnectRate).startupDelay(startupDelay).seed(seed).requestLogLimit(0)
                .vllmVersion(vllmVersion);
        if (maxNumSeqs != null) b.maxNumSeqs(maxNumSeqs);
        if (maxModelLen != null) b.maxModelLen(maxModelLen);
        if (prefillPer1kTokens != null) b.prefillPer1kTokens(prefillPer1kTokens);
        if (itl != null) b.itl(itl);
        if (itlJitter != null) b.itlJitter(itlJitter);
        if (batchSlowdown != null) b.batchSlowdown(batchSlowdown);
        if (outputTokens != null) b.outputTokens(TokenRange.parse(outputTokens));
        if (kvCapacityTokens != null) b.kvCapacityTokens(kvCapacityTokens);
        if (responses != null) b.responses(environment().workingDir().resolve(responses));
        Simulator sim = Simulator.start(b.build());
        CountDownLatch reported = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            awaitQuietly(reported);
        }, "sim-shutdown"));
        output().print(SimListening.of(sim));
        output().info("simulator ready; stop with Ctrl-C");
        try {
            sim.awaitClose();
        } finally {
            sim.close();
            output().info("simulator stopped");
            reported.countDown();
        }
        return 0;
    }

    private String servedModel() {
        if (model != null) {
            return model;
        }
        String configured = config().model();
        return configured != null && !configured.isBlank() ? configured : SimConfig.DEFAULT_MODEL;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
