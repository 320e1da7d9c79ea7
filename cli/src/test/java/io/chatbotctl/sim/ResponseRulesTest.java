package io.chatbotctl.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseRulesTest {
    @TempDir
    Path dir;

    @Test
    void yamlRulesFirstMatchWinsThenDefault() throws Exception {
        Path file = dir.resolve("responses.yaml");
        Files.writeString(file, """
                rules:
                  - contains: 환불
                    answer: 환불은 구매 후 7일 이내에 가능합니다.
                  - regex: "(?i)\\\\brefund\\\\b"
                    answer: Refunds are possible within 7 days of purchase.
                  - contains: refund policy
                    answer: never chosen, the rule above matches first
                default: Sorry, I can only help with orders and refunds.
                """);
        try (Simulator sim = Simulator.start(SimConfig.builder().profile("fast").port(0).responses(file).build())) {
            assertEquals("환불은 구매 후 7일 이내에 가능합니다.", answer(sim, "환불 요청합니다"));
            assertEquals("Refunds are possible within 7 days of purchase.", answer(sim, "What is your REFUND policy?"));
            assertEquals("Sorry, I can only help with orders and refunds.", answer(sim, "hello"));
        }
    }

    @Test
    void jsonlRulesAndLengthLimit() throws Exception {
        Path file = dir.resolve("responses.jsonl");
        Files.writeString(file, """
                {"contains": "shipping", "answer": "Shipping takes 2 to 3 business days."}
                {"default": "Please contact a human agent."}
                """);
        try (Simulator sim = Simulator.start(SimConfig.builder().profile("fast").port(0).responses(file).build())) {
            assertEquals("Shipping takes 2 to 3 business days.", answer(sim, "how long is shipping?"));
            JsonNode cut = Json.mapper().readTree(SimHttp.post(sim.baseUrl() + "/chat/completions",
                    SimHttp.chat("shipping", 3, false)).body());
            assertEquals("length", cut.at("/choices/0/finish_reason").asText());
            assertEquals(3, cut.at("/usage/completion_tokens").asInt());
            assertTrue("Shipping takes 2 to 3 business days.".startsWith(cut.at("/choices/0/message/content").asText()));
        }
    }

    @Test
    void invalidFilesAreBadInput() throws Exception {
        Path noAnswer = dir.resolve("bad.yaml");
        Files.writeString(noAnswer, "rules:\n  - contains: x\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ResponseRules.load(noAnswer));
        assertTrue(e.getMessage().contains("rule 1: 'answer' is missing"), e.getMessage());
        Path badRegex = dir.resolve("bad.jsonl");
        Files.writeString(badRegex, "{\"regex\": \"(\", \"answer\": \"a\"}\n");
        e = assertThrows(InvalidInputException.class, () -> ResponseRules.load(badRegex));
        assertTrue(e.getMessage().contains("line 1: invalid regex"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> ResponseRules.load(dir.resolve("missing.yaml")));
    }

    static String answer(Simulator sim, String message) throws Exception {
        JsonNode body = Json.mapper().readTree(SimHttp.post(sim.baseUrl() + "/chat/completions",
                SimHttp.chat(message, 0, false)).body());
        assertEquals("stop", body.at("/choices/0/finish_reason").asText());
        return body.at("/choices/0/message/content").asText();
    }
}
