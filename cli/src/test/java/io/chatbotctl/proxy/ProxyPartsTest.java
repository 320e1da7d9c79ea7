package io.chatbotctl.proxy;

import io.chatbotctl.config.ProxyConfig;
import io.chatbotctl.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxyPartsTest {
    private static final ProxyOptions.Flags NO_FLAGS = new ProxyOptions.Flags(null, null, null, null, null, null, null,
            null, null, null, null, null, null, null);

    @Test
    void localLimiterAdmitsOnTheEstimateSettlesOnTheRealCountAndHoldsConcurrency() {
        LocalLimiter limiter = new LocalLimiter();
        ApiKey key = new ApiKey("k", "sha256:" + "0".repeat(64), 0, 1000, 2, false, null);
        Decision a = limiter.admitNow(key, 600);
        assertTrue(a.admitted());
        assertEquals("tokens", limiter.admitNow(key, 600).limit(), "600 + 600 estimated is over 1000");
        limiter.settle(a, 100, "a");
        Decision b = limiter.admitNow(key, 600);
        assertTrue(b.admitted(), "settled at 100 real tokens, so 600 more fit");
        assertEquals(300, b.remainingTokens());
        Decision c = limiter.admitNow(key, 1);
        assertTrue(c.admitted());
        assertEquals("concurrency", limiter.admitNow(key, 1).limit(), "b and c still run");
        limiter.settle(c, 1, "c");
        assertTrue(limiter.admitNow(key, 1).admitted());
    }

    @Test
    void resetTextFollowsOpenAisFormat() {
        ApiKey key = new ApiKey("k", "h", 1, 1, 0, false, null);
        assertEquals("12ms", new Decision(key, null, 1, 1, 0, 12, 1, false).resetText());
        assertEquals("6s", new Decision(key, null, 1, 1, 0, 6000, 1, false).resetText());
        assertEquals("59.5s", new Decision(key, "requests", 1, 1, 0, 59_540, 1, false).resetText());
        assertEquals(60, new Decision(key, "requests", 1, 1, 0, 59_540, 1, false).retryAfterSeconds());
    }

    @Test
    void masksPersonalDataButNotOrdinaryNumbers() {
        String masked = PiiMask.mask("order 12345, a@b.co, +82 10-1234-5678, 5500 0000 0000 0004, 800101-2345678");
        assertEquals("order 12345, [EMAIL], [PHONE], [CARD], [RRN]", masked);
        assertEquals("ticket 1234567890123456 stays", PiiMask.mask("ticket 1234567890123456 stays"),
                "fails the Luhn check: not a card number");
    }

    @Test
    void estimatesKoreanAsATokenPerSyllable() {
        assertEquals(3, TokenEstimate.of("안녕하"));
        assertEquals(3, TokenEstimate.of("hello world"));
    }

    @Test
    void optionsComeFromFlagsThenEnvironmentThenConfig(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("prompt.txt"), "Be brief.\n");
        ProxyConfig file = new ProxyConfig("http://10.0.0.1:8000/v1", "127.0.0.1:18080", null, "/etc/keys.yaml",
                "redis://file:6379", "closed", dir.resolve("prompt.txt").toString(), "replace", "2MiB", 400, 512,
                null, true, "30s");
        ProxyOptions o = ProxyOptions.resolve(NO_FLAGS, file, Map.of(ProxyOptions.ENV_REDIS, "redis://env:6379"),
                "llama", dir);
        assertEquals("http://10.0.0.1:8000", o.upstream().toString());
        assertEquals(18080, o.listenPort());
        assertEquals(9400, o.metricsPort());
        assertEquals(Path.of("/etc/keys.yaml"), o.keysFile());
        assertEquals("redis://env:6379", o.redisUrl(), "the environment wins over the file");
        assertEquals(ProxyOptions.RedisFailure.CLOSED, o.redisFailure());
        assertEquals("Be brief.", o.systemPrompt());
        assertEquals(ProxyOptions.PromptPolicyMode.REPLACE, o.systemPromptPolicy());
        assertEquals(2L << 20, o.maxBodyBytes());
        assertEquals("llama", o.servedModel());
        assertTrue(o.logBodies());

        ProxyOptions defaults = ProxyOptions.resolve(NO_FLAGS, null, Map.of(ProxyOptions.ENV_KEYS, "k.yaml"), null, dir);
        assertEquals("http://127.0.0.1:8000", defaults.upstream().toString());
        assertEquals("0.0.0.0", defaults.listenHost());
        assertEquals(8080, defaults.listenPort());
        assertNull(defaults.redisUrl());
        assertEquals(ProxyOptions.RedisFailure.OPEN, defaults.redisFailure());
        assertEquals(1L << 20, defaults.maxBodyBytes());
        assertFalse(defaults.logBodies());

        assertThrows(InvalidInputException.class, () -> ProxyOptions.resolve(NO_FLAGS, null, Map.of(), null, dir));
        InvalidInputException bad = assertThrows(InvalidInputException.class, () -> ProxyOptions.resolve(
                new ProxyOptions.Flags(null, null, null, Path.of("k"), null, "sometimes", null, null, null, null, null,
                        null, null, null), null, Map.of(), null, dir));
        assertTrue(bad.getMessage().contains("--redis-failure sometimes"), bad.getMessage());
    }

    @Test
    void keysFileRejectsAKeyInPlaceOfItsHash(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("keys.yaml");
        Files.writeString(f, "keys:\n  - name: web\n    hash: cbk-plaintext\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> KeysFile.read(f));
        assertTrue(e.getMessage().contains("keys[0].hash"), e.getMessage());
        Files.writeString(f, "keys:\n  - name: web\n    hash: sha256:" + "0".repeat(64) + "\n    key: cbk-plaintext\n");
        InvalidInputException unknown = assertThrows(InvalidInputException.class, () -> KeysFile.read(f));
        assertTrue(unknown.getMessage().contains("keys[0].key: unknown field"), unknown.getMessage());
    }
}
