package io.chatbotctl.proxy;

import io.chatbotctl.config.ProxyConfig;
import io.chatbotctl.core.Durations;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Sizes;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Everything {@code chatbotctl proxy} runs with, resolved: flag, then {@code CHATBOTCTL_PROXY_*}, then the
 * {@code proxy:} block of {@code chatbotctl.yaml}, then the defaults below.
 *
 * @param systemPrompt     the system prompt's text, or null for none
 * @param maxInputTokens   input-token ceiling (estimated prompt tokens), 0 for none
 * @param maxTokensCeiling ceiling on {@code max_tokens}; also the value given to requests that set none; 0 for none
 * @param servedModel      the only model accepted; null accepts any
 */
public record ProxyOptions(URI upstream, String listenHost, int listenPort, String metricsHost, int metricsPort,
                           Path keysFile, String redisUrl, RedisFailure redisFailure, String systemPrompt,
                           PromptPolicyMode systemPromptPolicy, long maxBodyBytes, int maxInputTokens,
                           int maxTokensCeiling, String servedModel, boolean logBodies, Duration upstreamTimeout,
                           Duration keysPollInterval) {

    public static final String DEFAULT_UPSTREAM = "http://127.0.0.1:8000";
    public static final String DEFAULT_LISTEN = "0.0.0.0:8080";
    public static final String DEFAULT_METRICS_LISTEN = "0.0.0.0:9400";
    public static final String DEFAULT_MAX_BODY = "1MiB";
    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(60);
    public static final String ENV_KEYS = "CHATBOTCTL_PROXY_KEYS";
    public static final String ENV_REDIS = "CHATBOTCTL_PROXY_REDIS_URL";

    /** What to do when Redis cannot be reached: limit on this replica's own counters, or refuse with 503. */
    public enum RedisFailure { OPEN, CLOSED }

    /** How the configured system prompt meets the client's system messages. */
    public enum PromptPolicyMode { PREPEND, REPLACE, DEFAULT }

    /** Values given as flags (null when not given); strings as typed. */
    public record Flags(String upstream, String listen, String metricsListen, Path keys, String redis,
                        String redisFailure, Path systemPrompt, String systemPromptPolicy, Long maxBodyBytes,
                        Integer maxInputTokens, Integer maxTokensCeiling, String servedModel, Boolean logBodies,
                        Duration upstreamTimeout) {
    }

    /**
     * @param configModel the service's model from {@code chatbotctl.yaml}, the served model when none is given
     * @param workingDir  what relative flag paths resolve against
     */
    public static ProxyOptions resolve(Flags flags, ProxyConfig file, Map<String, String> env, String configModel,
                                       Path workingDir) {
        ProxyConfig f = file == null ? ProxyConfig.EMPTY : file;
        URI upstream = upstream(first(flags.upstream(), f.upstream(), DEFAULT_UPSTREAM));
        String[] listen = hostPort(first(flags.listen(), f.listen(), DEFAULT_LISTEN), "--listen");
        String[] metrics = hostPort(first(flags.metricsListen(), f.metricsListen(), DEFAULT_METRICS_LISTEN),
                "--metrics-listen");
        String keys = flags.keys() != null ? workingDir.resolve(flags.keys()).toString()
                : first(blankToNull(env.get(ENV_KEYS)), f.keys(), null);
        if (keys == null) {
            throw new InvalidInputException("no keys file given",
                    "pass --keys FILE (create one with 'chatbotctl proxy keys create NAME --keys FILE'), set "
                            + ENV_KEYS + " or proxy.keys in chatbotctl.yaml");
        }
        String redis = first(flags.redis(), blankToNull(env.get(ENV_REDIS)), f.redis());
        if (redis != null && !redis.startsWith("redis://") && !redis.startsWith("rediss://")) {
            throw new InvalidInputException("--redis " + redis + " is not a redis:// or rediss:// URL",
                    "e.g. --redis redis://my-cache.abc123.use1.cache.amazonaws.com:6379");
        }
        RedisFailure failure = choice(RedisFailure.class, first(flags.redisFailure(), f.redisFailure(), "open"),
                "--redis-failure");
        String promptPath = flags.systemPrompt() != null ? workingDir.resolve(flags.systemPrompt()).toString()
                : f.systemPrompt();
        PromptPolicyMode mode = choice(PromptPolicyMode.class,
                first(flags.systemPromptPolicy(), f.systemPromptPolicy(), "prepend"), "--system-prompt-policy");
        long maxBody = flags.maxBodyBytes() != null ? flags.maxBodyBytes()
                : Sizes.parseBytes(first(f.maxBody(), DEFAULT_MAX_BODY));
        if (maxBody <= 0 || maxBody > Integer.MAX_VALUE) {
            throw new InvalidInputException("--max-body must be between 1 B and 2 GiB");
        }
        Duration timeout = flags.upstreamTimeout() != null ? flags.upstreamTimeout()
                : f.upstreamTimeout() != null ? Durations.parse(f.upstreamTimeout()) : DEFAULT_UPSTREAM_TIMEOUT;
        if (timeout.isZero() || timeout.isNegative()) {
            throw new InvalidInputException("--upstream-timeout must be positive");
        }
        return new ProxyOptions(upstream, listen[0], Integer.parseInt(listen[1]), metrics[0],
                Integer.parseInt(metrics[1]), Path.of(keys), redis, failure, promptPath == null ? null : read(promptPath),
                mode, maxBody, nonNegative(flags.maxInputTokens(), f.maxInputTokens(), "--max-input-tokens"),
                nonNegative(flags.maxTokensCeiling(), f.maxTokensCeiling(), "--max-tokens-ceiling"),
                first(flags.servedModel(), f.servedModel(), configModel),
                Boolean.TRUE.equals(flags.logBodies()) || Boolean.TRUE.equals(f.logBodies()), timeout,
                Duration.ofSeconds(1));
    }

    /** The same options with another keys-file poll interval (tests rotate keys faster). */
    public ProxyOptions withKeysPollInterval(Duration interval) {
        return new ProxyOptions(upstream, listenHost, listenPort, metricsHost, metricsPort, keysFile, redisUrl,
                redisFailure, systemPrompt, systemPromptPolicy, maxBodyBytes, maxInputTokens, maxTokensCeiling,
                servedModel, logBodies, upstreamTimeout, interval);
    }

    private static URI upstream(String value) {
        try {
            URI uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            if (uri.getPath() != null && uri.getPath().endsWith("/v1")) {
                uri = URI.create(value.substring(0, value.lastIndexOf("/v1")));
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--upstream " + value + " is not an http:// URL",
                    "the vLLM server on loopback, e.g. --upstream http://127.0.0.1:8000");
        }
    }

    static String[] hostPort(String value, String option) {
        int colon = value.lastIndexOf(':');
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            if (colon <= 0 || port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            String host = value.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new String[]{host, Integer.toString(port)};
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new InvalidInputException(option + " " + value + " is not HOST:PORT", "e.g. " + option + " 0.0.0.0:8080");
        }
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path)).strip();
        } catch (IOException e) {
            throw new InvalidInputException("cannot read the system prompt " + path + ": " + e.getMessage());
        }
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String value, String option) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(option + " " + value + " is not one of "
                    + java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    private static int nonNegative(Integer flag, Integer file, String option) {
        int value = flag != null ? flag : file != null ? file : 0;
        if (value < 0) {
            throw new InvalidInputException(option + " must not be negative");
        }
        return value;
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
