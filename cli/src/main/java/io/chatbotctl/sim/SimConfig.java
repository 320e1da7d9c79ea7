package io.chatbotctl.sim;

import io.chatbotctl.core.InvalidInputException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Everything a simulator instance needs; build it with {@link #builder()}. A value not set comes from the profile.
 *
 * @param host              address to listen on
 * @param port              port to listen on; 0 picks a free one
 * @param model             the served model name ({@code /v1/models}, the {@code model_name} label)
 * @param profile           the preset the other values started from
 * @param maxNumSeqs        running slots; later requests wait in a FIFO queue
 * @param maxModelLen       context length: prompt + max_tokens above it is a 400
 * @param prefillPer1kTokens prefill time per 1,000 prompt tokens (part of TTFT)
 * @param itl               inter-token latency of a lone request; 0 emits tokens as fast as possible
 * @param itlJitter         uniform jitter of each gap, as a fraction (0.1 = ±10%)
 * @param batchSlowdown     extra inter-token latency with every slot busy, as a fraction (linear in running requests)
 * @param outputTokens      output length when a request sets no max_tokens
 * @param kvCapacityTokens  KV-cache capacity in tokens; overflowing it preempts the youngest running request
 * @param responses         rules file (YAML or JSONL) choosing answers, or null for the built-in support answers
 * @param errorRate         fraction of completion requests answered with {@code errorStatus} at once
 * @param errorStatus       500, 503 or 429
 * @param stallRate         fraction of completions that pause for {@code stall} halfway through
 * @param stall             the pause
 * @param disconnectRate    fraction of completions whose connection is dropped halfway through
 * @param startupDelay      how long {@code /health} and completions answer 503 ("loading the model")
 * @param seed              seed of the random draws (lengths, jitter, faults), or null for a random seed
 * @param requestLogLimit   how many of the latest per-request records {@link Simulator#requestLog()} keeps
 * @param vllmVersion       the vLLM version whose catalog of series {@code /metrics} serves ({@code vllm/catalog-V.yaml})
 */
public record SimConfig(String host, int port, String model, String profile, int maxNumSeqs, int maxModelLen,
                        Duration prefillPer1kTokens, Duration itl, double itlJitter, double batchSlowdown,
                        TokenRange outputTokens, long kvCapacityTokens, Path responses, double errorRate,
                        int errorStatus, double stallRate, Duration stall, double disconnectRate,
                        Duration startupDelay, Long seed, int requestLogLimit, String vllmVersion) {

    /** The project's served model name (chatbotctl.yaml {@code model}, vLLM {@code --served-model-name}). */
    public static final String DEFAULT_MODEL = io.chatbotctl.core.Defaults.MODEL;
    static final Set<Integer> ERROR_STATUSES = Set.of(500, 503, 429);

    public SimConfig {
        positive("--max-num-seqs", maxNumSeqs);
        positive("--max-model-len", maxModelLen);
        if (kvCapacityTokens < Engine.blocks(maxModelLen)) {
            throw new InvalidInputException("--kv-capacity-tokens (" + kvCapacityTokens
                    + ") cannot hold one request of --max-model-len (" + maxModelLen + ") tokens in blocks of "
                    + Engine.BLOCK_TOKENS,
                    "vLLM refuses to start when one full-length request does not fit in the KV cache");
        }
        nonNegative("--prefill-per-1k-tokens", prefillPer1kTokens);
        nonNegative("--itl", itl);
        nonNegative("--stall", stall);
        nonNegative("--startup-delay", startupDelay);
        fraction("--itl-jitter", itlJitter);
        fraction("--error-rate", errorRate);
        fraction("--stall-rate", stallRate);
        fraction("--disconnect-rate", disconnectRate);
        if (batchSlowdown < 0) {
            throw new InvalidInputException("--batch-slowdown must not be negative, got " + batchSlowdown);
        }
        if (!ERROR_STATUSES.contains(errorStatus)) {
            throw new InvalidInputException("--error-status must be 500, 503 or 429, got " + errorStatus);
        }
        if (port < 0 || port > 65535) {
            throw new InvalidInputException("--port must be between 0 and 65535, got " + port);
        }
        if (model == null || model.isBlank()) {
            throw new InvalidInputException("--model must not be empty");
        }
        vllmVersion = io.chatbotctl.core.vllm.VllmCatalog.load(vllmVersion).version();
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void positive(String option, long value) {
        if (value < 1) {
            throw new InvalidInputException(option + " must be at least 1, got " + value);
        }
    }

    private static void nonNegative(String option, Duration value) {
        if (value == null || value.isNegative()) {
            throw new InvalidInputException(option + " must not be negative");
        }
    }

    private static void fraction(String option, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new InvalidInputException(option + " must be between 0 and 1 (or 0% and 100%), got " + value);
        }
    }

    /** Every option of {@code chatbotctl sim}; unset values come from the profile (default {@code default}). */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private String model = DEFAULT_MODEL;
        private String profile = SimProfile.DEFAULT;
        private Integer maxNumSeqs;
        private Integer maxModelLen;
        private Duration prefillPer1kTokens;
        private Duration itl;
        private Double itlJitter;
        private Double batchSlowdown;
        private TokenRange outputTokens;
        private Long kvCapacityTokens;
        private Path responses;
        private double errorRate;
        private int errorStatus = 500;
        private double stallRate;
        private Duration stall = Duration.ofSeconds(2);
        private double disconnectRate;
        private Duration startupDelay = Duration.ZERO;
        private Long seed;
        private int requestLogLimit = 100_000;
        private String vllmVersion = io.chatbotctl.core.vllm.VllmCatalog.PINNED;

        public Builder host(String host) { this.host = host; return this; }
        public Builder port(int port) { this.port = port; return this; }
        public Builder model(String model) { this.model = model; return this; }
        public Builder profile(String profile) { this.profile = profile; return this; }
        public Builder maxNumSeqs(int v) { this.maxNumSeqs = v; return this; }
        public Builder maxModelLen(int v) { this.maxModelLen = v; return this; }
        public Builder prefillPer1kTokens(Duration v) { this.prefillPer1kTokens = v; return this; }
        public Builder itl(Duration v) { this.itl = v; return this; }
        public Builder itlJitter(double v) { this.itlJitter = v; return this; }
        public Builder batchSlowdown(double v) { this.batchSlowdown = v; return this; }
        public Builder outputTokens(TokenRange v) { this.outputTokens = v; return this; }
        public Builder outputTokens(int v) { return outputTokens(new TokenRange(v, v)); }
        public Builder kvCapacityTokens(long v) { this.kvCapacityTokens = v; return this; }
        public Builder responses(Path v) { this.responses = v; return this; }
        public Builder errorRate(double v) { this.errorRate = v; return this; }
        public Builder errorStatus(int v) { this.errorStatus = v; return this; }
        public Builder stallRate(double v) { this.stallRate = v; return this; }
        public Builder stall(Duration v) { this.stall = v; return this; }
        public Builder disconnectRate(double v) { this.disconnectRate = v; return this; }
        public Builder startupDelay(Duration v) { this.startupDelay = v; return this; }
        public Builder seed(Long v) { this.seed = v; return this; }
        public Builder requestLogLimit(int v) { this.requestLogLimit = v; return this; }
        public Builder vllmVersion(String v) { this.vllmVersion = v; return this; }

        public SimConfig build() {
            SimProfile p = SimProfile.named(profile);
            return new SimConfig(host, port, model, p.name(), or(maxNumSeqs, p.maxNumSeqs()),
                    or(maxModelLen, p.maxModelLen()), or(prefillPer1kTokens, p.prefillPer1kTokens()),
                    or(itl, p.itl()), or(itlJitter, p.itlJitter()), or(batchSlowdown, p.batchSlowdown()),
                    or(outputTokens, p.outputTokens()), or(kvCapacityTokens, p.kvCapacityTokens()), responses,
                    errorRate, errorStatus, stallRate, stall, disconnectRate, startupDelay, seed, requestLogLimit,
                    vllmVersion);
        }

        private static <T> T or(T value, T fallback) {
            return value != null ? value : fallback;
        }
    }
}
