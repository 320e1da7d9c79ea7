package io.chatbotctl.openai;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The streaming chunk parser reads what the tree parser read, in any field order, and fails the same ways. */
class ChunkParserTest {

    private static ChatChunk chunk(String json) {
        byte[] bytes = ("xx" + json + "yy").getBytes(StandardCharsets.UTF_8);
        return ChunkParser.chunk(bytes, 2, bytes.length - 4);
    }

    @Test
    void readsChatTextAndUsageChunksInAnyFieldOrder() {
        ChatChunk role = chunk("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}");
        assertEquals(new ChatChunk("c1", "m", "assistant", "", null, null, true), role);
        assertFalse(role.hasContent());

        ChatChunk content = chunk("{\"choices\":[{\"finish_reason\":\"stop\",\"delta\":{\"content\":\"배송\\n\\\"중\\\"\",\"tool_calls\":[{\"a\":[1,{}]}]},"
                + "\"index\":0},{\"index\":1,\"delta\":{\"content\":\"ignored\"}}],\"model\":\"m\",\"id\":\"c1\",\"extra\":{\"x\":[null]}}");
        assertEquals(new ChatChunk("c1", "m", null, "배송\n\"중\"", "stop", null, true), content);

        assertEquals("환불", chunk("{\"id\":\"t\",\"choices\":[{\"index\":0,\"text\":\"환불\",\"finish_reason\":null}]}").content());
        assertNull(chunk("{\"choices\":[{\"delta\":null,\"text\":\"not read when delta is there\"}]}").content());

        ChatChunk usage = chunk("{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":12,\"total_tokens\":43}}");
        assertFalse(usage.hasChoices());
        assertEquals(new Usage(31, 12, 43), usage.usage());
        assertNull(chunk("{\"id\":\"c1\",\"choices\":[],\"usage\":null}").usage());
    }

    @Test
    void errorObjectsAndBadJsonFailWithTheirKinds() {
        OpenAiException openAi = assertThrows(OpenAiException.class, () -> chunk("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}"));
        assertEquals(OpenAiException.Kind.ERROR_EVENT, openAi.kind());
        assertEquals("error in stream: overloaded", openAi.getMessage());

        OpenAiException vllm = assertThrows(OpenAiException.class,
                () -> chunk("{\"message\":\"The engine is dead\",\"object\":\"error\",\"code\":500}"));
        assertEquals(OpenAiException.Kind.ERROR_EVENT, vllm.kind());
        assertEquals(500, vllm.status());
        assertTrue(vllm.getMessage().contains("The engine is dead"));

        assertEquals("c", chunk("{\"id\":\"c\",\"error\":null,\"choices\":[]}").id(), "a null error is no error");
        assertEquals(OpenAiException.Kind.MALFORMED_STREAM, assertThrows(OpenAiException.class, () -> chunk("{\"choices\": [")).kind());
        assertEquals(OpenAiException.Kind.MALFORMED_STREAM, assertThrows(OpenAiException.class, () -> chunk("[1,2]")).kind());
        assertEquals(OpenAiException.Kind.MALFORMED_STREAM, assertThrows(OpenAiException.class, () -> chunk("")).kind());
    }
}
