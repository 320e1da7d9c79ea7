package io.chatbotctl.proxy;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessLogWriterTest {
    private static AccessRecord record(int i) {
        return new AccessRecord(Instant.parse("2026-12-06T16:40:00.123456Z").plusMillis(i), "req-" + i, "team \"a\"",
                "10.0.0.1", "POST", ProxyHandler.CHAT, "llama", i % 2 == 0, 200, i % 3 == 0 ? null : "x\ny",
                i % 5 == 0 ? "tokens" : null, i, 2L * i, i % 7 == 0 ? -1 : 1.5, 12.25, 0.0125,
                i % 11 == 0 ? "안녕 [EMAIL]" : null, null);
    }

    @Test
    void writesRecordsAndLinesInOrderAsTheirJsonThenAllOfThemOnClose() {
        StringWriter text = new StringWriter();
        List<String> expected = new ArrayList<>();
        try (AccessLogWriter log = new AccessLogWriter(new PrintWriter(text))) {
            for (int i = 0; i < 10_000; i++) {
                if (i % 1000 == 999) {
                    log.accept("{\"plain\":" + i + "}");
                    expected.add("{\"plain\":" + i + "}");
                } else {
                    log.accept(record(i));
                    expected.add(record(i).json());
                }
            }
        }
        assertEquals(String.join(System.lineSeparator(), expected) + System.lineSeparator(), text.toString());
    }

    @Test
    void aLineAfterAQuietSpellIsWrittenPromptly() throws Exception {
        StringWriter text = new StringWriter();
        try (AccessLogWriter log = new AccessLogWriter(new PrintWriter(text))) {
            log.accept(record(1));
            Thread.sleep(1500); // the writer has gone to sleep until woken
            long queued = System.nanoTime();
            log.accept(record(2));
            while (!text.toString().contains("\"req-2\"") && System.nanoTime() - queued < 2_000_000_000L) {
                Thread.sleep(1);
            }
            assertTrue(text.toString().contains("\"req-2\""), "the second line was written within 2 s");
            assertTrue(System.nanoTime() - queued < 500_000_000L, "woken by the line, not by a poll");
        }
    }
}
