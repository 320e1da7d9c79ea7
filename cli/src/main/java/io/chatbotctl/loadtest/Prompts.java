package io.chatbotctl.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.core.IoErrors;
import io.chatbotctl.openai.ChatMessage;
import io.chatbotctl.core.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The conversations a load test sends: built-in Korean customer-support questions, or a file of JSONL lines
 * ({@code {"messages": [...]}} or {@code {"prompt": "..."}}) or ShareGPT-format JSON (an array of
 * {@code {"conversations": [{"from": "human", "value": ...}, ...]}}, of which each first human turn is used).
 */
public final class Prompts {
    private Prompts() {}

    private static final List<String> BUILT_IN = List.of(
            "주문한 상품이 아직 도착하지 않았어요. 주문번호 20241105-3381의 배송 상태를 알려주세요.",
            "지난주에 산 운동화가 사이즈가 맞지 않아요. 환불은 어떻게 신청하나요?",
            "결제하려고 하면 '오류 코드 E-101'이 떠요. 어떻게 해결하나요?",
            "멤버십 등급은 어떻게 올라가나요? 골드 등급 혜택도 알려주세요.",
            "비밀번호를 잊어버렸어요. 재설정 메일이 오지 않는데 어떻게 하죠?",
            "배송지 주소를 잘못 입력했어요. 이미 결제했는데 변경할 수 있나요?",
            "쿠폰이 적용되지 않아요. 유효기간은 아직 남아 있습니다.",
            "교환 신청한 상품은 언제 다시 발송되나요?",
            "앱에서 로그인하면 계속 로그아웃돼요. 해결 방법이 있나요?",
            "현금영수증을 발급받고 싶어요. 어디서 신청하나요?",
            "적립금은 언제 사라지나요? 소멸 예정 적립금을 확인하고 싶어요.",
            "상품이 파손되어 도착했어요. 사진을 첨부하면 바로 교환되나요?",
            "정기 구독을 해지하고 싶어요. 위약금이 있나요?",
            "해외 배송도 가능한가요? 배송비와 기간이 궁금해요.",
            "회원 탈퇴 후 다시 가입하면 기존 적립금을 쓸 수 있나요?",
            "상담원과 직접 통화하고 싶어요. 고객센터 운영 시간이 어떻게 되나요?");

    /** The built-in customer-support questions, one user message each. */
    public static List<List<ChatMessage>> builtIn() {
        return BUILT_IN.stream().map(q -> List.of(ChatMessage.user(q))).toList();
    }

    /** Reads a prompts file; a file that is neither JSONL of messages/prompt nor ShareGPT JSON is bad input. */
    public static List<List<ChatMessage>> load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read prompts file " + file + ": " + IoErrors.reason(e));
        }
        String trimmed = text.strip();
        List<List<ChatMessage>> prompts = trimmed.startsWith("[") ? shareGpt(file, trimmed) : jsonLines(file, text);
        if (prompts.isEmpty()) {
            throw new InvalidInputException("prompts file " + file + " has no prompts",
                    "write one {\"messages\": [...]} or {\"prompt\": \"...\"} per line");
        }
        return prompts;
    }

    private static List<List<ChatMessage>> jsonLines(Path file, String text) {
        List<List<ChatMessage>> prompts = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            JsonNode node = parse(file, line, i + 1);
            prompts.add(conversation(node, file + ":" + (i + 1)));
        }
        return prompts;
    }

    private static List<ChatMessage> conversation(JsonNode node, String where) {
        JsonNode messages = node.get("messages");
        if (messages != null && messages.isArray() && !messages.isEmpty()) {
            List<ChatMessage> list = new ArrayList<>();
            for (JsonNode m : messages) {
                String role = m.path("role").asText("");
                if (!List.of("system", "user", "assistant").contains(role) || !m.path("content").isTextual()) {
                    throw new InvalidInputException(where + ": each message needs a role (system, user, assistant) and a text content");
                }
                list.add(new ChatMessage(role, m.get("content").asText()));
            }
            return list;
        }
        JsonNode prompt = node.get("prompt");
        if (prompt != null && prompt.isTextual() && !prompt.asText().isBlank()) {
            return List.of(ChatMessage.user(prompt.asText()));
        }
        throw new InvalidInputException(where + ": expected {\"messages\": [...]} or {\"prompt\": \"...\"}");
    }

    private static List<List<ChatMessage>> shareGpt(Path file, String text) {
        JsonNode root = parse(file, text, 1);
        List<List<ChatMessage>> prompts = new ArrayList<>();
        int index = 0;
        for (JsonNode entry : root) {
            index++;
            JsonNode turns = entry.get("conversations");
            if (turns == null || !turns.isArray()) {
                if (entry.has("messages") || entry.has("prompt")) {
                    prompts.add(conversation(entry, file + " entry " + index));
                    continue;
                }
                throw new InvalidInputException(file + " entry " + index + ": expected ShareGPT {\"conversations\": [...]}");
            }
            for (JsonNode turn : turns) {
                String from = turn.path("from").asText(turn.path("role").asText(""));
                if (from.equals("human") || from.equals("user")) {
                    String value = turn.path("value").asText(turn.path("content").asText(""));
                    if (!value.isBlank()) {
                        prompts.add(List.of(ChatMessage.user(value)));
                    }
                    break;
                }
            }
        }
        return prompts;
    }

    private static JsonNode parse(Path file, String text, int line) {
        try {
            return Json.mapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidInputException(file + ":" + line + ": not JSON: " + e.getOriginalMessage());
        }
    }
}
