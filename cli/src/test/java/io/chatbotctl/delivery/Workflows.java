package io.chatbotctl.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatbotctl.core.Json;
import io.chatbotctl.testing.Repository;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The GitHub Actions workflows and the chatbotctl command lines in their {@code run:} scripts. */
final class Workflows {
    private Workflows() {}

    static List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(Repository.file(".github/workflows"))) {
            return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    /** Every {@code chatbotctl …} invocation in the file's run scripts, as shell words (continuations joined). */
    static List<List<String>> chatbotctlCommands(Path workflow) throws IOException {
        JsonNode root = Json.yaml().readTree(Files.readString(workflow));
        List<List<String>> commands = new ArrayList<>();
        for (JsonNode job : root.path("jobs")) {
            for (JsonNode step : job.path("steps")) {
                String script = step.path("run").asText("");
                for (String line : script.replace("\\\n", " ").split("\n")) {
                    List<String> words = ShellWords.split(withDefaults(line));
                    int start = words.indexOf("./chatbotctl");
                    if (start >= 0) {
                        commands.add(untilOperator(words.subList(start + 1, words.size())));
                    }
                }
            }
        }
        return commands;
    }

    /** {@code ${{ vars.X || 'default' }}} as its default: the value the command line gets when the variable is unset. */
    static String withDefaults(String line) {
        return DEFAULTED.matcher(line).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1)));
    }

    private static final java.util.regex.Pattern DEFAULTED =
            java.util.regex.Pattern.compile("\\$\\{\\{[^}]*\\|\\|\\s*'([^']*)'\\s*}}");

    private static List<String> untilOperator(List<String> words) {
        List<String> args = new ArrayList<>();
        for (String w : words) {
            if (w.equals("|") || w.equals("||") || w.equals("&&") || w.equals(";") || w.startsWith(">") || w.startsWith("<")) {
                break;
            }
            args.add(w);
        }
        return args;
    }
}
