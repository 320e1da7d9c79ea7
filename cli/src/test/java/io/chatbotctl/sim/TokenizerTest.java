package io.chatbotctl.sim;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TokenizerTest {
    @Test
    void piecesFollowTheDocumentedRules() {
        assertEquals(List.of("Hello", ",", " world"), split("Hello, world"));
        assertEquals(List.of("Custom", "er", " suppor", "t"), split("Customer support"));
        assertEquals(List.of("123", "456", "7"), split("1234567"));
        assertEquals(List.of("안녕", "하세", "요"), split("안녕하세요"));
        assertEquals(List.of("a", "\n\n", "b"), split("a\n\nb"));
        assertEquals(List.of("a", "  ", " b"), split("a   b"));
        assertEquals(List.of("!", "!", "?"), split("!!?"));
        assertEquals(List.of(" \n"), split(" \n"));
    }

    @Test
    void piecesJoinBackToTheText() {
        for (String text : List.of(ResponseRules.KOREAN, ResponseRules.ENGLISH, "  leading and trailing  ",
                "emoji 😀 and tabs\tok", "mixed 한국어 text 2024년")) {
            assertEquals(text, String.join("", Tokenizer.pieces(text)));
            assertEquals(Tokenizer.pieces(text).size(), Tokenizer.count(text));
            assertEquals(Tokenizer.count(text), Tokenizer.ids(text).size());
        }
    }

    @Test
    void chatTemplateAddsLlama3Overhead() {
        List<ChatMessage> messages = List.of(new ChatMessage("system", "Be brief."), new ChatMessage("user", "Hi"));
        int content = Tokenizer.count("Be brief.") + Tokenizer.count("Hi");
        assertEquals(1 + 2 * 5 + content + 4, Tokenizer.countChat(messages));
        assertEquals(Tokenizer.countChat(messages), Tokenizer.encodeChat(messages).size());
        assertEquals(Tokenizer.ids("same text"), Tokenizer.ids("same text"));
    }

    private static List<String> split(String text) {
        return Tokenizer.pieces(text);
    }
}
