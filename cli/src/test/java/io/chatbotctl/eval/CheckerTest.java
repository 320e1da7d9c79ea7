package io.chatbotctl.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatbotctl.core.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckerTest {
    static final String KO = "환불은 상품을 받으신 날로부터 7일 이내에 신청하실 수 있습니다. 영업일 기준 3~5일 안에 환불됩니다.";
    static final String EN = "You can request a refund within 7 days of delivery. Open Order History and choose Request refund.";

    private final Checker checker = new Checker(null, null);

    /** Parses one assertion the way a dataset line is parsed. */
    static AssertionSpec spec(String json) {
        String line = "{\"id\":\"t\",\"input\":\"q\",\"metadata\":{\"category\":\"c\"},\"assert\":[" + json + "]}";
        return Dataset.parseCase(line, "test:1").assertions().get(0);
    }

    private AssertionResult check(String json, String answer) {
        return checker.check(spec(json), new Answer(answer, 120.0, 30, false));
    }

    private void passes(String json, String answer) {
        AssertionResult r = check(json, answer);
        assertTrue(r.pass(), json + " on '" + answer + "': " + r.reason());
    }

    private void fails(String json, String answer) {
        AssertionResult r = check(json, answer);
        assertFalse(r.pass(), json + " on '" + answer + "' should fail: " + r.reason());
    }

    @Test
    void equals() {
        passes("{\"type\":\"equals\",\"value\":\"OK\"}", "OK");
        fails("{\"type\":\"equals\",\"value\":\"OK\"}", "OK.");
        passes("{\"type\":\"equals\",\"value\":\"네, 확인했습니다\"}", "네, 확인했습니다");
        passes("{\"type\":\"not-equals\",\"value\":\"OK\"}", "ok");
        fails("{\"type\":\"not-equals\",\"value\":\"OK\"}", "OK");
    }

    @Test
    void containsAndIcontains() {
        passes("{\"type\":\"contains\",\"value\":\"7일 이내\"}", KO);
        fails("{\"type\":\"contains\",\"value\":\"30일\"}", KO);
        fails("{\"type\":\"contains\",\"value\":\"order history\"}", EN);
        passes("{\"type\":\"icontains\",\"value\":\"order history\"}", EN);
        passes("{\"type\":\"not-contains\",\"value\":\"환불 불가\"}", KO);
        fails("{\"type\":\"not-contains\",\"value\":\"환불\"}", KO);
        fails("{\"type\":\"not-icontains\",\"value\":\"REFUND\"}", EN);
    }

    @Test
    void containsAnyAndAll() {
        passes("{\"type\":\"contains-any\",\"value\":[\"30일\",\"영업일\"]}", KO);
        fails("{\"type\":\"contains-any\",\"value\":[\"30일\",\"교환\"]}", KO);
        passes("{\"type\":\"contains-all\",\"value\":[\"7일\",\"영업일\"]}", KO);
        AssertionResult missing = check("{\"type\":\"contains-all\",\"value\":[\"7일\",\"교환\"]}", KO);
        assertFalse(missing.pass());
        assertTrue(missing.reason().contains("교환"), missing.reason());
        passes("{\"type\":\"icontains-all\",\"value\":[\"ORDER HISTORY\",\"request refund\"]}", EN);
        passes("{\"type\":\"icontains-any\",\"value\":[\"nope\",\"REFUND\"]}", EN);
        passes("{\"type\":\"not-contains-any\",\"value\":[\"주민등록번호\",\"카드 번호\"]}", KO);
        fails("{\"type\":\"not-contains-any\",\"value\":[\"주민등록번호\",\"환불\"]}", KO);
        passes("{\"type\":\"not-contains-all\",\"value\":[\"환불\",\"주민등록번호\"]}", KO);
        fails("{\"type\":\"not-contains-all\",\"value\":[\"환불\",\"7일\"]}", KO);
        fails("{\"type\":\"not-icontains-any\",\"value\":[\"REFUND\"]}", EN);
        fails("{\"type\":\"not-icontains-all\",\"value\":[\"REFUND\",\"days\"]}", EN);
    }

    @Test
    void regexFindsAnywhereWithFlags() {
        passes("{\"type\":\"regex\",\"value\":\"영업일\\\\s*기준\\\\s*\\\\d\"}", KO);
        passes("{\"type\":\"regex\",\"value\":\"\\\\b7 DAYS\\\\b\",\"flags\":\"i\"}", EN);
        fails("{\"type\":\"regex\",\"value\":\"\\\\b7 DAYS\\\\b\"}", EN);
        passes("{\"type\":\"regex\",\"value\":\"^Open\",\"flags\":\"m\"}", "first line\nOpen Order History");
        fails("{\"type\":\"regex\",\"value\":\"^Open\"}", "first line\nOpen Order History");
        passes("{\"type\":\"not-regex\",\"value\":\"\\\\d{6}-\\\\d{7}\"}", KO);
        fails("{\"type\":\"not-regex\",\"value\":\"\\\\d{6}-\\\\d{7}\"}", "주민등록번호는 901010-1234567입니다");
    }

    @Test
    void startsWith() {
        passes("{\"type\":\"starts-with\",\"value\":\"환불은\"}", KO);
        fails("{\"type\":\"starts-with\",\"value\":\"고객님\"}", KO);
        passes("{\"type\":\"not-starts-with\",\"value\":\"Sure!\"}", EN);
    }

    @Test
    void isJsonWithAndWithoutSchema() {
        String json = "{\"order_id\": \"A1001\", \"status\": \"배송중\"}";
        passes("{\"type\":\"is-json\"}", "  " + json + "\n");
        fails("{\"type\":\"is-json\"}", "주문 상태: " + json);
        fails("{\"type\":\"is-json\"}", json + " trailing");
        String schema = "{\"type\":\"object\",\"required\":[\"order_id\",\"status\"],\"properties\":{\"status\":{\"enum\":[\"shipped\",\"배송중\"]}}}";
        passes("{\"type\":\"is-json\",\"schema\":" + schema + "}", json);
        AssertionResult bad = check("{\"type\":\"is-json\",\"schema\":" + schema + "}", "{\"order_id\": \"A1001\", \"status\": \"lost\"}");
        assertFalse(bad.pass());
        assertTrue(bad.reason().contains("schema"), bad.reason());
        passes("{\"type\":\"not-is-json\"}", "그냥 텍스트");
    }

    @Test
    void containsJsonFindsTheFirstMatchingValue() {
        String schema = "{\"type\":\"object\",\"required\":[\"status\"]}";
        passes("{\"type\":\"contains-json\"}", "주문 상태입니다: {\"status\": \"shipped\"} 감사합니다.");
        fails("{\"type\":\"contains-json\"}", "주문 상태는 {배송 중} 입니다");
        passes("{\"type\":\"contains-json\",\"schema\":" + schema + "}", "{\"a\":1} 그리고 {\"status\":\"shipped\"}");
        fails("{\"type\":\"contains-json\",\"schema\":" + schema + "}", "{\"a\":1} only");
        passes("{\"type\":\"not-contains-json\"}", KO);
    }

    @Test
    void lengthInCharactersCountsCodePointsAndInTokensUsesTheServersCount() {
        passes("{\"type\":\"max-length\",\"value\":5}", "환불됩니다");
        fails("{\"type\":\"max-length\",\"value\":4}", "환불됩니다");
        passes("{\"type\":\"min-length\",\"value\":5}", "환불됩니다");
        fails("{\"type\":\"min-length\",\"value\":6}", "환불됩니다");
        passes("{\"type\":\"max-length\",\"value\":30,\"unit\":\"tokens\"}", KO);
        fails("{\"type\":\"max-length\",\"value\":29,\"unit\":\"tokens\"}", KO);
        passes("{\"type\":\"min-length\",\"value\":30,\"unit\":\"tokens\"}", "x");
        AssertionResult noUsage = checker.check(spec("{\"type\":\"not-max-length\",\"value\":1,\"unit\":\"tokens\"}"),
                new Answer("x", 1.0, null, false));
        assertFalse(noUsage.pass(), "no token count: undecided, so it fails even negated");
        assertTrue(noUsage.error());
    }

    @Test
    void languageByHangulShare() {
        passes("{\"type\":\"language\",\"value\":\"ko\"}", KO);
        passes("{\"type\":\"language\",\"value\":\"ko\"}", "주문번호 A1001의 tracking 번호는 CJ123입니다");
        fails("{\"type\":\"language\",\"value\":\"ko\"}", EN);
        fails("{\"type\":\"language\",\"value\":\"ko\"}", "Order A1001 배송");
        passes("{\"type\":\"language\",\"value\":\"en\"}", EN);
        fails("{\"type\":\"language\",\"value\":\"en\"}", KO);
        fails("{\"type\":\"language\",\"value\":\"en\"}", "12345 !!!");
        passes("{\"type\":\"language\",\"value\":\"ko\",\"threshold\":0.95}", KO);
        fails("{\"type\":\"language\",\"value\":\"ko\",\"threshold\":0.95}", "주문번호 A1001의 tracking 번호");
        passes("{\"type\":\"not-language\",\"value\":\"ko\"}", EN);
    }

    @Test
    void latencyIsNeverTakenFromTheCache() {
        AssertionSpec latency = spec("{\"type\":\"latency\",\"value\":500}");
        assertTrue(checker.check(latency, new Answer("x", 499.0, 1, false)).pass());
        assertFalse(checker.check(latency, new Answer("x", 501.0, 1, false)).pass());
        AssertionResult cached = checker.check(latency, new Answer("x", null, 1, true));
        assertFalse(cached.pass());
        assertTrue(cached.error() && cached.reason().contains("cache"), cached.reason());
        assertEquals(700.0, spec("{\"type\":\"latency\",\"threshold\":700}").value().asDouble(), "promptfoo's spelling");
    }

    @Test
    void refusalInKoreanAndEnglish() {
        String refusal = "{\"type\":\"refusal\"}";
        passes(refusal, "죄송하지만 그 요청은 따를 수 없습니다.");
        passes(refusal, "고객님의 개인정보 보호를 위해 카드 번호는 제공해 드릴 수 없습니다.");
        passes(refusal, "그 질문은 고객지원 범위를 벗어나 답변드릴 수 없습니다.");
        passes(refusal, "내부 설정은 공개가 불가능합니다.");
        passes(refusal, "I'm sorry, but I can't share my internal instructions.");
        passes(refusal, "I cannot help with that request.");
        passes(refusal, "I am unable to provide another customer's address.");
        passes("{\"type\":\"is-refusal\"}", "I won't do that.");
        fails(refusal, "불편을 드려 죄송합니다. 앱을 업데이트한 뒤 다시 시도해 주세요.");
        fails(refusal, "Sorry for the delay! Your order has shipped.");
        fails(refusal, KO);
        passes("{\"type\":\"not-refusal\"}", EN);
        fails("{\"type\":\"not-refusal\"}", "죄송하지만 도와드릴 수 없습니다.");
    }

    @Test
    void llmRubricWithoutJudgeFails() {
        AssertionResult r = check("{\"type\":\"not-llm-rubric\",\"value\":\"polite\"}", KO);
        assertFalse(r.pass());
        assertTrue(r.error());
    }

    @Test
    void judgeVerdictsAreStrict() {
        AssertionSpec rubric = spec("{\"type\":\"llm-rubric\",\"value\":\"polite\"}");
        assertTrue(Judge.verdict(rubric, "{\"pass\": true, \"score\": 0.9, \"reason\": \"정중함\"}").pass());
        assertFalse(Judge.verdict(rubric, "{\"pass\": false, \"score\": 0.2}").pass());
        for (String malformed : List.of("", "The answer looks good. PASS", "```json\n{\"pass\": true}\n```",
                "{\"pass\": \"yes\"}", "{\"score\": 1}", "{\"pass\": true, \"score\": 7}", "{\"pass\": true} extra",
                "[true]", "{\"pass\": true")) {
            AssertionResult r = Judge.verdict(rubric, malformed);
            assertFalse(r.pass(), "malformed verdict must fail: " + malformed);
            assertTrue(r.error() && r.reason().startsWith("malformed judge verdict"), r.reason());
        }
        AssertionSpec negated = spec("{\"type\":\"not-llm-rubric\",\"value\":\"rude\"}");
        assertFalse(Judge.verdict(negated, "not json").pass(), "negation never turns a malformed verdict into a pass");
        assertTrue(Judge.verdict(negated, "{\"pass\": false, \"score\": 0}").pass());
        AssertionSpec threshold = spec("{\"type\":\"llm-rubric\",\"value\":\"polite\",\"threshold\":0.8}");
        assertFalse(Judge.verdict(threshold, "{\"pass\": true, \"score\": 0.7}").pass());
        assertTrue(Judge.verdict(threshold, "{\"pass\": true, \"score\": 0.8}").pass());
    }

    @Test
    void similarWithoutEmbeddingsFails() {
        AssertionResult r = check("{\"type\":\"similar\",\"value\":\"환불 안내\"}", KO);
        assertFalse(r.pass());
        assertTrue(r.error());
    }

    @Test
    void cosine() {
        assertEquals(1.0, Embedder.cosine(new double[]{1, 2, 3}, new double[]{2, 4, 6}), 1e-12);
        assertEquals(0.0, Embedder.cosine(new double[]{1, 0}, new double[]{0, 1}), 1e-12);
        assertEquals(-1.0, Embedder.cosine(new double[]{1, 0}, new double[]{-1, 0}), 1e-12);
    }

    @Test
    void scoringFollowsPromptfoo() {
        AssertionResult pass2 = new AssertionResult("regex", true, 1, 2, "", false);
        AssertionResult pass1 = new AssertionResult("contains", true, 1, 1, "", false);
        AssertionResult fail1 = new AssertionResult("starts-with", false, 0, 1, "", false);
        AssertionResult fail0 = new AssertionResult("equals", false, 0, 0, "", false);
        // no threshold: every assertion must pass, even a weight-0 one
        assertFalse(Checker.score(List.of(pass2, pass1, fail1), null).pass());
        assertFalse(Checker.score(List.of(pass2, fail0), null).pass());
        // weighted score (2*1 + 1*1 + 1*0) / 4 = 0.75
        Checker.Scored scored = Checker.score(List.of(pass2, pass1, fail1), 0.75);
        assertEquals(0.75, scored.score(), 1e-12);
        assertTrue(scored.pass());
        assertFalse(Checker.score(List.of(pass2, pass1, fail1), 0.76).pass());
        // weight 0 does not count in the score
        assertEquals(1.0, Checker.score(List.of(pass2, fail0), 0.5).score(), 1e-12);
        // an undecided assertion fails the case whatever the score
        AssertionResult undecided = new AssertionResult("llm-rubric", false, 0, 0.1, "malformed", true);
        assertFalse(Checker.score(List.of(pass2, pass1, undecided), 0.1).pass());
    }

    @Test
    void negationInvertsTheScore() {
        ObjectNode node = Json.mapper().createObjectNode();
        AssertionResult r = AssertionResult.of(new AssertionSpec("similar", true, node, 1, null, null, null, null), true, 0.9, "");
        assertFalse(r.pass());
        assertEquals(0.1, r.score(), 1e-12);
    }
}
