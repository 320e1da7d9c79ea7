package io.chatbotctl.openai;

import io.chatbotctl.core.ExitCode;
import io.chatbotctl.testing.CliRunner;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EndpointUrlTest {

    @Test
    void anEndpointThatIsNoUrlIsBadInputForEveryCommandThatTakesOne() {
        for (String[] args : new String[][] {
                {"eval", "run", "--endpoint", "notaurl", "--dataset", "evals/smoke.jsonl", "--no-cache"},
                {"loadtest", "--endpoint", "notaurl", "--requests", "1", "--metrics-url", "none"}}) {
            CliRunner.Result result = CliRunner.inRepository().run(args);
            assertEquals(ExitCode.BAD_INPUT, result.exitCode(), result.toString());
            assertTrue(result.err().startsWith("chatbotctl: error: endpoint 'notaurl' is not an http(s) URL\n"
                    + "hint: write an OpenAI base URL such as http://host:8000/v1"), result.toString());
        }
    }
}
