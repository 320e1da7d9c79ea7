package io.chatbotctl.loadtest;

import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.openai.ChatMessage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one load test does. Closed loop when {@link #rate} is null ({@link #concurrency} workers, each sending its
 * next request when the last one ended), open loop otherwise ({@link #rate} requests per second on an absolute
 * schedule, whatever the server does). Build one with {@link #builder(String)}.
 *
 * @param endpoint        OpenAI base URL ({@code http://host:8000/v1})
 * @param apiKey          bearer token, or null
 * @param model           model id; null means the first of {@code /v1/models}
 * @param prompts         conversations sent in turn (round robin)
 * @param systemPrompt    prepended as a system message when not null
 * @param maxTokens       {@code max_tokens} of every request
 * @param temperature     {@code temperature}, or null for the server's default
 * @param ignoreEos       send vLLM's {@code ignore_eos}, so every answer is exactly {@code maxTokens} long
 * @param seed            seeds the server ({@code seed}) and the Poisson schedule; null: server default, schedule seed 1
 * @param headers         extra HTTP headers on every request (e.g. {@code X-Canary: always})
 * @param concurrency     closed loop: workers; open loop: ignored
 * @param requests        measured requests to send (after warmup); 0 when {@link #duration} decides
 * @param duration        measured time to send for (after warmup); null when {@link #requests} decides
 * @param rate            open loop: requests per second; null for closed loop
 * @param arrival         open loop: constant or Poisson gaps
 * @param maxInFlight     open loop: most requests outstanding at once; later ones wait (and their wait counts)
 * @param rampUp          closed loop: workers start evenly over this time; open loop: the rate rises linearly
 * @param warmupTime      requests sent within this time from the start are not recorded
 * @param warmupRequests  the first this many requests are not recorded
 * @param timeout         longest silence within a response
 * @param slos            gates evaluated on the result (and used for goodput)
 * @param metricsUrl      the server's Prometheus {@code /metrics}; null derives it from the endpoint; "" disables
 * @param maxScheduleLag  the run is INVALID when the schedule lag's P99 exceeds this
 * @param hdrLogDir       when not null, HdrHistogram interval logs (one per metric) are written here
 * @param observer        sees every request as it ends (e.g. to keep per-request records)
 * @param configuredEndpoint the endpoint as configured, when requests go to {@code endpoint} in its stead (a local
 *                        relay through the Kubernetes API server, docs/access.md); null: {@code endpoint} itself
 * @param access          how the endpoint is reached, for the report: {@code direct} or {@code api-server}
 */
public record LoadTestConfig(String endpoint, String apiKey, String model, List<List<ChatMessage>> prompts,
                             String systemPrompt, int maxTokens, boolean ignoreEos, Double temperature, Long seed,
                             Map<String, String> headers, int concurrency, long requests, Duration duration,
                             Double rate, Arrival arrival, int maxInFlight, Duration rampUp, Duration warmupTime,
                             long warmupRequests, Duration timeout, List<Slo> slos, String metricsUrl,
                             Duration maxScheduleLag, Path hdrLogDir, RequestSample.Observer observer,
                             String configuredEndpoint, String access) {

    public LoadTestConfig {
        prompts = List.copyOf(prompts);
        headers = Map.copyOf(headers);
        slos = List.copyOf(slos);
        if (prompts.isEmpty()) {
            throw new InvalidInputException("no prompts to send", "give --prompts FILE with at least one prompt");
        }
        if (rate == null && concurrency < 1) {
            throw new InvalidInputException("--concurrency must be at least 1, not " + concurrency);
        }
        if (rate != null && !(rate > 0)) {
            throw new InvalidInputException("--rate must be above 0, not " + rate);
        }
        if (requests <= 0 && duration == null) {
            throw new InvalidInputException("say how long to run", "give --requests N or --duration 1m");
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new InvalidInputException("--duration must be above 0");
        }
        if (maxTokens < 1) {
            throw new InvalidInputException("--max-tokens must be at least 1, not " + maxTokens);
        }
        if (maxInFlight < 1) {
            throw new InvalidInputException("--max-in-flight must be at least 1, not " + maxInFlight);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new InvalidInputException("--timeout must be above 0 (0 would wait for ever)");
        }
    }

    /** The endpoint as the user gave it (for reports): {@code configuredEndpoint}, else {@code endpoint}. */
    public String shownEndpoint() {
        return configuredEndpoint != null ? configuredEndpoint : endpoint;
    }

    public boolean openLoop() {
        return rate != null;
    }

    public static Builder builder(String endpoint) {
        return new Builder(endpoint);
    }

    public Builder toBuilder() {
        Builder b = new Builder(endpoint);
        b.apiKey = apiKey;
        b.model = model;
        b.prompts = prompts;
        b.systemPrompt = systemPrompt;
        b.maxTokens = maxTokens;
        b.ignoreEos = ignoreEos;
        b.temperature = temperature;
        b.seed = seed;
        b.headers = new LinkedHashMap<>(headers);
        b.concurrency = concurrency;
        b.requests = requests;
        b.duration = duration;
        b.rate = rate;
        b.arrival = arrival;
        b.maxInFlight = maxInFlight;
        b.rampUp = rampUp;
        b.warmupTime = warmupTime;
        b.warmupRequests = warmupRequests;
        b.timeout = timeout;
        b.slos = slos;
        b.metricsUrl = metricsUrl;
        b.maxScheduleLag = maxScheduleLag;
        b.hdrLogDir = hdrLogDir;
        b.observer = observer;
        b.configuredEndpoint = configuredEndpoint;
        b.access = access;
        return b;
    }

    /** Defaults: built-in prompts, 256 tokens, concurrency 1, 100 requests, 60 s timeout, 10 ms lag allowance. */
    public static final class Builder {
        private final String endpoint;
        private String apiKey;
        private String model;
        private List<List<ChatMessage>> prompts = Prompts.builtIn();
        private String systemPrompt;
        private int maxTokens = 256;
        private boolean ignoreEos;
        private Double temperature;
        private Long seed;
        private Map<String, String> headers = new LinkedHashMap<>();
        private int concurrency = 1;
        private long requests;
        private Duration duration;
        private Double rate;
        private Arrival arrival = Arrival.CONSTANT;
        private int maxInFlight = 10_000;
        private Duration rampUp = Duration.ZERO;
        private Duration warmupTime = Duration.ZERO;
        private long warmupRequests;
        private Duration timeout = Duration.ofSeconds(60);
        private List<Slo> slos = List.of();
        private String metricsUrl;
        private Duration maxScheduleLag = Duration.ofMillis(10);
        private Path hdrLogDir;
        private RequestSample.Observer observer = RequestSample.Observer.NONE;
        private String configuredEndpoint;
        private String access = "direct";

        private Builder(String endpoint) {
            this.endpoint = endpoint;
        }

        public Builder apiKey(String v) { apiKey = v; return this; }
        public Builder model(String v) { model = v; return this; }
        public Builder prompts(List<List<ChatMessage>> v) { prompts = v; return this; }
        public Builder systemPrompt(String v) { systemPrompt = v; return this; }
        public Builder maxTokens(int v) { maxTokens = v; return this; }
        public Builder ignoreEos(boolean v) { ignoreEos = v; return this; }
        public Builder temperature(Double v) { temperature = v; return this; }
        public Builder seed(Long v) { seed = v; return this; }
        public Builder headers(Map<String, String> v) { headers = new LinkedHashMap<>(v); return this; }
        public Builder header(String name, String value) { headers.put(name, value); return this; }
        /** Closed loop with this many workers. */
        public Builder concurrency(int v) { concurrency = v; rate = null; return this; }
        public Builder requests(long v) { requests = v; return this; }
        public Builder duration(Duration v) { duration = v; return this; }
        /** Open loop at this many requests per second. */
        public Builder rate(double v) { rate = v; return this; }
        public Builder arrival(Arrival v) { arrival = v; return this; }
        public Builder maxInFlight(int v) { maxInFlight = v; return this; }
        public Builder rampUp(Duration v) { rampUp = v; return this; }
        public Builder warmupTime(Duration v) { warmupTime = v; return this; }
        public Builder warmupRequests(long v) { warmupRequests = v; return this; }
        public Builder timeout(Duration v) { timeout = v; return this; }
        public Builder slos(List<Slo> v) { slos = v; return this; }
        public Builder metricsUrl(String v) { metricsUrl = v; return this; }
        public Builder maxScheduleLag(Duration v) { maxScheduleLag = v; return this; }
        public Builder hdrLogDir(Path v) { hdrLogDir = v; return this; }
        public Builder observer(RequestSample.Observer v) { observer = v; return this; }
        /** The endpoint is a relay standing for {@code configured}, reached as {@code access} ({@code api-server}). */
        public Builder reachedAs(String configured, String access) { configuredEndpoint = configured; this.access = access; return this; }

        /**
         * The loop as the command line gives it: open loop at {@code rate} requests per second, else a closed loop of
         * {@code concurrency} workers (1 when neither is given); both at once is an error.
         */
        public Builder loop(Double rate, Integer concurrency) {
            if (rate != null && concurrency != null) {
                throw new InvalidInputException("--rate (open loop) and --concurrency (closed loop) exclude each other");
            }
            return rate != null ? rate(rate) : concurrency(concurrency == null ? 1 : concurrency);
        }

        /** {@code --warmup}: a count of requests ({@code 20}) or a time ({@code 30s}) left out of the results. */
        public Builder warmup(String countOrTime) {
            if (countOrTime == null) {
                return this;
            }
            return countOrTime.strip().matches("\\d+") ? warmupRequests(Long.parseLong(countOrTime.strip()))
                    : warmupTime(io.chatbotctl.core.Durations.parse(countOrTime));
        }

        public LoadTestConfig build() {
            return new LoadTestConfig(endpoint, apiKey, model, prompts, systemPrompt, maxTokens, ignoreEos, temperature, seed,
                    headers, concurrency, requests <= 0 && duration == null ? 100 : requests, duration, rate,
                    arrival, maxInFlight, rampUp, warmupTime, warmupRequests, timeout, slos, metricsUrl,
                    maxScheduleLag, hdrLogDir, observer, configuredEndpoint, access);
        }
    }
}
