package io.chatbotctl.cli;

import io.chatbotctl.testing.Repository;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * scripts/jvm-flags.sh finds the command word before Java starts, so it skips the values of the global options
 * itself: its list of options that take a value must be GlobalOptions' list.
 */
class JvmFlagsScriptTest {
    @Test
    void theLauncherSkipsTheValuesOfExactlyTheGlobalOptionsThatTakeOne() throws Exception {
        Set<String> takeValue = new TreeSet<>();
        for (OptionSpec option : CommandSpec.forAnnotatedObject(new GlobalOptions()).options()) {
            if (option.arity().max() > 0) {
                takeValue.addAll(Arrays.asList(option.names()));
            }
        }
        String script = Files.readString(Repository.root().resolve("scripts/jvm-flags.sh"));
        Matcher skip = Pattern.compile("(?m)^\\s*([-\\w|]+)\\)\\s*skip=1\\s*;;").matcher(script);
        assertTrue(skip.find(), "scripts/jvm-flags.sh has a case line ending in skip=1");
        Set<String> inScript = new TreeSet<>(Arrays.asList(skip.group(1).split("\\|")));
        assertEquals(takeValue, inScript, "the options whose value scripts/jvm-flags.sh skips");
    }
}
