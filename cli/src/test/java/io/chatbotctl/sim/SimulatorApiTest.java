package io.chatbotctl.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAI/vLLM surface, read with the JDK's HTTP client. */
class SimulatorApiTest {
    static Simulator sim;

    @BeforeAll
    static void start() {
        sim = Simulator.start(SimConfig.builder().profile("fast").port(0).seed(7L).build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }

    @Test
    void streamsRoleContentFinishUsageAndDone() throws Exception {
        SimHttp.Stream s = SimHttp.stream(sim.baseUrl() + "/chat/completions", SimHttp.chat("Where is my order?", 6, true));
        assertEquals(200, s.status());
        List<SimHttp.Event> events = s.events();
        assertEquals("[DONE]", events.get(events.size() - 1).data());
        JsonNode role = json(events.get(0).data());
        assertEquals("chat.completion.chunk", role.get("object").asText());
        assertEquals("assistant", role.at("/choices/0/delta/role").asText());
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 6; i++) {
            JsonNode chunk = json(events.get(i).data());
            text.append(chunk.at("/choices/0/delta/content").asText());
            assertEquals(i == 6 ? "length" : null, chunk.at("/choices/0/finish_reason").textValue());
        }
        JsonNode usage = json(events.get(7).data());
        assertEquals(0, usage.get("choices").size());
        assertEquals(6, usage.at("/usage/completion_tokens").asInt());
        int prompt = Tokenizer.countChat(List.of(new ChatMessage("user", "Where is my order?")));
        assertEquals(prompt, usage.at("/usage/prompt_tokens").asInt());
        assertEquals(9, events.size());
        assertEquals(6, Tokenizer.count(text.toString()));
        assertTrue(text.toString().startsWith("Thanks"), text.toString());
    }

    @Test
    void answersKoreanInKorean() throws Exception {
        HttpResponse<String> r = SimHttp.post(sim.baseUrl() + "/chat/completions", SimHttp.chat("환불하고 싶어요", 0, false));
        assertEquals(200, r.statusCode());
        JsonNode body = json(r.body());
        assertEquals("chat.completion", body.get("object").asText());
        assertTrue(body.at("/choices/0/message/content").asText().startsWith("안녕하세요"));
        assertEquals("stop", body.at("/choices/0/finish_reason").asText());
        int out = body.at("/usage/completion_tokens").asInt();
        assertTrue(out >= 8 && out <= 32, "fast profile draws 8-32 tokens, got " + out);
        assertEquals(out, Tokenizer.count(body.at("/choices/0/message/content").asText()));
    }

    @Test
    void textCompletionsStreamWithoutRoleChunk() throws Exception {
        SimHttp.Stream s = SimHttp.stream(sim.baseUrl() + "/completions",
                "{\"prompt\":\"Hello\",\"max_tokens\":3,\"stream\":true}");
        assertEquals(200, s.status());
        assertEquals(4, s.events().size());
        JsonNode first = json(s.events().get(0).data());
        assertEquals("text_completion", first.get("object").asText());
        assertFalse(first.at("/choices/0/text").asText().isEmpty());
        assertEquals("length", json(s.events().get(2).data()).at("/choices/0/finish_reason").asText());
    }

    @Test
    void severalInstancesRunSideBySideWithTheirOwnProfiles() throws Exception {
        try (Simulator stable = Simulator.start(SimConfig.builder().profile("fast").port(0).build());
             Simulator canary = Simulator.start(SimConfig.builder().profile("a10g-llama-3.1-8b-awq")
                     .maxNumSeqs(4).port(0).build())) {
            assertTrue(stable.port() != canary.port());
            assertEquals(1.0, stable.config().itl().toMillis());
            assertEquals(14.0, canary.config().itl().toMillis());
            assertEquals(4, canary.config().maxNumSeqs());
            assertEquals(98_000, canary.config().kvCapacityTokens());
            for (Simulator s : List.of(stable, canary)) {
                assertEquals(200, SimHttp.post(s.baseUrl() + "/chat/completions", SimHttp.chat("hi", 2, false)).statusCode());
                // the record is added once the last byte is written, which can be just after the client has the answer
                Poll.until(() -> s.requestLog().size() == 1);
            }
        }
    }

    @Test
    void listsTheModelAndAnswersHealth() throws Exception {
        JsonNode models = json(SimHttp.get(sim.baseUrl() + "/models").body());
        assertEquals(SimConfig.DEFAULT_MODEL, models.at("/data/0/id").asText());
        assertEquals(8192, models.at("/data/0/max_model_len").asInt());
        assertEquals(200, SimHttp.get(sim.baseUrl().replace("/v1", "/health")).statusCode());
    }

    @Test
    void tokenizeCountsLikeUsage() throws Exception {
        String base = sim.baseUrl().replace("/v1", "");
        JsonNode t = json(SimHttp.post(base + "/tokenize",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Where is my order?\"}]}").body());
        assertEquals(Tokenizer.countChat(List.of(new ChatMessage("user", "Where is my order?"))), t.get("count").asInt());
        assertEquals(t.get("count").asInt(), t.get("tokens").size());
        JsonNode p = json(SimHttp.post(base + "/tokenize", "{\"prompt\":\"Hello, world 12345\"}").body());
        assertEquals(Tokenizer.BEGIN_OF_TEXT, p.at("/tokens/0").asInt());
        assertEquals(1 + Tokenizer.count("Hello, world 12345"), p.get("count").asInt());
    }

    @Test
    void badRequestsGetOpenAiShapedErrors() throws Exception {
        assertError(SimHttp.post(sim.baseUrl() + "/chat/completions", "{not json"), 400, null, "Invalid JSON");
        assertError(SimHttp.post(sim.baseUrl() + "/chat/completions",
                "{\"model\":\"gpt-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400, "model", "gpt-4");
        assertError(SimHttp.post(sim.baseUrl() + "/chat/completions", SimHttp.chat("hi", 9000, false)), 400,
                "max_tokens", "maximum context length is 8192");
        assertError(SimHttp.post(sim.baseUrl() + "/chat/completions", "{\"messages\":[]}"), 400, "messages", "messages");
        assertEquals(404, SimHttp.get(sim.baseUrl() + "/nothing").statusCode());
        assertEquals(405, SimHttp.get(sim.baseUrl() + "/chat/completions").statusCode());
    }

    private static void assertError(HttpResponse<String> r, int status, String param, String inMessage) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode e = json(r.body()).get("error");
        assertTrue(e.get("message").asText().contains(inMessage), e.toString());
        assertEquals("BadRequestError", e.get("type").asText());
        assertEquals(status, e.get("code").asInt());
        if (param == null) {
            assertNull(e.get("param").textValue());
        } else {
            assertEquals(param, e.get("param").asText());
        }
    }
}
