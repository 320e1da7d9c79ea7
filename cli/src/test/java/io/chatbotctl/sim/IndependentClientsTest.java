package io.chatbotctl.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.openai.ChatChunk;
import io.chatbotctl.openai.ChatMessage;
import io.chatbotctl.openai.ChatRequest;
import io.chatbotctl.openai.OpenAiClient;
import io.chatbotctl.openai.StreamResult;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.RealParts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The project's OpenAI client, Python's httpx and curl read the simulator's streams the same way. */
class IndependentClientsTest {
    static Simulator sim;
    static final String MESSAGE = "배송이 늦어요. Where is my order?";
    static final int MAX_TOKENS = 12;

    @BeforeAll
    static void start() {
        sim = Simulator.start(SimConfig.builder().profile("fast").port(0).build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static int expectedPromptTokens() {
        return Tokenizer.countChat(List.of(new io.chatbotctl.sim.ChatMessage("user", MESSAGE)));
    }

    @Test
    void projectOpenAiClient() {
        OpenAiClient client = OpenAiClient.create(sim.baseUrl(), null, Duration.ofSeconds(30));
        assertEquals(List.of(SimConfig.DEFAULT_MODEL), client.models());
        List<ChatChunk> chunks = new ArrayList<>();
        StreamResult r = client.streamChat(ChatRequest.of(SimConfig.DEFAULT_MODEL, List.of(ChatMessage.user(MESSAGE)))
                .withMaxTokens(MAX_TOKENS), (chunk, nanos) -> chunks.add(chunk));
        assertEquals("assistant", chunks.get(0).role());
        assertEquals(MAX_TOKENS, r.contentChunks());
        assertEquals("length", r.completion().finishReason());
        assertEquals(MAX_TOKENS, r.completion().usage().completionTokens());
        assertEquals(expectedPromptTokens(), r.completion().usage().promptTokens());
        assertTrue(r.completion().content().startsWith("안녕하세요"), r.completion().content());
        assertTrue(r.firstContentNanos() > r.startNanos());
    }

    @Test
    void pythonHttpx() throws Exception {
        Path python = RealParts.require("/usr/bin/python3", "apt-get install -y python3 python3-httpx");
        RealParts.require("/usr/lib/python3/dist-packages/httpx", "apt-get install -y python3-httpx");
        Path script = Files.createTempFile("read_stream", ".py");
        try (var in = IndependentClientsTest.class.getResourceAsStream("read_stream.py")) {
            Files.write(script, in.readAllBytes());
        }
        String out = run(python.toString(), script.toString(), sim.baseUrl(), SimConfig.DEFAULT_MODEL, MESSAGE,
                Integer.toString(MAX_TOKENS));
        JsonNode seen = Json.mapper().readTree(out);
        assertEquals(200, seen.get("status").asInt());
        assertTrue(seen.get("content_type").asText().startsWith("text/event-stream"));
        assertTrue(seen.get("role_first").asBoolean(), out);
        assertEquals(MAX_TOKENS, seen.get("content_chunks").asInt(), out);
        assertEquals("length", seen.get("finish_reason").asText());
        assertTrue(seen.get("finish_on_last_content").asBoolean(), out);
        assertEquals(MAX_TOKENS, seen.at("/usage/completion_tokens").asInt());
        assertEquals(expectedPromptTokens(), seen.at("/usage/prompt_tokens").asInt());
        assertTrue(seen.get("done_last").asBoolean(), out);
        assertEquals(MAX_TOKENS, Tokenizer.count(seen.get("content").asText()));
    }

    @Test
    void curlNoBuffer() throws Exception {
        Path curl = RealParts.require("/usr/bin/curl", "apt-get install -y curl");
        String body = SimHttp.chat("Where is my order?", MAX_TOKENS, true);
        String out = run(curl.toString(), "-sS", "-N", "--fail-with-body", "-H", "content-type: application/json",
                "-d", body, sim.baseUrl() + "/chat/completions");
        String[] blocks = out.split("\n\n");
        assertEquals(1 + MAX_TOKENS + 1 + 1, blocks.length, out);
        for (String b : blocks) {
            assertTrue(b.startsWith("data: "), b);
        }
        assertEquals("data: [DONE]", blocks[blocks.length - 1].trim());
        JsonNode role = Json.mapper().readTree(blocks[0].substring(6));
        assertEquals("assistant", role.at("/choices/0/delta/role").asText());
        JsonNode last = Json.mapper().readTree(blocks[MAX_TOKENS].substring(6));
        assertEquals("length", last.at("/choices/0/finish_reason").asText());
        JsonNode usage = Json.mapper().readTree(blocks[MAX_TOKENS + 1].substring(6));
        assertEquals(0, usage.get("choices").size());
        assertEquals(MAX_TOKENS, usage.at("/usage/completion_tokens").asInt());
        for (int i = 1; i < MAX_TOKENS; i++) {
            assertNull(Json.mapper().readTree(blocks[i].substring(6)).at("/choices/0/finish_reason").textValue());
        }
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + err);
        return new String(out, StandardCharsets.UTF_8);
    }
}
