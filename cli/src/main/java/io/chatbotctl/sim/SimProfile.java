package io.chatbotctl.sim;

import io.chatbotctl.core.InvalidInputException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named preset of the latency and capacity model. Explicit options override the profile's values.
 *
 * @param name               the name given to {@code --profile}
 * @param description        what it imitates
 * @param maxNumSeqs         running slots (vLLM {@code --max-num-seqs})
 * @param maxModelLen        context length in tokens (vLLM {@code --max-model-len})
 * @param prefillPer1kTokens prefill time per 1,000 prompt tokens
 * @param itl                inter-token latency of a lone request
 * @param itlJitter          uniform jitter of each inter-token gap, as a fraction of it (0.1 = ±10%)
 * @param batchSlowdown      how much longer a token takes with every slot busy (1.0 = twice as long), linear between
 * @param outputTokens       output length when the request sets no {@code max_tokens}
 * @param kvCapacityTokens   tokens the KV cache holds across all running requests
 */
public record SimProfile(String name, String description, int maxNumSeqs, int maxModelLen, Duration prefillPer1kTokens,
                         Duration itl, double itlJitter, double batchSlowdown, TokenRange outputTokens,
                         long kvCapacityTokens) {

    public static final String DEFAULT = "default";
    public static final String FAST = "fast";
    public static final String A10G = "a10g-llama-3.1-8b-awq";

    private static final Map<String, SimProfile> PROFILES = new LinkedHashMap<>();

    static {
        add(new SimProfile(DEFAULT, "vLLM's defaults with round figures: 20 ms per token, 256 slots",
                256, 8192, Duration.ofMillis(50), Duration.ofMillis(20), 0.0, 0.0, new TokenRange(64, 256), 262_144));
        add(new SimProfile(FAST, "for tests and demos: 1 ms per token, short answers",
                256, 8192, Duration.ofMillis(2), Duration.ofMillis(1), 0.0, 0.0, new TokenRange(8, 32), 262_144));
        add(new SimProfile(A10G, "approximately one NVIDIA A10G (24 GB) serving Llama-3.1-8B-Instruct AWQ int4 on vLLM",
                256, 8192, Duration.ofMillis(180), Duration.ofMillis(14), 0.05, 2.0, new TokenRange(100, 400), 98_000));
    }

    private static void add(SimProfile p) {
        PROFILES.put(p.name(), p);
    }

    public static SimProfile named(String name) {
        SimProfile p = PROFILES.get(name == null ? DEFAULT : name);
        if (p == null) {
            throw new InvalidInputException("unknown simulator profile '" + name + "'",
                    "use one of: " + String.join(", ", PROFILES.keySet()));
        }
        return p;
    }

    public static Map<String, SimProfile> all() {
        return java.util.Collections.unmodifiableMap(PROFILES);
    }
}
