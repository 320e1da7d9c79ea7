package io.chatbotctl.cli;

import io.chatbotctl.core.ExitCode;
import io.chatbotctl.testing.CliRunner;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** design.md: a value that does not parse is a usage error (2); one that parses but is out of range is bad input (3). */
class OptionValueExitCodeTest {

    @Test
    void aPercentageOutOfRangeIsBadInput() {
        CliRunner.Result result = new CliRunner().run("sim", "--port", "0", "--error-rate", "2");
        assertEquals(ExitCode.BAD_INPUT, result.exitCode(), result.toString());
        assertEquals("chatbotctl: error: Invalid value for option '--error-rate': percentage '2' is outside 0%..100%\n"
                + "hint: see 'chatbotctl sim --help'\n", result.err());
    }

    @Test
    void aPercentageThatIsNoNumberIsAUsageError() {
        CliRunner.Result result = new CliRunner().run("sim", "--port", "0", "--stall-rate", "often");
        assertEquals(ExitCode.USAGE, result.exitCode(), result.toString());
        assertEquals("chatbotctl: error: Invalid value for option '--stall-rate': invalid percentage 'often'\n"
                + "hint: see 'chatbotctl sim --help'\n", result.err());
    }
}
