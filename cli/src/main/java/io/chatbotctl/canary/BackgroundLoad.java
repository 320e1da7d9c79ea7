package io.chatbotctl.canary;

import io.chatbotctl.core.Progress;
import io.chatbotctl.loadtest.LoadTest;
import io.chatbotctl.loadtest.LoadTestConfig;
import io.chatbotctl.loadtest.Prompts;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady open-loop traffic from the load-test engine to one endpoint until closed: back-to-back load tests of
 * {@link #CHUNK} each (the engine runs for a fixed time). Used by the demo and the end-to-end tests to give stable
 * and canary something to measure.
 */
public final class BackgroundLoad implements AutoCloseable {
    static final Duration CHUNK = Duration.ofSeconds(2);

    private final Thread thread;
    private final AtomicLong requests = new AtomicLong();
    private volatile boolean stopped;
    private volatile RuntimeException failure;

    /**
     * @param endpoint      OpenAI base URL of one simulator or server
     * @param model         the served model name
     * @param ratePerSecond requests per second
     * @param maxTokens     tokens per answer (short answers keep the load light)
     */
    public BackgroundLoad(String endpoint, String model, double ratePerSecond, int maxTokens) {
        this(endpoint, null, model, ratePerSecond, maxTokens);
    }

    /**
     * @param apiKey the endpoint's API key ({@code CHATBOTCTL_API_KEY}: the proxy in front of every vLLM pod asks for
     *               one), sent as a bearer token; null sends none
     */
    public BackgroundLoad(String endpoint, String apiKey, String model, double ratePerSecond, int maxTokens) {
        LoadTestConfig config = LoadTestConfig.builder(endpoint).apiKey(apiKey).model(model).prompts(Prompts.builtIn())
                .rate(ratePerSecond).duration(CHUNK).maxTokens(maxTokens).metricsUrl("")
                .maxScheduleLag(Duration.ofSeconds(1)).build();
        thread = new Thread(() -> {
            while (!stopped) {
                try {
                    requests.addAndGet(LoadTest.run(config, Progress.NONE).results().requests());
                } catch (RuntimeException e) {
                    failure = e;
                    return;
                }
            }
        }, "canary-load-" + endpoint);
        thread.setDaemon(true);
        thread.start();
    }

    /** Requests sent in finished chunks. */
    public long requests() {
        return requests.get();
    }

    /** The failure that stopped the traffic, or null. */
    public RuntimeException failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(CHUNK.toMillis() * 3);
    }
}
