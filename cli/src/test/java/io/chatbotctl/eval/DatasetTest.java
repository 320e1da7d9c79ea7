package io.chatbotctl.eval;

import io.chatbotctl.core.InvalidInputException;
import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetTest {
    static final Set<String> CATEGORIES = Set.of("order_status", "refund", "error_codes", "membership", "account_password",
            "escalation", "out_of_scope", "prompt_injection", "personal_data");

    @Test
    void theShippedDatasetsCoverEveryCategoryInKoreanAndEnglish() {
        Dataset d = Dataset.load(List.of(Repository.file("evals/datasets/support-en.jsonl"),
                Repository.file("evals/datasets/support-ko.jsonl")));
        assertTrue(d.cases().size() >= 60, "cases: " + d.cases().size());
        Set<String> categories = new TreeSet<>();
        d.cases().forEach(c -> categories.add(c.category()));
        assertEquals(new TreeSet<>(CATEGORIES), categories);
        for (String category : CATEGORIES) {
            assertTrue(d.cases().stream().anyMatch(c -> c.category().equals(category) && c.id().startsWith("ko-")), category);
            assertTrue(d.cases().stream().anyMatch(c -> c.category().equals(category) && c.id().startsWith("en-")), category);
        }
        assertTrue(d.cases().stream().anyMatch(c -> c.messages().size() > 1), "multi-turn cases");
        assertTrue(d.cases().stream().filter(c -> c.category().equals("prompt_injection"))
                .allMatch(c -> c.severity().equals("critical")));
        assertEquals(64, d.sha256().length());
        Dataset smoke = Dataset.load(List.of(Repository.file("evals/smoke.jsonl")));
        assertEquals(5, smoke.cases().size());
        Dataset.load(List.of(Repository.file("evals/extra/judged.jsonl"), Repository.file("evals/extra/similar.jsonl")));
    }

    @Test
    void theHashFollowsTheBytes(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.jsonl");
        Files.writeString(a, "{\"id\":\"x\",\"input\":\"안녕\",\"assert\":[{\"type\":\"contains\",\"value\":\"안녕\"}],\"metadata\":{\"category\":\"c\"}}\n");
        String before = Dataset.load(List.of(a)).sha256();
        Files.writeString(a, Files.readString(a).replace("안녕\"}", "안녕하세요\"}"));
        assertNotEquals(before, Dataset.load(List.of(a)).sha256());
    }

    @Test
    void malformedJsonIsReportedWithoutJacksonsSourceLocation(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cut.jsonl");
        Files.writeString(file, "{\"id\":\"x\",\"input\":\"q\"\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Dataset.load(List.of(file)));
        assertTrue(e.getMessage().startsWith(file + ":1: not valid JSON: Unexpected end-of-input"), e.getMessage());
        assertTrue(!e.getMessage().contains("[Source:"), e.getMessage());
    }

    @Test
    void errorsNameFileLineAndField(@TempDir Path dir) throws IOException {
        assertError(dir, "{\"id\":\"x\",\"input\":\"q\",\"assert\":[{\"type\":\"containz\",\"value\":\"a\"}],\"metadata\":{\"category\":\"c\"}}",
                "bad.jsonl:2: assertion 1: containz: unknown assertion type");
        assertError(dir, "{\"id\":\"x\",\"input\":\"q\",\"assert\":[{\"type\":\"regex\",\"value\":\"(\"}],\"metadata\":{\"category\":\"c\"}}",
                "invalid regex");
        assertError(dir, "{\"id\":\"x\",\"input\":\"q\",\"assert\":[{\"type\":\"contains-any\",\"value\":\"a\"}],\"metadata\":{\"category\":\"c\"}}",
                "non-empty list of texts");
        assertError(dir, "{\"id\":\"x\",\"input\":\"q\",\"assert\":[{\"type\":\"is-json\",\"schema\":[1]}],\"metadata\":{\"category\":\"c\"}}",
                "must be a JSON Schema object");
        assertError(dir, "{\"id\":\"x\",\"input\":\"q\",\"assert\":[{\"type\":\"contains\",\"value\":\"a\"}],\"metadata\":{\"category\":\"c\",\"severity\":\"huge\"}}",
                "'metadata.severity' must be one of");
        assertError(dir, "{\"id\":\"x\",\"input\":\"q\",\"asserts\":[]}", "bad.jsonl:2: asserts: unknown field (known: assert, description, id, ");
        assertError(dir, "{\"id\":\"x\", not json", "bad.jsonl:2: not valid JSON");
        assertError(dir, "{\"id\":\"first\",\"input\":\"q\",\"assert\":[{\"type\":\"contains\",\"value\":\"a\"}],\"metadata\":{\"category\":\"c\"}}",
                "case id 'first' is already used at");
    }

    private static void assertError(Path dir, String secondLine, String expected) throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"id\":\"first\",\"input\":\"q\",\"assert\":[{\"type\":\"contains\",\"value\":\"a\"}],\"metadata\":{\"category\":\"c\"}}\n"
                + secondLine + "\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Dataset.load(List.of(file)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
